import {
  type ContactChallenge,
  type ContactCodeRequest,
  type ContactCodeResponse,
  ContactLimits,
  type ContactVerifyRequest,
  type ContactVerifyResponse,
  hasLeadingZeroBits,
} from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { createNumericCode, createToken, hashToken, keyedHash, sha256Hex } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { renderMail } from '../../mail-layout.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import type { Limit } from '../../platform/throttle/index.ts';
import { findOrganisationBySlug } from '../accounts/index.ts';
import { getContactTeam } from './page.ts';
import {
  acceptVerificationCode,
  consumeChallenge,
  countWrongCode,
  insertChallenge,
  insertVerification,
  selectVerification,
} from './store.ts';

/** NEN 7513: the person (no account) acts for themselves; the address is the subject. */
async function auditContact(
  deps: Deps,
  input: {
    action: AuditAction;
    outcome: 'success' | 'failure';
    organisationId: string;
    teamId: string;
    verificationId: string;
    email: string;
    origin: RequestOrigin;
  },
) {
  await deps.audit.record({
    action: input.action,
    outcome: input.outcome,
    organisationId: input.organisationId,
    actor: { userId: null, name: 'guest', role: 'guest', onBehalfOf: input.email },
    accessPoint: input.origin,
    subjectPerson: input.email,
    object: { type: 'team', id: input.teamId },
    details: { verificationId: input.verificationId },
  });
}

/** Limits of the open form, counted in the database so they hold across every server process. */
export const ContactThrottle = {
  challengesPerIp: { max: 60, windowMs: 10 * 60_000 },
  codesPerAddress: { max: 3, windowMs: 60 * 60_000 },
  codesPerIp: { max: 10, windowMs: 60 * 60_000 },
  verifyPerIp: { max: 30, windowMs: 15 * 60_000 },
} satisfies Record<string, Limit>;

async function throttle(deps: Deps, key: string, limit: Limit, message: string) {
  const result = await deps.throttle.hit(key, limit);
  if (!result.allowed) {
    throw new AppError(ErrorCode.rateLimited, message, { retryAfterSeconds: result.retryAfterSeconds });
  }
}

const minutes = (now: Date, n: number) => new Date(now.getTime() + n * 60_000);
/** Throttle keys hold no personal data: addresses are hashed. */
const addressKey = (email: string) => `contact:code:address:${sha256Hex(email)}`;

async function requireOrganisation(deps: Deps, slug: string) {
  const organisation = await findOrganisationBySlug(deps, slug);
  if (!organisation) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  return organisation;
}

/** Issues a proof-of-work challenge; the server keeps only its hash. */
export async function issueChallenge(
  deps: Deps,
  slug: string,
  origin: RequestOrigin,
): Promise<ContactChallenge> {
  const organisation = await requireOrganisation(deps, slug);
  await throttle(
    deps,
    `contact:challenge:ip:${origin.ip}`,
    ContactThrottle.challengesPerIp,
    'Too many requests from this network; try again later.',
  );
  const challenge = createToken();
  const expiresAt = minutes(deps.clock.now(), ContactLimits.challengeLifetimeMinutes);
  await insertChallenge(deps.db, {
    challengeHash: hashToken(challenge),
    organisationId: organisation.id,
    difficulty: ContactLimits.proofOfWorkBits,
    expiresAt,
  });
  return { challenge, difficulty: ContactLimits.proofOfWorkBits, expiresAt: expiresAt.toISOString() };
}

/** Checks the nonce and uses the challenge up, so a solved challenge buys exactly one request. */
async function spendChallenge(deps: Deps, organisationId: string, challenge: string, nonce: string) {
  const used = await consumeChallenge(deps.db, hashToken(challenge), organisationId, deps.clock.now());
  const hash = Buffer.from(sha256Hex(`${challenge}${nonce}`), 'hex');
  if (!used || !hasLeadingZeroBits(hash, used.difficulty)) {
    throw new AppError(
      ErrorCode.verificationFailed,
      'The anti-abuse check did not pass or has already been used. Please try again.',
    );
  }
}

function hashEmailCode(secret: string, verificationId: string, code: string): string {
  return keyedHash(secret, 'zegel/contact-code/v1', `${verificationId}:${code}`).toString('base64url');
}

