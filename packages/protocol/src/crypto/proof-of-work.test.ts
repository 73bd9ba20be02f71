import { describe, expect, it } from 'vitest';
import { hasLeadingZeroBits } from '../api/contact.ts';
import { solveProofOfWork } from './proof-of-work.ts';

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
});
