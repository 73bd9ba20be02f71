import { createHash } from 'node:crypto';
import { hasLeadingZeroBits } from '@zegel/protocol/api';
import type { Browser } from './harness.ts';

/**
 * Signs in the way the web app does when it is held back: waits out a delay (on the manual
 * clock) and solves a challenge, then tries again, until the password is actually checked.
 */
export async function signInPatiently(
  browser: Browser,
  clock: { advance(ms: number): void },
  email: string,
  loginSecret: string,
) {
  let delays = 0;
  let puzzles = 0;
  let proofOfWork: { challenge: string; nonce: string } | undefined;
  for (;;) {
    const response = await browser.post('/api/auth/sign-in', {
      email,
      loginSecret,
      ...(proofOfWork ? { proofOfWork } : {}),
    });
    const error = response.statusCode === 429 ? response.json().error : undefined;
    if (error?.code === 'sign_in_delayed') {
      delays++;
      clock.advance(error.details.retryAfterSeconds * 1000);
    } else if (error?.code === 'proof_of_work_required') {
      puzzles++;
      const { challenge, difficulty } = error.details;
      proofOfWork = { challenge, nonce: solveQuickly(challenge, difficulty) };
    } else {
      return { response, delays, puzzles };
    }
  }
}

/**
 * The same puzzle as the browser's solveProofOfWork (whose known answers are tested in the
 * protocol package), solved with synchronous node:crypto so server tests stay quick.
 */
export function solveQuickly(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    const digest = createHash('sha256').update(`${challenge}${nonce}`).digest();
    if (hasLeadingZeroBits(digest, difficulty)) return String(nonce);
  }
}
