import { CandidateMatcher } from './candidates.ts';
import { isAsciiDigitCode, isAsciiLetterCode } from './chars.ts';
import { findLabel, type TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
] as const;
const SHORT_MONTHS = [
  'jan',
  'feb',
  'mrt',
  'apr',
  'mei',
  'jun',
  'jul',
  'aug',
  'sep',
  'okt',
  'nov',
  'dec',
] as const;

/** 12-03-1980, 12/3/1980, 12.03.1980, 1980-03-12, 12 maart 1980, 12 mrt. 1980; bounded quantifiers only. */
export const DATE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(\d{1,2})([-/.])(\d{1,2})\2(\d{4})|(\d{4})-(\d{2})-(\d{2})|(\d{1,2}) (${MONTHS.join('|')}|${SHORT_MONTHS.join('|')})\.? (\d{4}))(?![\p{L}\p{N}])`,
  'giu',
);

/**
 * Reports dates of birth: a real calendar date between 1900 and now, labelled as a birth date
 * ("geboren", "geboortedatum", "geb.", a birth-date column). Dates alone are everywhere in
 * letters (of the letter, of an appointment), so an unlabelled date is not reported.
 */
export function detectDateOfBirth(index: TextIndex, now = new Date()): Finding[] {
  const { text, digitStarts, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, DATE);
  for (let run = 0; run < digitStarts.length; run++) {
    if (!mayStartDate(text, digitStarts[run]!, digitEnds[run]!)) continue;
    const match = candidates.at(digitStarts[run]!);
    if (match === null) continue;
    index.counter.steps++;
    const [, d1, , m1, y1, y2, m2, d2, d3, monthName, y3] = match;
    const day = Number(d1 ?? d2 ?? d3);
    const year = Number(y1 ?? y2 ?? y3);
    const month = monthName !== undefined ? monthNumber(monthName) : Number(m1 ?? m2);
    if (!isRealDate(year, month, day, now)) continue;
    const start = match.index;
    const end = start + match[0].length;
    const label = findLabel(index, start, end, 40, 4);
    if (label?.kind !== 'date_of_birth') continue;
    findings.push({ type: 'date_of_birth', start, end, confidence: 0.9, rule: 'date_of_birth.label' });
  }
  return findings;
}

/** 1–2 digits and - / . or a space and a month name; or 4 digits and "-". */
function mayStartDate(text: string, start: number, end: number): boolean {
  const length = end - start;
  const separator = text.charCodeAt(end);
  const next = text.charCodeAt(end + 1);
  if (length === 4) return separator === 45 && isAsciiDigitCode(next);
  if (length > 2) return false;
  // Month names match case-insensitively in Unicode mode, so a non-ASCII letter may start one (ſ).
  if (separator === 32) return isAsciiLetterCode(next) || next >= 128;
  return (separator === 45 || separator === 47 || separator === 46) && isAsciiDigitCode(next);
}

function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const full = MONTHS.indexOf(lower as (typeof MONTHS)[number]);
  return full >= 0 ? full + 1 : SHORT_MONTHS.indexOf(lower as (typeof SHORT_MONTHS)[number]) + 1;
}

function isRealDate(year: number, month: number, day: number, now: Date): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCDate() === day && date.getTime() <= now.getTime();
}
