import { CandidateMatcher } from './candidates.ts';
import { findLabel, type TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

/** AGB is 8 digits, UZI 9, BIG 11 (leading zeros count); a run of 8–11 digits is a candidate. */
export const CARE_ID_CANDIDATE = /(?<![\p{L}\p{N}.,])\d{8,11}(?![\p{N}]|[.,]\d)/gu;
const LENGTHS = { agb: [8], uzi: [8, 9], big: [11] } as const;

/**
 * AGB, UZI and BIG numbers have no public checksum, so any 8- to 11-digit number could be one:
 * they are reported only next to their label ("AGB-code", "UZI-nummer", "BIG", or a column so
 * named), and only with the length that register uses.
 */
export function detectCareId(index: TextIndex): Finding[] {
  const { text, digitStarts, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, CARE_ID_CANDIDATE);
  for (let run = 0; run < digitStarts.length; run++) {
    const length = digitEnds[run]! - digitStarts[run]!;
    if (length < 8 || length > 11) continue;
    const start = digitStarts[run]!;
    const end = candidates.endAt(start);
    if (end < 0) continue;
    index.counter.steps++;
    const label = findLabel(index, start, end);
    if (label === undefined || !(label.kind === 'agb' || label.kind === 'uzi' || label.kind === 'big'))
      continue;
    if (!(LENGTHS[label.kind] as readonly number[]).includes(end - start)) continue;
    findings.push({ type: 'care_id', start, end, confidence: 0.9, rule: `care_id.${label.kind}+label` });
  }
  return findings;
}
