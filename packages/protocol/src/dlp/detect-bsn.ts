import { CandidateMatcher } from './candidates.ts';
import { digitsOf, isAsciiDigitCode, isDigit, isLetter } from './chars.ts';
import { isValidBsn } from './checksums.ts';
import { findLabel, type TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

/**
 * Nine digits, or the usual groupings 1234.56.782 / 123 456 782, or eight digits (legacy BSN,
 * only with a label). Every quantifier is bounded, so each start position costs a constant.
 */
export const BSN_CANDIDATE =
  /(?<!\d)(?:\d{4}([ .-])\d{2}\1\d{3}|\d{3} \d{3} \d{3}|\d{3}-\d{3}-\d{3}|\d{8,9})(?!\d)/g;

/**
 * Reports BSNs: the elfproef must pass, and the surroundings must not say it is something else.
 * A label ("BSN", "burgerservicenummer", "sofinummer", a BSN column) makes it near-certain; a
 * label of another kind (order, case, phone, AGB…) or the look of an amount, a phone number or
 * part of a longer reference rules it out; a bare valid number is reported at 0.6, because a
 * random nine-digit number passes the elfproef one time in eleven.
 */
export function detectBsn(index: TextIndex): Finding[] {
  const { text, digitStarts, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, BSN_CANDIDATE);
  for (let run = 0; run < digitStarts.length; run++) {
    if (!mayStartBsn(text, digitStarts[run]!, digitEnds[run]!)) continue;
    const start = digitStarts[run]!;
    const end = candidates.endAt(start);
    if (end < 0) continue;
    index.counter.steps++;
    const digits = digitsOf(text.slice(start, end));
    if (!isValidBsn(digits)) continue;
    if (isPartOfSomethingElse(text, start, end)) continue;
    const label = findLabel(index, start, end);
    if (label !== undefined && label.kind !== 'bsn') continue;
    if (label === undefined && digits.length === 8) continue;
    findings.push({
      type: 'bsn',
      start,
      end,
      confidence: label ? 0.97 : 0.6,
      rule: label ? 'bsn.elfproef+label' : 'bsn.elfproef',
    });
  }
  return findings;
}

/** Whether a run of digits has the shape a BSN candidate starts with: 8–9 digits, or 4 or 3 and a separator. */
function mayStartBsn(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 8 || length === 9) return true;
  const separator = text.charCodeAt(end);
  if (!isAsciiDigitCode(text.charCodeAt(end + 1))) return false;
  if (length === 4) return separator === 32 || separator === 46 || separator === 45; // ' ' '.' '-'
  return length === 3 && (separator === 32 || separator === 45);
}

/** Neighbouring characters that show the digits belong to a phone number, amount, IBAN, date or longer reference. */
function isPartOfSomethingElse(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  if (isLetter(before) || isLetter(after)) return true;
  if (before === '@' || after === '@' || before === '_' || after === '_' || before === '+') return true;
  // 2024/123456782, Z-2024-123456782, 123456782-01, 1.234.567.890: a longer reference or number.
  if (before !== undefined && '-/.,:#'.includes(before) && isDigit(text[start - 2])) return true;
  if (after !== undefined && '-/.,'.includes(after) && isDigit(text[end + 1])) return true;
  if (before === '#') return true;
  const lead = text.slice(Math.max(0, start - 8), start);
  // +31 612345678, 0031 612345678, (0)612345678: a phone number without its leading zero.
  if (/(?:\+\d{1,3}|00\d{2}|\(0\))[ -]?$/.test(lead)) return true;
  // € 123.456.789, EUR 123456789: an amount.
  if (/(?:€|EUR|eur|\$|£)\s?$/.test(lead)) return true;
  return false;
}
