import { type Kysely, sql, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB, SessionStage } from '../../db/schema.ts';
import { unlessTaken } from '../../db/unique.ts';

/** SQL for organisations, users, teams, invitations, sessions and devices; no rules here. */
type Db = Kysely<DB> | Transaction<DB>;

// Organisations

export function insertOrganisation(
  db: Db,
  org: { id: string; name: string; slug: string; mailDomains: string[] },
) {
  return db
    .insertInto('organisations')
    .values({ id: org.id, name: org.name, slug: org.slug, mail_domains: org.mailDomains, branding: '{}' })
    .execute();
}

export function selectOrganisation(db: Db, id: string) {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectOrganisationBySlug(db: Db, slug: string) {
  return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function selectOrganisations(db: Db) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'slug', 'created_at'])
    .orderBy('name')
    .execute();
}

export function updateOrganisationRow(
  db: Db,
  id: string,
  patch: Partial<{
    name: string;
    mail_domains: string[];
    branding: string;
    trusted_device_days: number;
    logo_type: string | null;
    logo: Uint8Array | null;
  }>,
) {
  return db.updateTable('organisations').set(patch).where('id', '=', id).execute();
}

// Users

export type UserRow = NonNullable<Awaited<ReturnType<typeof selectUserById>>>;

export function selectUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function selectUsersOfOrganisation(db: Db, organisationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'status', 'totp_enabled_at', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export function countActiveAdmins(db: Db, organisationId: string) {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
}

export function insertUser(
  db: Db,
  user: {
    id: string;
    organisationId: string;
    email: string;
    name: string;
    role: 'admin' | 'member';
    kdfSalt: Uint8Array;
    kdfParams: object;
    loginHash: string;
  },
) {
  return db
    .insertInto('users')
    .values({
      id: user.id,
      organisation_id: user.organisationId,
      email: user.email,
      name: user.name,
      role: user.role,
      kdf_salt: user.kdfSalt,
      kdf_params: JSON.stringify(user.kdfParams),
      login_hash: user.loginHash,
    })
    .execute();
}

export function updateUserRow(
  db: Db,
  id: string,
  patch: Partial<{
    role: 'admin' | 'member';
    status: 'active' | 'deactivated';
    name: string;
    login_hash: string;
    kdf_salt: Uint8Array;
    kdf_params: string;
    password_changed_at: Date;
    totp_secret_sealed: string | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | null;
    public_key: string | null;
    wrapped_private_key: string | null;
  }>,
) {
  return db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Records a TOTP step as used, only if it is newer than the last one: a code works once. */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

// Recovery codes

export async function replaceRecoveryCodes(db: Db, userId: string, codeHashes: string[]) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (codeHashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(
      codeHashes.map((code_hash) => ({ id: crypto.randomUUID(), user_id: userId, code_hash, used_at: null })),
    )
    .execute();
}

/** Marks a recovery code used if it exists and is unused; true when it was. */
export async function consumeRecoveryCode(
  db: Db,
  userId: string,
  codeHash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function countUnusedRecoveryCodes(db: Db, userId: string) {
  return db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
}

// Teams

export function selectTeams(db: Db, organisationId: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'name', 'description', 'mail_address', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export function selectTeam(db: Db, organisationId: string, teamId: string) {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', teamId)
    .executeTakeFirst();
}

export function selectTeamMembers(db: Db, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select([
      'team_members.team_id',
      'team_members.user_id',
      'team_members.role',
      'users.name',
      'users.email',
    ])
    .where('team_members.team_id', 'in', teamIds)
    .orderBy('users.name')
    .execute();
}

/** Stores a new team; `'taken'` when its name is used in the organisation already. */
export function insertTeam(
  db: Db,
  team: { id: string; organisationId: string; name: string; description: string },
) {
  return unlessTaken(() =>
    db
      .insertInto('teams')
      .values({
        id: team.id,
        organisation_id: team.organisationId,
        name: team.name,
        description: team.description,
        mail_address: null,
      })
      .execute(),
  );
}

export function updateTeamRow(
  db: Db,
  teamId: string,
  patch: Partial<{ name: string; description: string; mail_address: string | null }>,
) {
  return unlessTaken(() => db.updateTable('teams').set(patch).where('id', '=', teamId).execute());
}

export function deleteTeamRow(db: Db, teamId: string) {
  return db.deleteFrom('teams').where('id', '=', teamId).execute();
}

export function upsertTeamMember(db: Db, teamId: string, userId: string, role: 'member' | 'admin') {
  return db
    .insertInto('team_members')
    .values({ team_id: teamId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export function deleteTeamMember(db: Db, teamId: string, userId: string) {
  return db
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

// Invitations

export function insertInvitation(
  db: Db,
  inv: {
    id: string;
    organisationId: string;
    email: string;
    name: string;
    role: 'admin' | 'member';
    tokenHash: string;
    kdfSalt: Uint8Array;
    invitedBy: string | null;
    expiresAt: Date;
  },
) {
  return db
    .insertInto('invitations')
    .values({
      id: inv.id,
      organisation_id: inv.organisationId,
      email: inv.email,
      name: inv.name,
      role: inv.role,
      token_hash: inv.tokenHash,
      kdf_salt: inv.kdfSalt,
      invited_by: inv.invitedBy,
      expires_at: inv.expiresAt,
      used_at: null,
      revoked_at: null,
    })
    .execute();
}

export function selectInvitationByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('organisations', 'organisations.id', 'invitations.organisation_id')
    .selectAll('invitations')
    .select('organisations.name as organisation_name')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function selectInvitations(db: Db, organisationId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'name', 'role', 'created_at', 'expires_at', 'used_at', 'revoked_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Marks an invitation used only if it still is open: two clicks on one link make one account. */
export async function claimInvitation(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function revokeInvitationRow(db: Db, organisationId: string, id: string, now: Date) {
  return db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

// Sessions

export function insertSession(
  db: Db,
  s: {
    id: string;
    tokenHash: string;
    userId: string;
    stage: SessionStage;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
) {
  return db
    .insertInto('sessions')
    .values({
      id: s.id,
      token_hash: s.tokenHash,
      user_id: s.userId,
      stage: s.stage,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

function sessionWithUser(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.stage',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.organisation_id',
      'users.email',
      'users.name',
      'users.role',
      'users.status',
    ])
    .where('sessions.token_hash', '=', tokenHash);
}

export function selectSessionWithUser(db: Db, tokenHash: string) {
  return sessionWithUser(db, tokenHash).executeTakeFirst();
}

/**
 * The session and its user, plus what the signed-in user's page shows, in one round trip: the
 * organisation (whether it has a logo, not the logo's bytes) and, for a full session, the teams.
 */
export function selectSessionWithProfile(db: Db, tokenHash: string) {
  return sessionWithUser(db, tokenHash)
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'organisations.name as organisation_name',
      'organisations.slug as organisation_slug',
      'organisations.branding as organisation_branding',
      'organisations.trusted_device_days',
    ])
    .select(sql<boolean>`organisations.logo is not null`.as('organisation_has_logo'))
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('team_members')
          .innerJoin('teams', 'teams.id', 'team_members.team_id')
          .select(['teams.id', 'teams.name', 'team_members.role'])
          .whereRef('team_members.user_id', '=', 'users.id')
          .where('sessions.stage', '=', 'full')
          .orderBy('teams.name'),
      ).as('teams'),
    )
    .executeTakeFirst();
}

export function selectTrustedDeviceDays(db: Db, organisationId: string) {
  return db
    .selectFrom('organisations')
    .select('trusted_device_days')
    .where('id', '=', organisationId)
    .executeTakeFirstOrThrow();
}

export function selectSessionsOfUser(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'stage', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('stage', '=', 'full')
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export function updateSessionRow(
  db: Db,
  id: string,
  patch: Partial<{ stage: SessionStage; token_hash: string; last_seen_at: Date; expires_at: Date }>,
) {
  return db.updateTable('sessions').set(patch).where('id', '=', id).execute();
}

export function deleteSession(db: Db, id: string) {
  return db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
}

export function deleteSessionOfUser(db: Db, userId: string, id: string) {
  return db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export function deleteSessionsOfUser(db: Db, userId: string) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

// Trusted devices

export function insertTrustedDevice(
  db: Db,
  d: { id: string; userId: string; tokenHash: string; label: string; now: Date; expiresAt: Date },
) {
  return db
    .insertInto('trusted_devices')
    .values({
      id: d.id,
      user_id: d.userId,
      token_hash: d.tokenHash,
      label: d.label,
      created_at: d.now,
      last_used_at: d.now,
      expires_at: d.expiresAt,
      revoked_at: null,
    })
    .execute();
}

export function selectTrustedDevice(db: Db, tokenHash: string) {
  return db.selectFrom('trusted_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function selectTrustedDevicesOfUser(db: Db, userId: string, now: Date) {
  return db
    .selectFrom('trusted_devices')
    .select(['id', 'label', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_used_at', 'desc')
    .execute();
}

export function touchTrustedDevice(db: Db, id: string, now: Date) {
  return db.updateTable('trusted_devices').set({ last_used_at: now }).where('id', '=', id).execute();
}

export function revokeTrustedDeviceRow(db: Db, userId: string, id: string, now: Date) {
  return db
    .updateTable('trusted_devices')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function revokeTrustedDevicesOfUser(db: Db, userId: string, now: Date) {
  return db
    .updateTable('trusted_devices')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

// Password resets

export function insertPasswordReset(
  db: Db,
  r: { id: string; userId: string; tokenHash: string; kdfSalt: Uint8Array; now: Date; expiresAt: Date },
) {
  return db
    .insertInto('password_resets')
    .values({
      id: r.id,
      user_id: r.userId,
      token_hash: r.tokenHash,
      kdf_salt: r.kdfSalt,
      created_at: r.now,
      expires_at: r.expiresAt,
      used_at: null,
    })
    .execute();
}

export function selectPasswordReset(db: Db, tokenHash: string) {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function claimPasswordReset(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
