import { describe, expect, it } from 'vitest';
import { CONTENT_RECORD_SIZE } from '../content-format.ts';
import vectors from './known-answer-v1.json' with { type: 'json' };
import { runKnownAnswerVectors } from './run.ts';
import type { KnownAnswerVectors } from './types.ts';

const knownAnswers = vectors as KnownAnswerVectors;

describe('known-answer vectors (v1)', () => {
  it('all pass in Node', async () => {
    const results = await runKnownAnswerVectors(knownAnswers);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.length).toBe(
      1 +
        knownAnswers.content.length +
        knownAnswers.hpke.length +
        knownAnswers.privateKeyWrap.length +
        knownAnswers.guest.length +
        knownAnswers.account.length +
        knownAnswers.proofOfWork.length,
    );
  });

  it('cover the sizes and cases the format must get right', () => {
    const R = CONTENT_RECORD_SIZE;
    const lengths = knownAnswers.content.map((v) =>
      'hex' in v.plaintext ? v.plaintext.hex.length / 2 : v.plaintext.length,
    );
    for (const length of [0, 1, R - 1, R, R + 1]) expect(lengths).toContain(length);
    expect(lengths.some((length) => length > 2 * R)).toBe(true);
    expect(knownAnswers.hpke.map((v) => v.purpose)).toEqual(
      expect.arrayContaining(['content-key', 'team-private-key', 'recovery-private-key']),
    );
    expect(knownAnswers.privateKeyWrap.length).toBeGreaterThan(0);
    expect(knownAnswers.guest.some((v) => v.accessCode !== undefined)).toBe(true);
    expect(knownAnswers.guest.some((v) => v.accessCode === undefined)).toBe(true);
    expect(knownAnswers.account.length).toBeGreaterThan(0);
  });

  it('report a changed expected value as a failure, naming what differs', async () => {
    const altered = structuredClone(knownAnswers);
    const first = altered.hpke[0]!;
    first.wrapped = `${first.wrapped.slice(0, -2)}${first.wrapped.endsWith('00') ? '01' : '00'}`;
    altered.content[1]!.ciphertextSha256 = '00'.repeat(32);
    altered.guest[1]!.publicKey = '11'.repeat(32);
    const failed = (await runKnownAnswerVectors(altered)).filter((result) => !result.ok);
    expect(failed.map((result) => result.section).sort()).toEqual(['content', 'guest', 'hpke']);
    expect(failed.find((result) => result.section === 'hpke')?.detail).toMatch(/wrapped/);
  });
});
