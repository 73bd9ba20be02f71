import { detectBsn } from './detect-bsn.ts';
import { detectCareId } from './detect-care-id.ts';
import { detectDateOfBirth } from './detect-date-of-birth.ts';
import { detectEmail } from './detect-email.ts';
import { detectIban } from './detect-iban.ts';
import { detectIdDocument } from './detect-id-document.ts';
import { detectPhone } from './detect-phone.ts';
import { detectPostcode } from './detect-postcode.ts';
import { detectVocabulary } from './detect-vocabulary.ts';
import { indexText, type TextIndex } from './text-index.ts';
import { type Finding, type FindingType, findingTypes, type ScanOptions } from './types.ts';

const DEFAULT_MIN_CONFIDENCE = 0.5;

const detectors: readonly [FindingType, (index: TextIndex) => Finding[]][] = [
  ['bsn', detectBsn],
  ['iban', detectIban],
  ['phone', detectPhone],
  ['postcode', detectPostcode],
  ['email', detectEmail],
  ['date_of_birth', (index) => detectDateOfBirth(index)],
  ['id_document', detectIdDocument],
  ['care_id', detectCareId],
];

/**
 * Scans a text for Dutch sensitive data and returns the findings in text order. Every detector
 * does bounded work per candidate on top of one shared linear index, so the scan is linear in
 * the length of the text (see `scan-text.linear.test.ts`). Where two findings overlap the more
 * confident one is kept: "BSN 123456782" inside an e-mail address is not reported twice.
 */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const wanted = new Set(options.types ?? findingTypes);
  const index = indexText(text, options);
  const all: Finding[] = [];
  const add = (findings: Finding[]) => {
    // A loop, not push(...findings): a megabyte of findings would overflow the argument stack.
    for (const finding of findings) all.push(finding);
  };
  for (const [type, detect] of detectors) if (wanted.has(type)) add(detect(index));
  if (wanted.has('health') || wanted.has('special_category')) add(detectVocabulary(index, wanted));
  return resolveOverlaps(all.filter((f) => f.confidence >= minConfidence));
}

/**
 * Keeps, of overlapping findings, the most confident (the longer one on a tie); sorts by
 * position. Findings are first cut into clusters of mutually overlapping ones, and the ranking
 * runs per cluster, so a text with a hundred thousand findings costs n log n, not n².
 */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  const byStart = [...findings].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: Finding[] = [];
  let cluster: Finding[] = [];
  let clusterEnd = -1;
  for (const finding of byStart) {
    if (finding.start >= clusterEnd && cluster.length > 0) {
      for (const finding of pickFromCluster(cluster)) kept.push(finding);
      cluster = [];
    }
    cluster.push(finding);
    clusterEnd = Math.max(clusterEnd, finding.end);
  }
  for (const finding of pickFromCluster(cluster)) kept.push(finding);
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function pickFromCluster(cluster: Finding[]): Finding[] {
  if (cluster.length <= 1) return cluster;
  const ranked = cluster.sort(
    (a, b) => b.confidence - a.confidence || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  const taken = new IntervalSet();
  for (const finding of ranked) {
    if (taken.overlaps(finding.start, finding.end)) continue;
    taken.add(finding.start, finding.end);
    kept.push(finding);
  }
  return kept;
}

/** Disjoint intervals kept sorted by start; overlap checks by binary search. */
class IntervalSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  overlaps(start: number, end: number): boolean {
    const i = this.lastStartBefore(end);
    return i >= 0 && this.ends[i]! > start;
  }

  add(start: number, end: number): void {
    const i = this.lastStartBefore(end) + 1;
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
  }

  /** Index of the last interval whose start is < value. */
  private lastStartBefore(value: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid]! < value) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }
}
