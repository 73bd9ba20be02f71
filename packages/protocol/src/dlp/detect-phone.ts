import { CandidateMatcher } from './candidates.ts';
import { isDigit, isLetter } from './chars.ts';
import { findLabel, type TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

/** A Dutch number starts with +31, 0031 or a single 0 that is not glued to other digits or letters. */
export const PHONE_START = /(?<![\p{L}\p{N}+])(?:\+31|0031|0(?=[1-9]))/gu;

/** Three-digit area codes (with the 0); every other geographic code has four digits. */
const THREE_DIGIT_AREAS = new Set([
  '010',
  '013',
  '015',
  '020',
  '023',
  '024',
  '026',
  '030',
  '033',
  '035',
  '036',
  '038',
  '040',
  '043',
  '045',
  '046',
  '050',
  '053',
  '055',
  '058',
  '070',
  '071',
  '072',
  '073',
  '074',
  '075',
  '076',
  '077',
  '078',
  '079',
]);

/**
 * Reports Dutch phone numbers: mobile (06-1…5, 06-8), geographic (01–05, 07), 085/088/091
 * (ten digits with the 0). After +31 or 0031 the 0 is dropped, and "+31 (0)6…" is allowed.
 * The first group must be the whole number, the area code or "06", which is how people write
 * numbers and rules out dates such as 01-02-2021 12:30.
 */
export function detectPhone(index: TextIndex): Finding[] {
  const { text, digitStarts, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, PHONE_START);
  for (let run = 0; run < digitStarts.length; run++) {
    const digits = digitStarts[run]!;
    // "+31" starts one character before its digits; "0031" and "06…" start at them.
    let start = -1;
    if (text.charCodeAt(digits - 1) === 43 && text.startsWith('31', digits)) start = digits - 1;
    else if (text.charCodeAt(digits) === 48 && digitEnds[run]! - digits >= 2) start = digits;
    const prefixEnd = start < 0 ? -1 : candidates.endAt(start);
    if (prefixEnd < 0) continue;
    const finding = phoneAt(index, start, text.slice(start, prefixEnd));
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/** The phone number whose prefix (+31, 0031 or 0) was matched at `start`, if the digits after it make one. */
function phoneAt(index: TextIndex, start: number, prefix: string): Finding | undefined {
  const { text } = index;
  index.counter.steps++;
  const international = prefix !== '0';
  let p = start + prefix.length;
  if (international) {
    if (text[p] === ' ' || text[p] === '-') p++;
    if (text.startsWith('(0)', p)) p += 3;
    if (text[p] === ' ' || text[p] === '-') p++;
  }
  let digits = '0';
  const groups: number[] = [];
  let group = international ? 0 : 1;
  let sawParenthesis = false;
  while (p < text.length && digits.length < 10) {
    index.counter.steps++;
    const char = text[p]!;
    if (isDigit(char)) {
      digits += char;
      group++;
      p++;
    } else if ((char === ' ' || char === '-' || char === '.') && group > 0 && isDigit(text[p + 1])) {
      groups.push(group);
      group = 0;
      p++;
    } else if (char === ')' && !international && !sawParenthesis && group > 0) {
      sawParenthesis = true;
      groups.push(group);
      group = 0;
      p++;
      if (text[p] === ' ') p++;
    } else break;
  }
  groups.push(group);
  if (digits.length !== 10 || isDigit(text[p]) || isLetter(text[p])) return undefined;
  if ('-/.'.includes(text[start - 1] ?? 'x') && isDigit(text[start - 2])) return undefined;
  const kind = classifyNumber(digits);
  if (kind === undefined) return undefined;
  const first = (international ? 1 : 0) + groups[0]!;
  const areaLength =
    kind === 'mobile' ? 2 : kind === 'service' || THREE_DIGIT_AREAS.has(digits.slice(0, 3)) ? 3 : 4;
  if (groups.length > 1 && first !== areaLength && first !== 10 && !(kind === 'mobile' && first === 3))
    return undefined;
  const realStart = text[start - 1] === '(' && !international ? start - 1 : start;
  const label = findLabel(index, realStart, p);
  if (label !== undefined && label.kind !== 'phone') return undefined;
  return {
    type: 'phone',
    start: realStart,
    end: p,
    confidence: label ? 0.97 : kind === 'mobile' ? 0.9 : 0.85,
    rule: `phone.nl.${kind}${label ? '+label' : ''}`,
  };
}

function classifyNumber(digits: string): 'mobile' | 'geographic' | 'service' | undefined {
  if (/^06[1-58]/.test(digits)) return 'mobile';
  if (/^0(?:8[58]|91)/.test(digits)) return 'service';
  if (/^0[1-57][0-9]/.test(digits) && !digits.startsWith('0800') && !digits.startsWith('0900'))
    return 'geographic';
  return undefined;
}
