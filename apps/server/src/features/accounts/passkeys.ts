import type { Passkey, PasskeyCredential } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import {
  checkAuthentication,
  checkRegistration,
  createAuthenticationOptions,
  createRegistrationOptions,
  type RelyingParty,
  type StoredPasskey,
} from '../../adapters/webauthn.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { signInLimits, throttleKey } from './limits.ts';
import {
  deletePasskeyRow,
  insertPasskey,
  putChallenge,
  recordPasskeyUse,
  renamePasskeyRow,
  selectPasskeysOfUser,
  takeChallenge,
} from './passkey-store.ts';
import { promoteSession, type SessionContext } from './sessions.ts';
import { requireUser } from './sign-in.ts';

/** A ceremony must finish within this time. */
const CHALLENGE_MS = 5 * 60_000;
const MAX_PASSKEYS = 10;

const relyingParty = (deps: Deps): RelyingParty => ({ name: 'Zegel', publicUrl: deps.config.publicUrl });

const stored = (row: Awaited<ReturnType<typeof selectPasskeysOfUser>>[number]): StoredPasskey => ({
  credentialId: row.credential_id,
  publicKey: row.public_key,
  counter: Number(row.counter),
  transports: row.transports,
});

export async function listPasskeys(deps: Deps, session: SessionContext): Promise<Passkey[]> {
  const rows = await selectPasskeysOfUser(deps.db, session.actor.userId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  }));
}

/** Step 1 of adding a passkey: options for navigator.credentials.create, excluding the ones it has. */
export async function beginPasskeyRegistration(deps: Deps, session: SessionContext) {
  const user = await requireUser(deps, session.actor.userId);
  const existing = (await selectPasskeysOfUser(deps.db, user.id)).map(stored);
  if (existing.length >= MAX_PASSKEYS)
    throw new AppError(ErrorCode.conflict, `An account can have at most ${MAX_PASSKEYS} passkeys.`);
  return openCeremony(
    deps,
    session,
    'register',
    await createRegistrationOptions(relyingParty(deps), user, existing),
  );
}

/** Keeps the options' challenge as the session's one open ceremony and hands the options out. */
async function openCeremony(
  deps: Deps,
  session: SessionContext,
  purpose: 'register' | 'authenticate',
  options: { challenge: string },
) {
  await putChallenge(deps.db, {
    sessionId: session.sessionId,
    purpose,
    challenge: options.challenge,
    expiresAt: new Date(deps.clock.now().getTime() + CHALLENGE_MS),
  });
  return options as unknown as Record<string, unknown>;
}

/** Step 2: checks the new credential against this session's challenge and stores it under a name. */
export async function finishPasskeyRegistration(
  deps: Deps,
  session: SessionContext,
  input: { name: string; credential: PasskeyCredential },
  origin: RequestOrigin,
): Promise<Passkey> {
  const now = deps.clock.now();
  const challenge = await takeChallenge(deps.db, session.sessionId, 'register', now);
  const credential = challenge
    ? await checkRegistration(relyingParty(deps), input.credential as never, challenge.challenge)
    : undefined;
  if (!credential)
    throw new AppError(ErrorCode.verificationFailed, 'The passkey could not be checked. Please try again.');
  const id = crypto.randomUUID();
  const name = input.name.trim();
  const inserted = await insertPasskey(deps.db, {
    id,
    userId: session.actor.userId,
    ...credential,
    name,
    now,
  });
  if (!inserted) throw new AppError(ErrorCode.conflict, 'This passkey is registered already.');
  await auditPasskey(deps, session, origin, AuditAction.passkeyAdded, id);
  return { id, name, createdAt: now.toISOString(), lastUsedAt: null };
}

export async function renamePasskey(
  deps: Deps,
  session: SessionContext,
  id: string,
  name: string,
  origin: RequestOrigin,
) {
  if (!(await renamePasskeyRow(deps.db, session.actor.userId, id, name.trim())))
    throw new AppError(ErrorCode.notFound, 'No such passkey.');
  await auditPasskey(deps, session, origin, AuditAction.passkeyRenamed, id);
}

export async function removePasskey(deps: Deps, session: SessionContext, id: string, origin: RequestOrigin) {
  if (!(await deletePasskeyRow(deps.db, session.actor.userId, id)))
    throw new AppError(ErrorCode.notFound, 'No such passkey.');
  await auditPasskey(deps, session, origin, AuditAction.passkeyRemoved, id);
}

function auditPasskey(
  deps: Deps,
  session: SessionContext,
  origin: RequestOrigin,
  action: AuditAction,
  id: string,
) {
  return deps.audit.record({
    action,
    outcome: 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
    object: { type: 'passkey', id },
  });
}

/** Second factor with a passkey, step 1: options for navigator.credentials.get with the user's passkeys. */
export async function beginPasskeySignIn(deps: Deps, session: SessionContext) {
  requireSecondFactorStage(session);
  const passkeys = (await selectPasskeysOfUser(deps.db, session.actor.userId)).map(stored);
  if (passkeys.length === 0) throw new AppError(ErrorCode.notFound, 'This account has no passkey.');
  return openCeremony(
    deps,
    session,
    'authenticate',
    await createAuthenticationOptions(relyingParty(deps), passkeys),
  );
}

/**
 * Step 2: a genuine assertion of one of the user's own passkeys for this session's challenge
 * promotes the session to full. Counted like a code (five wrong per window), so it cannot be
 * used to probe; the challenge is used once.
 */
export async function finishPasskeySignIn(
  deps: Deps,
  session: SessionContext,
  credential: PasskeyCredential,
  origin: RequestOrigin,
): Promise<{ token: string }> {
  requireSecondFactorStage(session);
  const key = throttleKey.secondFactor(session.actor.userId);
  const state = await deps.throttle.hit(key, signInLimits.secondFactor);
  if (!state.allowed)
    throw new AppError(ErrorCode.accountLocked, 'Too many failed attempts. Wait a while and sign in again.', {
      retryAfterSeconds: state.retryAfterSeconds,
    });
  const now = deps.clock.now();
  const challenge = await takeChallenge(deps.db, session.sessionId, 'authenticate', now);
  const row = (await selectPasskeysOfUser(deps.db, session.actor.userId)).find(
    (p) => p.credential_id === credential.id,
  );
  const counter =
    challenge && row
      ? await checkAuthentication(relyingParty(deps), credential as never, challenge.challenge, stored(row))
      : undefined;
  await deps.audit.record({
    action: AuditAction.secondFactor,
    outcome: counter === undefined ? 'failure' : 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
    details: { method: 'passkey' },
  });
  if (counter === undefined || !row)
    throw new AppError(ErrorCode.secondFactorInvalid, 'The passkey could not be checked. Please try again.');
  await deps.throttle.reset(key);
  await recordPasskeyUse(deps.db, row.id, counter, now);
  return promoteSession(deps, session.sessionId, 'full');
}

function requireSecondFactorStage(session: SessionContext) {
  if (session.stage !== 'second_factor')
    throw new AppError(ErrorCode.conflict, 'No second factor is due for this session.');
}
