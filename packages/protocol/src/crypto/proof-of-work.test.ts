import { describe, expect, it } from 'vitest';
import { hasLeadingZeroBits } from '../api/contact.ts';
import { checkProofOfWork, solveProofOfWork } from './proof-of-work.ts';

describe('proof of work', () => {
  it('counts leading zero bits across byte boundaries', () => {
    expect(hasLeadingZeroBits(new Uint8Array([0, 0x7f]), 9)).toBe(true);
    expect(hasLeadingZeroBits(new Uint8Array([0, 0x80]), 9)).toBe(false);
    expect(hasLeadingZeroBits(new Uint8Array([0x0f]), 4)).toBe(true);
    expect(hasLeadingZeroBits(new Uint8Array([0x10]), 4)).toBe(false);
    expect(hasLeadingZeroBits(new Uint8Array([0xff]), 0)).toBe(true);
  });

  it('finds a nonce whose SHA-256 with the challenge has the asked zero bits', async () => {
    const challenge = 'vaste-uitdaging';
    const nonce = await solveProofOfWork(challenge, 10);
    expect(nonce).toMatch(/^[0-9]+$/);
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${challenge}${nonce}`)),
    );
    expect(hasLeadingZeroBits(digest, 10)).toBe(true);
  });

  // Known answers computed independently (node:crypto SHA-256): the smallest nonce per challenge.
  const knownAnswers = [
    { challenge: 'zegel/sign-in/kat-1', difficulty: 12, nonce: '517' },
    { challenge: 'zegel/sign-in/kat-2', difficulty: 14, nonce: '10732' },
  ];

  it.each(knownAnswers)('solves and checks the known answer for $challenge', async (kat) => {
    expect(await solveProofOfWork(kat.challenge, kat.difficulty)).toBe(kat.nonce);
    expect(await checkProofOfWork(kat.challenge, kat.nonce, kat.difficulty)).toBe(true);
  });

  it('refuses a wrong nonce, a nonce for another challenge and a non-decimal nonce', async () => {
    expect(await checkProofOfWork('zegel/sign-in/kat-1', '516', 12)).toBe(false);
    expect(await checkProofOfWork('zegel/sign-in/kat-2', '517', 12)).toBe(false);
    expect(await checkProofOfWork('zegel/sign-in/kat-1', '0517x', 0)).toBe(false);
  });
});
