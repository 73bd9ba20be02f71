import type { SignInProofOfWork } from '@zegel/protocol/api';
import { defaultKdfParams, type KdfParams, toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { createToken, hashToken, keyedHash, verifyLoginSecret } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { signInLimits, throttleKey } from './limits.ts';
import { serverSecret } from './server-secret.ts';
import {
  deleteSession,
  insertTrustedDevice,
  selectTrustedDevice,
  selectTrustedDeviceDays,
  touchTrustedDevice,
} from './session-store.ts';
import { promoteSession, type SessionContext, startSession } from './sessions.ts';
import { issueSignInDevice } from './sign-in-device.ts';
import { admitSignInAttempt } from './sign-in-guard.ts';
import { recordFailedSignIn } from './sign-in-storms.ts';
import { selectUserByEmail, selectUserById, type UserRow } from './store.ts';
import { confirmTotpEnrolment, isRecoveryCodeShape, useRecoveryCode, verifyTotpCode } from './totp.ts';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The Argon2id parameters new passwords get, from configuration. */
export function kdfParamsForNewPasswords(deps: Deps): KdfParams {
  return { ...defaultKdfParams, memoryKiB: deps.config.kdfMemoryKiB, iterations: deps.config.kdfIterations };
}

/**
 * Step 0: the browser asks for the salt and cost to derive the login secret. Unknown
 * addresses get a stable fake salt (keyed by the server secret), so the answer does not
 * reveal who has an account.
 */
export async function getPreLogin(
  deps: Deps,
  email: string,
): Promise<{ kdfSalt: string; kdfParams: KdfParams }> {
  const user = await selectUserByEmail(deps.db, normaliseEmail(email));
  if (user) return { kdfSalt: toBase64Url(user.kdf_salt), kdfParams: user.kdf_params };
  const fake = keyedHash(serverSecret(deps), 'fake-salt', normaliseEmail(email)).subarray(0, 16);
  return { kdfSalt: toBase64Url(fake), kdfParams: kdfParamsForNewPasswords(deps) };
}

export type SignInResult = {
  token: string;
  stage: 'full' | 'second_factor' | 'enrolment';
  /** A fresh device cookie for this browser (see sign-in-device.ts). */
  signInDevice: { value: string; expiresAt: Date };
};

/**
 * Step 1: checks the login secret, after admitSignInAttempt has counted the attempt (per
 * known browser, or per account for unknown browsers; in the database, so on every process).
 */
export async function signIn(
  deps: Deps,
  input: {
    email: string;
    loginSecret: string;
    deviceToken: string | undefined;
    signInDevice: string | undefined;
    proofOfWork: SignInProofOfWork | undefined;
  },
  origin: RequestOrigin,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const user = await selectUserByEmail(deps.db, email);
  const admission = await admitSignInAttempt(
    deps,
    { email, user, deviceCookie: input.signInDevice, proofOfWork: input.proofOfWork },
    origin,
  );
  const secretMatches = user ? await verifyLoginSecret(input.loginSecret, user.login_hash) : false;
  if (!user || !secretMatches) {
    await recordFailedSignIn(deps, user, origin, admission.device);
    throw new AppError(ErrorCode.invalidCredentials, 'The e-mail address or password is not right.');
  }
  await admission.succeeded();
  const signInDevice = issueSignInDevice(deps, user);
  return { ...(await startSignedInSession(deps, user, input.deviceToken, origin)), signInDevice };
}

async function startSignedInSession(
  deps: Deps,
  user: UserRow,
  deviceToken: string | undefined,
  origin: RequestOrigin,
): Promise<Omit<SignInResult, 'signInDevice'>> {
  if (user.status !== 'active') {
    await recordSignIn(deps, user, origin, 'failure', { reason: 'deactivated' });
    throw new AppError(
      ErrorCode.userDeactivated,
      'This account has been deactivated. Ask your administrator.',
    );
  }
  if (!user.totp_enabled_at) {
    const { token } = await startSession(deps, user.id, 'enrolment', origin);
    await recordSignIn(deps, user, origin, 'success', { stage: 'enrolment' });
    return { token, stage: 'enrolment' };
  }
  if (deviceToken && (await isTrustedDevice(deps, user.id, deviceToken))) {
    const { token } = await startSession(deps, user.id, 'full', origin);
    await recordSignIn(deps, user, origin, 'success', { secondFactor: 'trusted_device' });
    return { token, stage: 'full' };
  }
  const { token } = await startSession(deps, user.id, 'second_factor', origin);
  await recordSignIn(deps, user, origin, 'success', { stage: 'second_factor' });
  return { token, stage: 'second_factor' };
}

function recordSignIn(
  deps: Deps,
  user: UserRow,
  origin: RequestOrigin,
  outcome: 'success' | 'failure',
  details: Record<string, unknown>,
) {
  return deps.audit.record({
    action: AuditAction.signIn,
    outcome,
    organisationId: user.organisation_id,
    actor: { userId: user.id, name: user.name, role: user.role },
    accessPoint: origin,
    details,
  });
}

async function isTrustedDevice(deps: Deps, userId: string, deviceToken: string): Promise<boolean> {
  const device = await selectTrustedDevice(deps.db, hashToken(deviceToken));
  const now = deps.clock.now();
  if (!device || device.user_id !== userId || device.revoked_at || device.expires_at <= now) return false;
  await touchTrustedDevice(deps.db, device.id, now);
  return true;
}

/**
 * Step 2: a TOTP or recovery code. A wrong code leaves the session where it is; after five
 * wrong codes the account's second factor is locked for the window and the session ends.
 */
export async function submitSecondFactor(
  deps: Deps,
  session: SessionContext,
  input: { code: string; trustDevice: boolean; deviceLabel: string },
  origin: RequestOrigin,
): Promise<{ token: string; deviceToken: string | undefined; deviceExpiresAt: Date | undefined }> {
  if (session.stage !== 'second_factor')
    throw new AppError(ErrorCode.conflict, 'No second factor is due for this session.');
  const user = await requireUser(deps, session.actor.userId);
  const key = throttleKey.secondFactor(user.id);
  // Counted before it is checked, so parallel guesses get no more than the limit.
  const state = await deps.throttle.hit(key, signInLimits.secondFactor);
  if (!state.allowed) {
    await deleteSession(deps.db, session.sessionId);
    throw new AppError(ErrorCode.accountLocked, 'Too many wrong codes. Wait a while and sign in again.', {
      retryAfterSeconds: state.retryAfterSeconds,
    });
  }
  const code = input.code.trim();
  const method = isRecoveryCodeShape(code) ? 'recovery_code' : 'totp';
  const valid =
    method === 'totp' ? await verifyTotpCode(deps, user, code) : await useRecoveryCode(deps, user.id, code);
  if (!valid) {
    await deps.audit.record({
      action: AuditAction.secondFactor,
      outcome: 'failure',
      organisationId: user.organisation_id,
      actor: auditActor(session.actor),
      accessPoint: origin,
      details: { method },
    });
    throw new AppError(ErrorCode.secondFactorInvalid, 'That code is not right.');
  }
  await deps.throttle.reset(key);
  const { token } = await promoteSession(deps, session.sessionId, 'full');
  await deps.audit.record({
    action: AuditAction.secondFactor,
    outcome: 'success',
    organisationId: user.organisation_id,
    actor: auditActor(session.actor),
    accessPoint: origin,
    details: { method },
  });
  const device = input.trustDevice ? await trustDevice(deps, session, input.deviceLabel, origin) : undefined;
  return { token, deviceToken: device?.token, deviceExpiresAt: device?.expiresAt };
}

/** Remembers this browser for the organisation's number of days, so the code is not asked again. */
export async function trustDevice(deps: Deps, session: SessionContext, label: string, origin: RequestOrigin) {
  const org = await selectTrustedDeviceDays(deps.db, session.actor.organisationId);
  if (org.trusted_device_days === 0) return undefined;
  const now = deps.clock.now();
  const token = createToken();
  const id = crypto.randomUUID();
  const expiresAt = new Date(now.getTime() + org.trusted_device_days * 86_400_000);
  await insertTrustedDevice(deps.db, {
    id,
    userId: session.actor.userId,
    tokenHash: hashToken(token),
    label: label.slice(0, 120),
    now,
    expiresAt,
  });
  await deps.audit.record({
    action: AuditAction.deviceTrusted,
    outcome: 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
    object: { type: 'trusted_device', id },
    details: { days: org.trusted_device_days },
  });
  return { token, expiresAt };
}

export async function requireUser(deps: Deps, userId: string): Promise<UserRow> {
  const user = await selectUserById(deps.db, userId);
  if (!user) throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  return user;
}

/** Finishes TOTP enrolment (first sign-in): activates the app, promotes the session, returns recovery codes. */
export async function completeEnrolment(
  deps: Deps,
  session: SessionContext,
  input: { code: string; trustDevice: boolean; deviceLabel: string },
  origin: RequestOrigin,
) {
  const user = await requireUser(deps, session.actor.userId);
  const recoveryCodes = await confirmTotpEnrolment(deps, user, input.code.trim());
  const { token } =
    session.stage === 'full' ? { token: undefined } : await promoteSession(deps, session.sessionId, 'full');
  await deps.audit.record({
    action: AuditAction.totpEnrolled,
    outcome: 'success',
    organisationId: user.organisation_id,
    actor: auditActor(session.actor),
    accessPoint: origin,
  });
  const device = input.trustDevice ? await trustDevice(deps, session, input.deviceLabel, origin) : undefined;
  return { token, recoveryCodes, deviceToken: device?.token, deviceExpiresAt: device?.expiresAt };
}
