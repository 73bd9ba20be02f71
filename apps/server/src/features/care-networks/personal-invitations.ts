import { defaultKdfParams, fromBase64Url, type KdfParams, toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { createRandomBytes, createToken, hashLoginSecret, hashToken } from '../../adapters/tokens.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { renderMail } from '../../mail-layout.ts';
import { findOrganisation } from '../accounts/index.ts';
import { personalLimits } from './personal-limits.ts';
import {
  insertAccount,
  insertInvitation,
  selectAccountByEmail,
  selectInvitationByToken,
  selectOpenInvitation,
  useInvitation,
} from './personal-store.ts';

/** The cost staff passwords get, so a personal account's password is as strong. */
export function kdfParamsFor(deps: Deps): KdfParams {
  return { ...defaultKdfParams, memoryKiB: deps.config.kdfMemoryKiB, iterations: deps.config.kdfIterations };
}

/**
 * A person without a staff account who joins a network gets an invitation link by e-mail, unless
 * they have a personal account or an open invitation already. The mail says nothing about the
 * client or the network beyond its host.
 */
export async function invitePerson(deps: Deps, person: { email: string; name: string }, hostName: string) {
  const now = deps.clock.now();
  if (await selectAccountByEmail(deps.db, person.email)) return;
  if (await selectOpenInvitation(deps.db, person.email, now)) return;
  const token = createToken();
  const expiresAt = new Date(now.getTime() + personalLimits.invitationDays * 86_400_000);
  await insertInvitation(deps.db, {
    id: crypto.randomUUID(),
    email: person.email,
    name: person.name,
    token_hash: hashToken(token),
    kdf_salt: createRandomBytes(16),
    created_at: now,
    expires_at: expiresAt,
  });
  const link = `${deps.config.publicUrl}/zorgnetwerk/uitnodiging#${token}`;
  const mail = renderMail({
    organisationName: hostName,
    heading: 'Uitnodiging voor een zorgnetwerk',
    paragraphs: [
      `${hostName} nodigt u uit voor een zorgnetwerk in Zegel. Maak met de knop hieronder uw eigen account aan.`,
      `De link werkt één keer en is geldig tot ${expiresAt.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' })}.`,
      `English: ${hostName} invites you to a care network in Zegel. The link works once and expires on ${expiresAt.toISOString().slice(0, 10)}.`,
    ],
    action: { label: 'Account aanmaken / Create account', url: link },
    footer: 'Verwachtte u deze uitnodiging niet? Dan kunt u deze e-mail negeren.',
  });
  await deps.mailer.send({ to: person.email, subject: 'Uitnodiging voor een zorgnetwerk', ...mail });
}

async function openInvitation(deps: Deps, token: string) {
  const invitation = await selectInvitationByToken(deps.db, hashToken(token));
  if (!invitation) throw new AppError(ErrorCode.invitationInvalid, 'This invitation link is not valid.');
  if (invitation.used_at) throw new AppError(ErrorCode.invitationUsed, 'This invitation link has been used.');
  if (invitation.expires_at <= deps.clock.now())
    throw new AppError(ErrorCode.invitationExpired, 'This invitation link has expired; ask for a new one.');
  return invitation;
}

/** What the browser needs to derive the login secret for a new personal account. */
export async function lookupInvitation(deps: Deps, token: string) {
  const invitation = await openInvitation(deps, token);
  return {
    name: invitation.name,
    email: invitation.email,
    kdfSalt: toBase64Url(invitation.kdf_salt),
    kdfParams: kdfParamsFor(deps),
  };
}

/**
 * Creates the personal account: the login secret (never the password) is hashed again, and the
 * key pair made in the browser is kept as public key and wrapped private key. The link proves the
 * mailbox, so this browser is trusted at once. Returns the new account's id.
 */
export async function acceptInvitation(
  deps: Deps,
  input: { token: string; loginSecret: string; publicKey: string; wrappedPrivateKey: string },
): Promise<string> {
  const invitation = await openInvitation(deps, input.token);
  const now = deps.clock.now();
  const id = crypto.randomUUID();
  const loginHash = await hashLoginSecret(input.loginSecret);
  await inTransaction(deps, async (tx) => {
    if (!(await useInvitation(tx.db, invitation.id, now)))
      throw new AppError(ErrorCode.invitationUsed, 'This invitation link has been used.');
    const stored = await insertAccount(tx.db, {
      id,
      email: invitation.email,
      name: invitation.name,
      kdf_salt: invitation.kdf_salt,
      kdf_params: kdfParamsFor(deps),
      login_hash: loginHash,
      public_key: input.publicKey,
      wrapped_private_key: fromBase64Url(input.wrappedPrivateKey),
      created_at: now,
    });
    if (!stored) throw new AppError(ErrorCode.conflict, 'This address has a personal account already.');
  });
  return id;
}

/** After a person joined a network: their invitation, named after the network's host. */
export async function invitePersonMember(
  deps: Deps,
  member: { person_email: string | null; person_name: string | null },
  hostOrganisationId: string,
) {
  if (!member.person_email || !member.person_name) return;
  const host = await findOrganisation(deps, hostOrganisationId);
  await invitePerson(deps, { email: member.person_email, name: member.person_name }, host?.name ?? 'Zegel');
}
