import { deriveLinkProof, fromBase64Url, hashLinkProof, verifyLinkProof } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { selectCredentials, setLinkProofHash } from './store.ts';

/** The request header the guest page sends its link proof in (base64url, 32 bytes). */
export const LINK_PROOF_HEADER = 'x-zegel-link-proof';

/**
 * What the server stores for a guest's link: the hash of the proof derived from the link secret
 * (the sender's browser hands the secret over once, for the notification mail; it is not kept).
 */
export async function linkProofHashFor(participantId: string, linkSecret: string): Promise<Uint8Array> {
  return hashLinkProof(await deriveLinkProof(fromBase64Url(linkSecret), participantId));
}

/** Stores a guest's link proof hash where none is stored yet (a contact conversation's first message). */
export async function storeLinkProof(deps: Pick<Deps, 'db'>, participantId: string, linkSecret: string) {
  await setLinkProofHash(deps.db, participantId, await linkProofHashFor(participantId, linkSecret));
}

/**
 * Refuses a request before verification that does not prove the link secret: nothing is
 * counted, sent or shown for it. Guests stored before link proofs existed (no hash) pass, so
 * their links keep working until the message expires.
 */
export async function requireLinkProof(
  deps: Pick<Deps, 'db'>,
  participantId: string,
  proof: string | undefined,
): Promise<void> {
  const [credentials] = await selectCredentials(deps.db, [participantId]);
  if (!credentials?.link_proof_hash) return;
  if (proof !== undefined && (await isValid(proof, credentials.link_proof_hash))) return;
  throw new AppError(
    ErrorCode.linkProofInvalid,
    'This link is incomplete or damaged. Open it again from the e-mail you received.',
  );
}

async function isValid(proof: string, storedHash: Uint8Array): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(proof)) return false;
  return verifyLinkProof(fromBase64Url(proof), storedHash);
}
