import { type Kysely, sql, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB, SessionStage } from '../../db/schema.ts';

/** SQL for sessions and trusted devices; no rules here. */
type Db = Kysely<DB> | Transaction<DB>;

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
