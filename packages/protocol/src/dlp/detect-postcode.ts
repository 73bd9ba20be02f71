import { CandidateMatcher } from './candidates.ts';
import { isAsciiUpperCode, isDigit, isLetterOrDigit } from './chars.ts';
import { findLabel, type TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

/** Four digits (not starting with 0), an optional space, two capitals; SA, SD and SS are never issued. */
export const POSTCODE = /(?<![\p{L}\p{N}])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\p{L}\p{N}])/gu;

/** A street line right before the postcode: a word, a house number, an optional addition. */
export const STREET_BEFORE = /\p{L}{2,40} \d{1,5}(?:[ -]?[A-Za-z]{1,2}|[ -]\d{1,4})?,?\s{1,4}$/u;

/**
 * "1234 AB 12" or "1234AB, 12-a": a house number written straight after the postcode, as forms
 * do, ending the field; "In 2019 OM 14 uur" is not one.
 */
export const NUMBER_AFTER =
  /^,? ?(?:huisnummer |nr\.? )?\d{1,5}(?:[ -]?[a-zA-Z]{1,2}\b)?(?=$|[\n\r\t;,)]|\.(?:\s|$))/;

/** "1234 AB Utrecht": a capitalised place name after the postcode. */
export const PLACE_AFTER = /^ {1,2}(?:'s-)?\p{Lu}\p{Ll}{2}/u;

/**
 * Reports a postcode that is part of an address: with a house number (a street line before it
 * or a number straight after it), or followed by a place name. A bare "1234 AB" is too often
 * something else ("2019 OM", "1000 KG") and is reported below the default threshold.
 */
export function detectPostcode(index: TextIndex): Finding[] {
  const { text, digitStarts, digitEnds } = index;
  const findings: Finding[] = [];
  const candidates = new CandidateMatcher(text, POSTCODE);
  for (let run = 0; run < digitStarts.length; run++) {
    if (!mayStartPostcode(text, digitStarts[run]!, digitEnds[run]!)) continue;
    const start = digitStarts[run]!;
    let end = candidates.endAt(start);
    if (end < 0) continue;
    index.counter.steps++;
    const before = text.slice(Math.max(0, start - 64), start);
    const after = text.slice(end, end + 24);
    const numberAfter = NUMBER_AFTER.exec(after);
    let rule = 'postcode.bare';
    let confidence = 0.35;
    if (numberAfter !== null && !isDigit(after[numberAfter[0].length])) {
      end += numberAfter[0].length;
      rule = 'postcode.house-number';
      confidence = 0.9;
    } else if (STREET_BEFORE.test(before)) {
      rule = 'postcode.street+house-number';
      confidence = 0.95;
    } else if (PLACE_AFTER.test(after)) {
      rule = 'postcode.place';
      confidence = 0.8;
    }
    const label = findLabel(index, start, end);
    if (label?.kind === 'postcode') confidence = Math.max(confidence, 0.85);
    if (isLetterOrDigit(text[end])) continue;
    findings.push({ type: 'postcode', start, end, confidence, rule });
  }
  return findings;
}

/** Four digits, not starting with 0, then two capitals, with or without a space between. */
function mayStartPostcode(text: string, start: number, end: number): boolean {
  if (end - start !== 4 || text.charCodeAt(start) === 48) return false;
  const after = text.charCodeAt(end);
  return isAsciiUpperCode(after) || (after === 32 && isAsciiUpperCode(text.charCodeAt(end + 1)));
}
