import { CandidateMatcher } from './candidates.ts';
import { isAsciiUpperCode } from './chars.ts';
import { findLabel, type TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

/**
 * Dutch passport and identity-card numbers: nine characters, two letters first, a digit last,
 * never the letter O. The first letter tells the document kind (N passport, I identity card,
 * B business, D diplomatic, S service, R refugee, A alien).
 */
export const DOCUMENT_NUMBER = /(?<![\p{L}\p{N}])[A-NP-Z]{2}[A-NP-Z0-9]{6}\d(?![\p{L}\p{N}])/gu;
const KIND_LETTERS = new Set(['N', 'I', 'B', 'D', 'S', 'R', 'A']);

/**
 * There is no public check digit, so the format alone is weak: with a document label the
 * finding is reported at 0.9; without one only when it starts with a document-kind letter and
 * mixes letters and digits the way issued numbers do, at 0.55.
 */
export function detectIdDocument(index: TextIndex): Finding[] {
  const { text, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, DOCUMENT_NUMBER);
  // A document number is nine characters ending in a digit: it ends where a run of digits ends.
  for (let run = 0; run < digitEnds.length; run++) {
    const candidateStart = digitEnds[run]! - 9;
    if (!isAsciiUpperCode(text.charCodeAt(candidateStart))) continue;
    const matchEnd = candidates.endAt(candidateStart);
    if (matchEnd < 0) continue;
    index.counter.steps++;
    const value = text.slice(candidateStart, matchEnd);
    const start = candidateStart;
    const end = start + value.length;
    const middle = value.slice(2, 8);
    if (!/\d/.test(middle)) continue;
    const label = findLabel(index, start, end);
    if (label?.kind === 'id_document') {
      findings.push({ type: 'id_document', start, end, confidence: 0.9, rule: 'id_document.nl+label' });
    } else if (label === undefined && KIND_LETTERS.has(value[0]!) && /[A-Z]/.test(middle)) {
      findings.push({ type: 'id_document', start, end, confidence: 0.55, rule: 'id_document.nl' });
    }
  }
  return findings;
}