/**
 * Step one of starting a conversation without an account: a solved challenge, then a one-time
 * code mailed to the address. Limited per address and per network address.
 */
export async function requestEmailCode(
  deps: Deps,
  slug: string,
  teamId: string,
  input: ContactCodeRequest,
  origin: RequestOrigin,
): Promise<ContactCodeResponse> {
  const { organisation, team } = await getContactTeam(deps, slug, teamId);
  const org = await requireOrganisation(deps, slug);
  await spendChallenge(deps, org.id, input.challenge, input.nonce);
  const email = input.email.trim().toLowerCase();
  await throttle(
    deps,
    `contact:code:ip:${origin.ip}`,
    ContactThrottle.codesPerIp,
    'Too many conversations were started from this network. Please try again later.',
  );
  await throttle(
    deps,
    addressKey(email),
    ContactThrottle.codesPerAddress,
    'Too many codes were sent to this e-mail address. Please try again later.',
  );
  const id = crypto.randomUUID();
  const code = createNumericCode(ContactLimits.emailCodeLength);
  const now = deps.clock.now();
  const expiresAt = minutes(now, ContactLimits.emailCodeLifetimeMinutes);
  await insertVerification(deps.db, {
    id,
    organisationId: org.id,
    teamId,
    email,
    phone: input.phone?.trim() || null,
    codeHash: hashEmailCode(deps.config.secret, id, code),
    expiresAt,
    now,
  });
  const mail = renderMail({
    organisationName: organisation.name,
    accentColor: organisation.branding['color-primary'],
    heading: 'Uw code om een beveiligd gesprek te beginnen',
    paragraphs: [
      `Vul deze code in op de contactpagina van ${organisation.name} (${team.name}): ${code}`,
      `De code is ${ContactLimits.emailCodeLifetimeMinutes} minuten geldig en werkt één keer.`,
      `English: enter this code on the contact page: ${code}. It works once, for ${ContactLimits.emailCodeLifetimeMinutes} minutes.`,
    ],
    footer: 'Vroeg u dit niet aan? Dan kunt u deze e-mail negeren.',
  });
  await deps.mailer.send({ to: email, subject: 'Uw code voor een beveiligd gesprek', ...mail });
  await auditContact(deps, {
    action: AuditAction.contactCodeRequested,
    outcome: 'success',
    organisationId: org.id,
    teamId,
    verificationId: id,
    email,
    origin,
  });
  return { verificationId: id, expiresAt: expiresAt.toISOString() };
}

/** Step two: the code from the mail, once; five wrong codes close the attempt. */
export async function verifyEmailCode(
  deps: Deps,
  slug: string,
  teamId: string,
  input: ContactVerifyRequest,
  origin: RequestOrigin,
): Promise<ContactVerifyResponse> {
  await getContactTeam(deps, slug, teamId);
  await throttle(
    deps,
    `contact:verify:ip:${origin.ip}`,
    ContactThrottle.verifyPerIp,
    'Too many attempts from this network; try again later.',
  );
  const now = deps.clock.now();
  const sendToken = createToken();
  const expiresAt = minutes(now, ContactLimits.sendTokenLifetimeMinutes);
  const accepted = await acceptVerificationCode(deps.db, {
    id: input.verificationId,
    teamId,
    codeHash: hashEmailCode(deps.config.secret, input.verificationId, input.code.trim()),
    maxWrongCodes: ContactLimits.maxWrongCodes,
    tokenHash: hashToken(sendToken),
    tokenExpiresAt: expiresAt,
    now,
  });
  const attempt = await selectVerification(deps.db, input.verificationId);
  const audited = (outcome: 'success' | 'failure') =>
    attempt && attempt.team_id === teamId
      ? auditContact(deps, {
          action:
            outcome === 'success'
              ? AuditAction.contactAddressVerified
              : AuditAction.contactVerificationFailed,
          outcome,
          organisationId: attempt.organisation_id,
          teamId,
          verificationId: attempt.id,
          email: attempt.email,
          origin,
        })
      : Promise.resolve();
  if (!accepted) {
    await countWrongCode(deps.db, input.verificationId);
    await audited('failure');
    throw new AppError(
      ErrorCode.verificationFailed,
      'The code is not correct, has expired or was already used.',
    );
  }
  await audited('success');
  return { sendToken, expiresAt: expiresAt.toISOString() };
}
