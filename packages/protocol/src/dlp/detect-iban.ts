import { CandidateMatcher } from './candidates.ts';
import { isAsciiLetterCode, isLetterOrDigit } from './chars.ts';
import { hasValidIbanChecksum } from './checksums.ts';
import { ibanLengths } from './iban-countries.ts';
import type { TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

/** Where an IBAN may start: two letters and two check digits, not inside a longer word. */
export const IBAN_START = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}/gu;

/**
 * Reports IBANs of every IBAN country, written compactly or in groups of four
 * (`NL91 ABNA 0417 1643 00`). From each possible start it reads exactly as many characters as
 * that country's IBAN has, allowing one space between groups, so the work per start is bounded
 * by the longest IBAN (34) whatever follows. Length and mod-97 must both hold.
 */
export function detectIban(index: TextIndex): Finding[] {
  const { text, digitStarts, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, IBAN_START);
  // Two letters right before a run of at least two digits.
  for (let run = 0; run < digitStarts.length; run++) {
    const digits = digitStarts[run]!;
    if (digitEnds[run]! - digits < 2) continue;
    if (!isAsciiLetterCode(text.charCodeAt(digits - 1)) || !isAsciiLetterCode(text.charCodeAt(digits - 2)))
      continue;
    const start = digits - 2;
    if (candidates.endAt(start) < 0) continue;
    index.counter.steps++;
    const country = text.slice(start, digits).toUpperCase();
    const length = ibanLengths[country];
    if (length === undefined) continue;
    let compact = '';
    let p = start;
    while (p < text.length && compact.length < length) {
      index.counter.steps++;
      const char = text[p]!;
      if (isLetterOrDigit(char) && char.charCodeAt(0) < 128) {
        compact += char;
        p++;
      } else if (char === ' ' && compact.length % 4 === 0 && isLetterOrDigit(text[p + 1])) {
        p++;
      } else break;
    }
    if (compact.length !== length || isLetterOrDigit(text[p])) continue;
    const upper = compact.toUpperCase();
    // Lower-case IBANs exist but so do lower-case words; only accept them when fully lower or upper.
    if (compact !== upper && compact !== compact.toLowerCase()) continue;
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(upper) || !hasValidIbanChecksum(upper)) continue;
    findings.push({
      type: 'iban',
      start,
      end: p,
      confidence: 0.99,
      rule: `iban.mod97.${country.toLowerCase()}`,
    });
  }
  return findings;
}
