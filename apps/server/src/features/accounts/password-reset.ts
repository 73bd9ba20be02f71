import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { createRandomBytes, createToken, hashLoginSecret, hashToken } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { renderMail } from '../../mail-layout.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { claimPasswordReset, insertPasswordReset, selectPasswordReset } from './invitation-store.ts';
import { signInLimits, throttleKey } from './limits.ts';
import { deleteSessionsOfUser, revokeTrustedDevicesOfUser } from './session-store.ts';
import { kdfParamsForNewPasswords, normaliseEmail } from './sign-in.ts';
import { selectOrganisation, selectUserByEmail, selectUserById, updateUserRow } from './store.ts';

const RESET_LIFETIME_MS = 60 * 60_000;

/**
 * Mails a reset link if the address has an active account. The answer is the same either
 * way, so the endpoint does not reveal who has an account.
 */
export async function requestPasswordReset(
  deps: Deps,
  emailInput: string,
  origin: RequestOrigin,
): Promise<void> {
  const email = normaliseEmail(emailInput);
  const user = await selectUserByEmail(deps.db, email);
  if (user?.status !== 'active') return;
  const limit = await deps.throttle.hit(throttleKey.resetMail(email), signInLimits.resetMails);
  if (!limit.allowed) return;
  const org = await selectOrganisation(deps.db, user.organisation_id);
  const token = createToken();
  const now = deps.clock.now();
  await insertPasswordReset(deps.db, {
    id: crypto.randomUUID(),
    userId: user.id,
    tokenHash: hashToken(token),
    kdfSalt: createRandomBytes(16),
    now,
    expiresAt: new Date(now.getTime() + RESET_LIFETIME_MS),
  });
  const mail = renderMail({
    organisationName: org?.name ?? 'Zegel',
    accentColor: org?.branding['color-primary'],
    heading: 'Nieuw wachtwoord instellen',
    paragraphs: [
      'Iemand (hopelijk u) vroeg om een nieuw wachtwoord voor uw Zegel-account. De link werkt één keer en is een uur geldig.',
      'Let op: berichten die met uw oude sleutel zijn versleuteld, kunt u na het instellen van een nieuw wachtwoord alleen nog lezen als uw organisatie een herstelsleutel gebruikt.',
      'English: someone (hopefully you) asked to reset your Zegel password. The link works once, for one hour.',
    ],
    action: {
      label: 'Nieuw wachtwoord instellen / Set a new password',
      url: `${deps.config.publicUrl}/reset-password#${token}`,
    },
    footer: 'Vroeg u dit niet aan? Negeer deze e-mail; uw wachtwoord blijft ongewijzigd.',
  });
  await deps.mailer.send({ to: email, subject: 'Nieuw wachtwoord voor Zegel', ...mail });
  await deps.audit.record({
    action: AuditAction.passwordResetRequested,
    outcome: 'success',
    organisationId: user.organisation_id,
    actor: { userId: user.id, name: user.name, role: user.role },
    accessPoint: origin,
  });
}

async function findOpenReset(deps: Deps, token: string, origin: RequestOrigin) {
  const limit = await deps.throttle.hit(throttleKey.linkLookup(origin.ip), signInLimits.linkLookups);
  if (!limit.allowed) {
    throw new AppError(ErrorCode.rateLimited, 'Too many attempts from your network. Try again later.', {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const reset = await selectPasswordReset(deps.db, hashToken(token));
  if (!reset || reset.used_at || reset.expires_at <= deps.clock.now()) {
    throw new AppError(
      ErrorCode.resetTokenInvalid,
      'This reset link is not valid any more. Ask for a new one.',
    );
  }
  const user = await selectUserById(deps.db, reset.user_id);
  if (user?.status !== 'active') {
    throw new AppError(
      ErrorCode.resetTokenInvalid,
      'This reset link is not valid any more. Ask for a new one.',
    );
  }
  return { reset, user };
}

export async function lookupPasswordReset(deps: Deps, token: string, origin: RequestOrigin) {
  const { reset, user } = await findOpenReset(deps, token, origin);
  return {
    email: user.email,
    kdfSalt: toBase64Url(reset.kdf_salt),
    kdfParams: kdfParamsForNewPasswords(deps),
  };
}

/**
 * Sets the new login secret. Every session and trusted device ends, and the key pair wrapped
 * with the old password is dropped: see docs/security.md, "Password reset".
 */
export async function completePasswordReset(
  deps: Deps,
  input: { token: string; loginSecret: string },
  origin: RequestOrigin,
) {
  const { reset, user } = await findOpenReset(deps, input.token, origin);
  const loginHash = await hashLoginSecret(input.loginSecret);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    if (!(await claimPasswordReset(tx, reset.id, now))) {
      throw new AppError(ErrorCode.resetTokenInvalid, 'This reset link has already been used.');
    }
    await updateUserRow(tx, user.id, {
      login_hash: loginHash,
      kdf_salt: reset.kdf_salt,
      kdf_params: JSON.stringify(kdfParamsForNewPasswords(deps)),
      password_changed_at: now,
      public_key: null,
      wrapped_private_key: null,
    });
    await deleteSessionsOfUser(tx, user.id);
    await revokeTrustedDevicesOfUser(tx, user.id, now);
  });
  await deps.audit.record({
    action: AuditAction.passwordReset,
    outcome: 'success',
    organisationId: user.organisation_id,
    actor: { userId: user.id, name: user.name, role: user.role },
    accessPoint: origin,
  });
}
