import { describe, expect, it } from 'vitest';
import { adversarial } from './corpus/adversarial.ts';
import { BSN_CANDIDATE } from './detect-bsn.ts';
import { CARE_ID_CANDIDATE } from './detect-care-id.ts';
import { DATE } from './detect-date-of-birth.ts';
import { IBAN_START } from './detect-iban.ts';
import { DOCUMENT_NUMBER } from './detect-id-document.ts';
import { PHONE_START } from './detect-phone.ts';
import { NUMBER_AFTER, PLACE_AFTER, POSTCODE, STREET_BEFORE } from './detect-postcode.ts';
import { scanText } from './scan-text.ts';
import { WORD } from './text-index.ts';

function stepsFor(text: string): number {
  const counter = { steps: 0 };
  scanText(text, { counter, minConfidence: 0 });
  return counter.steps;
}

describe('scanning time is linear in the input size', () => {
  for (const [name, make] of Object.entries(adversarial)) {
    it(`${name}: 8× the input costs about 8× the work`, () => {
      const small = make(128 * 1024);
      const large = make(1024 * 1024);
      const stepRatio = stepsFor(large) / Math.max(1, stepsFor(small));
      expect(stepRatio).toBeLessThan(9);
      // The step counter cannot see inside the regular-expression engine: the test below keeps
      // every pattern's quantifiers bounded, and `npm run bench dlp-worst-case` times these
      // inputs (a clock has no place in a unit test on a shared machine).
    });
  }
});

/** True when the pattern has no *, + or {n,} outside a character class: every match is bounded. */
function hasOnlyBoundedQuantifiers(pattern: RegExp): boolean {
  const withoutEscapes = pattern.source.replace(/\\./g, 'x');
  const withoutClasses = withoutEscapes.replace(/\[[^\]]*\]/g, 'x');
  return !/[*+]|\{\d+,\}/.test(withoutClasses);
}

describe('the patterns', () => {
  it('use only bounded quantifiers, so no input can make them backtrack without limit', () => {
    const patterns = {
      BSN_CANDIDATE,
      CARE_ID_CANDIDATE,
      DATE,
      IBAN_START,
      DOCUMENT_NUMBER,
      PHONE_START,
      POSTCODE,
      STREET_BEFORE,
      NUMBER_AFTER,
      PLACE_AFTER,
      WORD,
    };
    for (const [name, pattern] of Object.entries(patterns))
      expect(hasOnlyBoundedQuantifiers(pattern), name).toBe(true);
  });
  it('the checker itself recognises unbounded patterns', () => {
    expect(hasOnlyBoundedQuantifiers(/(a+)+b/)).toBe(false);
    expect(hasOnlyBoundedQuantifiers(/\w*@/)).toBe(false);
    expect(hasOnlyBoundedQuantifiers(/\d{2,}/)).toBe(false);
    expect(hasOnlyBoundedQuantifiers(/[+*]\d{1,3}\+/)).toBe(true);
  });
});
