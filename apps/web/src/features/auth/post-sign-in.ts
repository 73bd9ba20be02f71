import type { SignInProofOfWork, SignInResponse } from '@zegel/protocol/api';
import { DetailedApiError, sendJson, solveInWorker } from '../../api/index.ts';

/** What the sign-in is waiting for, to tell the person. */
export type SignInWait = { kind: 'delay'; seconds: number } | { kind: 'puzzle' };

/** Delays longer than this are shown, not waited out. */
const MAX_WAIT_SECONDS = 30;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the login secret. When the server holds unknown browsers back after many failures
 * elsewhere, this waits out a short delay or solves the puzzle it asks for, then tries again.
 */
export async function postSignIn(
  body: { email: string; loginSecret: string },
  onWait: (wait: SignInWait) => void,
): Promise<SignInResponse> {
  let proofOfWork: SignInProofOfWork | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendJson<SignInResponse>('POST', '/api/auth/sign-in', {
        ...body,
        ...(proofOfWork ? { proofOfWork } : {}),
      });
    } catch (caught) {
      if (!(caught instanceof DetailedApiError) || attempt >= 4) throw caught;
      const details = (caught.details ?? {}) as {
        challenge?: string;
        difficulty?: number;
        retryAfterSeconds?: number;
      };
      if (caught.code === 'proof_of_work_required' && details.challenge && details.difficulty) {
        onWait({ kind: 'puzzle' });
        proofOfWork = {
          challenge: details.challenge,
          nonce: await solveInWorker(details.challenge, details.difficulty),
        };
      } else if (
        caught.code === 'sign_in_delayed' &&
        details.retryAfterSeconds !== undefined &&
        details.retryAfterSeconds <= MAX_WAIT_SECONDS
      ) {
        onWait({ kind: 'delay', seconds: details.retryAfterSeconds });
        await sleep(details.retryAfterSeconds * 1000);
      } else {
        throw caught;
      }
    }
  }
}
