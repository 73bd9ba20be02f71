import { hasLeadingZeroBits } from '../api/contact.ts';

/**
 * Solves the contact form's proof of work: the smallest nonce (decimal digits) such that
 * SHA-256(UTF-8(challenge + nonce)) starts with `difficulty` zero bits. Meant for a Web Worker;
 * about 2^difficulty digests. Not a secret: it only makes floods expensive.
 */
export async function solveProofOfWork(challenge: string, difficulty: number): Promise<string> {
  const encoder = new TextEncoder();
  for (let nonce = 0; ; nonce++) {
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}${nonce}`)),
    );
    if (hasLeadingZeroBits(digest, difficulty)) return String(nonce);
  }
}

/**
 * Checks a solution (server and browser alike): `nonce` is 1–12 decimal digits and
 * SHA-256(UTF-8(challenge + nonce)) starts with `difficulty` zero bits. One digest.
 */
export async function checkProofOfWork(
  challenge: string,
  nonce: string,
  difficulty: number,
): Promise<boolean> {
  if (!/^[0-9]{1,12}$/.test(nonce)) return false;
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${challenge}${nonce}`)),
  );
  return hasLeadingZeroBits(digest, difficulty);
}
