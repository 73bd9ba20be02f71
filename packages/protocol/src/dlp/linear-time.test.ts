import { describe, expect, it } from 'vitest';
import { BSN_CANDIDATE } from './detect-bsn.ts';
import { CARE_ID_CANDIDATE } from './detect-care-id.ts';
import { DATE } from './detect-date-of-birth.ts';
import { IBAN_START } from './detect-iban.ts';
import { DOCUMENT_NUMBER } from './detect-id-document.ts';
import { PHONE_START } from './detect-phone.ts';
import { NUMBER_AFTER, PLACE_AFTER, POSTCODE, STREET_BEFORE } from './detect-postcode.ts';
import { scanText } from './scan-text.ts';
import { WORD } from './text-index.ts';

/**
 * The inputs that make naive scanners quadratic or exponential: megabyte lines without a
 * break, long digit runs, near-miss repetitions of every pattern, nested brackets.
 */
const adversarial: Record<string, (size: number) => string> = {
  'one long digit run': (n) => '1'.repeat(n),
  'digits and single spaces': (n) => '12 '.repeat(n / 3),
  'dotted digit groups': (n) => '1234.56.'.repeat(n / 8),
  'IBAN prefixes': (n) => 'NL91 ABNA '.repeat(n / 10),
  'IBAN prefix glued': (n) => 'NL91'.repeat(n / 4),
  'letters without a break': (n) => 'a'.repeat(n),
  'local parts before one @': (n) => `${'a.'.repeat(n / 2)}@`,
  'many @': (n) => 'a@b'.repeat(n / 3),
  'domain run': (n) => `x@${'a-'.repeat(n / 2)}`,
  'phone near misses': (n) => '+31 6 1234 '.repeat(n / 11),
  'zeros and dashes': (n) => '0-0-'.repeat(n / 4),
  'postcode near misses': (n) => '1234 AB '.repeat(n / 8),
  'nested brackets': (n) => '(('.repeat(n / 4) + '))'.repeat(n / 4),
  'labels everywhere': (n) => 'BSN geboren tel AGB '.repeat(n / 20),
  'labelled valid BSNs': (n) => 'BSN 123456782 '.repeat(n / 14),
  'vocabulary with persons': (n) => 'mevrouw diabetes hij '.repeat(n / 21),
  'csv row': (n) => `bsn;naam\n${'999911120;'.repeat(n / 10)}`,
  'dates with labels': (n) => 'geboren 12-12-1980 '.repeat(n / 19),
  'document numbers': (n) => 'paspoort NXC3RJ0H1 '.repeat(n / 19),
};

function stepsFor(text: string): number {
  const counter = { steps: 0 };
  scanText(text, { counter, minConfidence: 0 });
  return counter.steps;
}

function millisecondsFor(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    scanText(text, { minConfidence: 0 });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('scanning time is linear in the input size', () => {
  for (const [name, make] of Object.entries(adversarial)) {
    it(`${name}: 8× the input costs about 8× the work`, () => {
      const small = make(128 * 1024);
      const large = make(1024 * 1024);
      const stepRatio = stepsFor(large) / Math.max(1, stepsFor(small));
      expect(stepRatio).toBeLessThan(9);
      // The step counter cannot see inside the regular-expression engine, so the clock checks
      // that too: quadratic backtracking would make this ratio about 64, linear about 8.
      const timeRatio = millisecondsFor(large) / Math.max(1, millisecondsFor(small));
      expect(timeRatio).toBeLessThan(24);
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
