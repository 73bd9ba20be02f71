import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { createRandomBytes, createToken, hashLoginSecret, hashToken } from '../../adapters/tokens.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { renderMail } from '../../mail-layout.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  claimInvitation,
  insertInvitation,
  revokeInvitationRow,
  selectInvitationByTokenHash,
  selectInvitations,
} from './invitation-store.ts';
import { signInLimits, throttleKey } from './limits.ts';
import { startSession } from './sessions.ts';
import { kdfParamsForNewPasswords, normaliseEmail } from './sign-in.ts';
import { insertUser, selectOrganisation, selectUserByEmail } from './store.ts';

/** The link in the mail carries the token in the #fragment, so it never reaches server logs. */
export function invitationLink(deps: Deps, token: string): string {
  return `${deps.config.publicUrl}/invitation#${token}`;
}

/**
 * Invites someone to the organisation by e-mail. `actor` is null when an operator uses the
 * `zegel admin` command. Returns the link too, for that command to print.
 */
export async function inviteUser(
  deps: Deps,
  actor: Actor | null,
  organisationId: string,
  input: { email: string; name: string; role: 'admin' | 'member' },
  origin: RequestOrigin | null,
) {
  const email = normaliseEmail(input.email);
  if (await selectUserByEmail(deps.db, email)) {
    throw new AppError(ErrorCode.conflict, 'Someone with this e-mail address already has an account.');
  }
  const org = await selectOrganisation(deps.db, organisationId);
  if (!org) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const token = createToken();
  const id = crypto.randomUUID();
  const expiresAt = new Date(deps.clock.now().getTime() + deps.config.invitationDays * 86_400_000);
  await insertInvitation(deps.db, {
    id,
    organisationId,
    email,
    name: input.name.trim(),
    role: input.role,
    tokenHash: hashToken(token),
    kdfSalt: createRandomBytes(16),
    invitedBy: actor?.userId ?? null,
    expiresAt,
  });
  const link = invitationLink(deps, token);
  const mail = renderMail({
    organisationName: org.name,
    accentColor: org.branding['color-primary'],
    heading: `Uitnodiging voor Zegel van ${org.name}`,
    paragraphs: [
      `${actor?.name ?? 'De beheerder'} nodigt u uit om een account aan te maken bij ${org.name}. Met Zegel wisselt u vertrouwelijke berichten en bestanden veilig uit.`,
      `De link is geldig tot ${expiresAt.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' })} en werkt één keer.`,
      `English: ${actor?.name ?? 'The administrator'} invites you to create an account at ${org.name}. The link works once and expires on ${expiresAt.toISOString().slice(0, 10)}.`,
    ],
    action: { label: 'Account aanmaken / Create account', url: link },
    footer: 'Verwachtte u deze uitnodiging niet? Dan kunt u deze e-mail negeren.',
  });
  await deps.mailer.send({ to: email, subject: `Uitnodiging voor Zegel van ${org.name}`, ...mail });
  await deps.audit.record({
    action: AuditAction.invitationCreated,
    outcome: 'success',
    organisationId,
    actor: actor ? auditActor(actor) : { userId: null, name: 'zegel admin (command line)', role: 'operator' },
    accessPoint: origin,
    object: { type: 'invitation', id },
    details: { role: input.role },
  });
  return { id, link, expiresAt };
}

export async function listInvitations(deps: Deps, actor: Actor) {
  const rows = await selectInvitations(deps.db, actor.organisationId);
  const now = deps.clock.now();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    status: (row.used_at
      ? 'used'
      : row.revoked_at
        ? 'revoked'
        : row.expires_at <= now
          ? 'expired'
          : 'open') as 'used' | 'revoked' | 'expired' | 'open',
  }));
}

export async function revokeInvitation(
  deps: Deps,
  actor: Actor,
  invitationId: string,
  origin: RequestOrigin,
) {
  const result = await revokeInvitationRow(deps.db, actor.organisationId, invitationId, deps.clock.now());
  if (result.numUpdatedRows !== 1n)
    throw new AppError(ErrorCode.notFound, 'No open invitation with this id.');
  await deps.audit.record({
    action: AuditAction.invitationRevoked,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'invitation', id: invitationId },
  });
}

/** Finds an open invitation by its token, or says clearly why it cannot be used. */
async function findOpenInvitation(deps: Deps, token: string, origin: RequestOrigin) {
  const limit = await deps.throttle.hit(throttleKey.linkLookup(origin.ip), signInLimits.linkLookups);
  if (!limit.allowed) {
    throw new AppError(ErrorCode.rateLimited, 'Too many attempts from your network. Try again later.', {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const invitation = await selectInvitationByTokenHash(deps.db, hashToken(token));
  if (!invitation || invitation.revoked_at) {
    throw new AppError(
      ErrorCode.invitationInvalid,
      'This invitation link is not valid. Ask your administrator for a new one.',
    );
  }
  if (invitation.used_at) {
    throw new AppError(
      ErrorCode.invitationUsed,
      'This invitation has already been used. Sign in with your account instead.',
    );
  }
  if (invitation.expires_at <= deps.clock.now()) {
    throw new AppError(
      ErrorCode.invitationExpired,
      'This invitation has expired. Ask your administrator for a new one.',
    );
  }
  return invitation;
}

/** What the browser needs to show the invitation and derive the new account's secrets. */
export async function lookupInvitation(deps: Deps, token: string, origin: RequestOrigin) {
  const invitation = await findOpenInvitation(deps, token, origin);
  return {
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
    organisationName: invitation.organisation_name,
    kdfSalt: toBase64Url(invitation.kdf_salt),
    kdfParams: kdfParamsForNewPasswords(deps),
  };
}

/**
 * Creates the account from an invitation. The browser sends only the login secret derived
 * from the chosen password; the session starts at the enrolment stage (TOTP comes next).
 */
export async function acceptInvitation(
  deps: Deps,
  input: { token: string; name: string; loginSecret: string },
  origin: RequestOrigin,
) {
  const invitation = await findOpenInvitation(deps, input.token, origin);
  const loginHash = await hashLoginSecret(input.loginSecret);
  const userId = crypto.randomUUID();
  await deps.db.transaction().execute(async (tx) => {
    if (!(await claimInvitation(tx, invitation.id, deps.clock.now()))) {
      throw new AppError(ErrorCode.invitationUsed, 'This invitation has already been used.');
    }
    if (await selectUserByEmail(tx, invitation.email)) {
      throw new AppError(ErrorCode.conflict, 'Someone with this e-mail address already has an account.');
    }
    await insertUser(tx, {
      id: userId,
      organisationId: invitation.organisation_id,
      email: invitation.email,
      name: input.name.trim() || invitation.name,
      role: invitation.role,
      kdfSalt: invitation.kdf_salt,
      kdfParams: kdfParamsForNewPasswords(deps),
      loginHash,
    });
  });
  await deps.audit.record({
    action: AuditAction.invitationAccepted,
    outcome: 'success',
    organisationId: invitation.organisation_id,
    actor: { userId, name: input.name.trim() || invitation.name, role: invitation.role },
    accessPoint: origin,
    object: { type: 'invitation', id: invitation.id },
  });
  return startSession(deps, userId, 'enrolment', origin);
}
