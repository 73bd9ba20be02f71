import type { SignInProofOfWork } from '@zegel/protocol/api';
import { checkProofOfWork, toBase64Url } from '@zegel/protocol/crypto';
import { createRandomBytes, hashToken, keyedHash, safeEqual } from '../../adapters/tokens.ts';
import type { Deps } from '../../deps.ts';
import { signInProofOfWork } from './limits.ts';
import { serverSecret } from './server-secret.ts';
import { spendChallengeOnce } from './sign-in-store.ts';

/**
 * Sign-in challenges (hashcash with SHA-256): `v1.difficulty.expiry.random.mac`, the MAC binding
 * them to the address signed in to. The server keeps nothing until one comes back solved; then it
 * records the challenge as spent, so each solution buys exactly one attempt.
 */
const LABEL = 'zegel/sign-in-challenge/v1';

function macOf(deps: Deps, email: string, body: string): string {
  return keyedHash(serverSecret(deps), LABEL, `${email}|${body}`).toString('base64url');
}

/** The difficulty (leading zero bits) asked after `hits` failures; grows one bit per four failures. */
export function requiredDifficulty(hits: number): number {
  const { fromFailures, minBits, maxBits, failuresPerBit } = signInProofOfWork;
  if (hits < fromFailures) return 0;
  return Math.min(maxBits, minBits + Math.floor((hits - fromFailures) / failuresPerBit));
}

export function issueSignInChallenge(deps: Deps, email: string, difficulty: number) {
  const expiresAt = deps.clock.now().getTime() + signInProofOfWork.lifetimeMs;
  const body = `v1.${difficulty}.${expiresAt}.${toBase64Url(createRandomBytes(16))}`;
  return { challenge: `${body}.${macOf(deps, email, body)}`, difficulty };
}

/**
 * The difficulty of a solved, genuine, unexpired and unused challenge for this address (and uses
 * it up); undefined otherwise.
 */
export async function spendSolvedChallenge(
  deps: Deps,
  email: string,
  solution: SignInProofOfWork,
): Promise<number | undefined> {
  const parts = solution.challenge.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return undefined;
  const [, bits, expiry, , mac] = parts as [string, string, string, string, string];
  const body = parts.slice(0, 4).join('.');
  const difficulty = Number(bits);
  const expiresAt = Number(expiry);
  const now = deps.clock.now();
  if (!Number.isInteger(difficulty) || difficulty > signInProofOfWork.maxBits) return undefined;
  if (!Number.isFinite(expiresAt) || expiresAt <= now.getTime()) return undefined;
  if (!safeEqual(mac, macOf(deps, email, body))) return undefined;
  if (!(await checkProofOfWork(solution.challenge, solution.nonce, difficulty))) return undefined;
  const fresh = await spendChallengeOnce(deps.db, hashToken(solution.challenge), new Date(expiresAt), now);
  return fresh ? difficulty : undefined;
}
