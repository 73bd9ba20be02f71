import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findPerson, storeUserKeyPairOnce } from '../accounts/index.ts';

/** The signed-in user's key pair, or null before the browser made one. */
export async function getAccountKeys(deps: Deps, actor: Actor) {
  const row = await findPerson(deps, actor.userId);
  if (!row?.public_key || !row.wrapped_private_key) return { keys: null };
  return { keys: { publicKey: row.public_key, wrappedPrivateKey: row.wrapped_private_key } };
}

/** Stores the user's key pair once; replacing it would orphan everything wrapped to the old key. */
export async function setAccountKeys(
  deps: Deps,
  actor: Actor,
  keys: { publicKey: string; wrappedPrivateKey: string },
  origin: RequestOrigin,
) {
  if (!(await storeUserKeyPairOnce(deps, actor.userId, keys)))
    throw new AppError(ErrorCode.conflict, 'This account already has a key pair.');
  await deps.audit.record({
    action: AuditAction.accountKeysCreated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'user', id: actor.userId },
  });
  return keys;
}
