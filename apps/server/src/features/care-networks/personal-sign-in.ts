import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import {
  createNumericCode,
  createToken,
  hashToken,
  keyedHash,
  safeEqual,
  verifyLoginSecret,
} from '../../adapters/tokens.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { renderMail } from '../../mail-layout.ts';
import { kdfParamsFor } from './personal-invitations.ts';
import { personalLimits } from './personal-limits.ts';
import {
  completeSession,
  countWrongCode,
  deleteSession,
  insertDevice,
  insertSession,
  selectAccount,
  selectAccountByEmail,
  selectDevice,
  selectSession,
} from './personal-store.ts';

const normalise = (email: string) => email.trim().toLowerCase();

/** The salt and cost for a personal account; unknown addresses get a stable fake salt. */
export async function personalPrelogin(deps: Deps, email: string) {
  const account = await selectAccountByEmail(deps.db, normalise(email));
  if (account) return { kdfSalt: toBase64Url(account.kdf_salt), kdfParams: account.kdf_params };
  const fake = keyedHash(deps.config.secret, 'care-fake-salt', normalise(email)).subarray(0, 16);
  return { kdfSalt: toBase64Url(fake), kdfParams: kdfParamsFor(deps) };
}

/** A new session: full at once (trusted browser, accepted link) or waiting for the device code. */
export async function startSession(deps: Deps, accountId: string, stage: 'device_code' | 'full') {
  const now = deps.clock.now();
  const token = createToken();
  const code = stage === 'device_code' ? createNumericCode(personalLimits.codeLength) : null;
  await insertSession(deps.db, {
    id: crypto.randomUUID(),
    token_hash: hashToken(token),
    account_id: accountId,
    stage,
    code_hash: code ? hashToken(code) : null,
    code_expires_at: code ? new Date(now.getTime() + personalLimits.codeMinutes * 60_000) : null,
    created_at: now,
    expires_at: new Date(now.getTime() + personalLimits.sessionHours * 3_600_000),
  });
  return { token, code };
}

/**
 * Password sign-in. A browser that entered a device code in the last 30 days gets a full
 * session; any other browser gets a session that waits for the code mailed now.
 */
export async function personalSignIn(
  deps: Deps,
  input: { email: string; loginSecret: string },
  deviceToken: string | undefined,
) {
  const email = normalise(input.email);
  const limit = await deps.throttle.hit(`care-sign-in:${email}`, personalLimits.signIn);
  if (!limit.allowed) throw new AppError(ErrorCode.rateLimited, 'Too many attempts; try again later.');
  const account = await selectAccountByEmail(deps.db, email);
  const ok = account ? await verifyLoginSecret(input.loginSecret, account.login_hash) : false;
  if (!account || !ok) throw new AppError(ErrorCode.invalidCredentials, 'Wrong e-mail address or password.');
  await deps.throttle.release(`care-sign-in:${email}`);
  const now = deps.clock.now();
  const trusted = deviceToken
    ? await selectDevice(deps.db, hashToken(deviceToken), account.id, now)
    : undefined;
  const session = await startSession(deps, account.id, trusted ? 'full' : 'device_code');
  if (session.code) await mailDeviceCode(deps, account.email, session.code);
  return { token: session.token, stage: trusted ? ('full' as const) : ('device_code' as const) };
}

async function mailDeviceCode(deps: Deps, to: string, code: string) {
  const mail = renderMail({
    organisationName: 'Zegel',
    heading: 'Uw inlogcode',
    paragraphs: [
      `Uw code is ${code}. Vul de code in op het scherm waar u inlogt. De code is ${personalLimits.codeMinutes} minuten geldig.`,
      `English: your sign-in code is ${code}, valid for ${personalLimits.codeMinutes} minutes.`,
    ],
    footer: 'Logde u niet in? Dan kunt u deze e-mail negeren; zonder de code komt niemand binnen.',
  });
  await deps.mailer.send({ to, subject: 'Uw inlogcode voor Zegel', ...mail });
}

/**
 * The device code: right, and the session is full and this browser trusted for 30 days; wrong
 * five times, and the session is gone (sign in again for a new code).
 */
export async function verifyDeviceCode(deps: Deps, sessionToken: string | undefined, code: string) {
  const now = deps.clock.now();
  const session = sessionToken ? await selectSession(deps.db, hashToken(sessionToken), now) : undefined;
  if (session?.stage !== 'device_code' || !session.code_hash)
    throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  // Wrong codes also count per account across sessions, so signing in again and again (with the
  // password) does not buy fresh guesses.
  const perAccount = `care-device-code:${session.account_id}`;
  if (!(await deps.throttle.check(perAccount, personalLimits.deviceCodes)).allowed)
    throw new AppError(ErrorCode.rateLimited, 'Too many wrong codes; try again later.');
  const expired = !session.code_expires_at || session.code_expires_at <= now;
  if (expired || !safeEqual(hashToken(code), session.code_hash)) {
    await deps.throttle.hit(perAccount, personalLimits.deviceCodes);
    const wrong = await countWrongCode(deps.db, session.id);
    if (expired || wrong >= personalLimits.maxWrongCodes) await deleteSession(deps.db, session.id);
    throw new AppError(ErrorCode.secondFactorInvalid, 'This code is not right or has expired.');
  }
  await completeSession(deps.db, session.id);
  return trustBrowser(deps, session.account_id);
}

/** Trusts this browser for 30 days: no device code at sign-in until then. */
export async function trustBrowser(deps: Deps, accountId: string) {
  const now = deps.clock.now();
  const deviceToken = createToken();
  const expiresAt = new Date(now.getTime() + personalLimits.trustedDeviceDays * 86_400_000);
  await insertDevice(deps.db, {
    id: crypto.randomUUID(),
    token_hash: hashToken(deviceToken),
    account_id: accountId,
    created_at: now,
    expires_at: expiresAt,
  });
  return { deviceToken, expiresAt };
}

/** The person behind a full personal session, or undefined. */
export async function authenticatePerson(deps: Deps, sessionToken: string | undefined) {
  if (!sessionToken) return undefined;
  const session = await selectSession(deps.db, hashToken(sessionToken), deps.clock.now());
  if (session?.stage !== 'full') return undefined;
  const account = await selectAccount(deps.db, session.account_id);
  return account ? { account, sessionId: session.id } : undefined;
}

export async function personalSignOut(deps: Deps, sessionToken: string | undefined) {
  if (!sessionToken) return;
  const session = await selectSession(deps.db, hashToken(sessionToken), deps.clock.now());
  if (session) await deleteSession(deps.db, session.id);
}
