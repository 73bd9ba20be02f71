import type { Kysely } from 'kysely';
import type { DB, TeamContactSettingsTable } from '../../db/schema.ts';

const settingsColumns = [
  'accepts_new',
  'region',
  'response_time',
  'auto_reply',
  'office_hours',
  'guest_verification',
  'notify',
  'notify_address',
  'updated_at',
] as const;

/** A team's contact settings; undefined before they were first saved. */
export async function selectContactSettings(db: Kysely<DB>, teamId: string) {
  return db
    .selectFrom('team_contact_settings')
    .select(settingsColumns)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
}

export type SettingsValues = Omit<TeamContactSettingsTable, 'team_id'>;

export async function upsertTeamContactSettings(
  db: Kysely<DB>,
  teamId: string,
  values: SettingsValues,
): Promise<void> {
  await db
    .insertInto('team_contact_settings')
    .values({ team_id: teamId, ...values })
    .onConflict((c) => c.column('team_id').doUpdateSet(values))
    .execute();
}

/** Contact settings of the teams among these that accept new conversations. */
export async function selectOpenSettings(db: Kysely<DB>, teamIds: string[]) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('team_contact_settings')
    .select(['team_id', 'region', 'response_time', 'office_hours', 'guest_verification'])
    .where('team_id', 'in', teamIds)
    .where('accepts_new', '=', true)
    .execute();
}

export async function insertChallenge(
  db: Kysely<DB>,
  row: { challengeHash: string; organisationId: string; difficulty: number; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('contact_challenges')
    .values({
      challenge_hash: row.challengeHash,
      organisation_id: row.organisationId,
      difficulty: row.difficulty,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** Marks a challenge used if it is unused and unexpired; only one caller can win. */
export async function consumeChallenge(
  db: Kysely<DB>,
  challengeHash: string,
  organisationId: string,
  now: Date,
) {
  return db
    .updateTable('contact_challenges')
    .set({ used_at: now })
    .where('challenge_hash', '=', challengeHash)
    .where('organisation_id', '=', organisationId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['difficulty'])
    .executeTakeFirst();
}

export async function insertVerification(
  db: Kysely<DB>,
  row: {
    id: string;
    organisationId: string;
    teamId: string;
    email: string;
    phone: string | null;
    codeHash: string;
    expiresAt: Date;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('contact_verifications')
    .values({
      id: row.id,
      organisation_id: row.organisationId,
      team_id: row.teamId,
      email: row.email,
      phone: row.phone,
      code_hash: row.codeHash,
      expires_at: row.expiresAt,
      created_at: row.now,
    })
    .execute();
}

/** Accepts the code once: the row must be open, unexpired, under the wrong-code limit and match. */
export async function acceptVerificationCode(
  db: Kysely<DB>,
  input: {
    id: string;
    teamId: string;
    codeHash: string;
    maxWrongCodes: number;
    tokenHash: string;
    tokenExpiresAt: Date;
    now: Date;
  },
) {
  return db
    .updateTable('contact_verifications')
    .set({ verified_at: input.now, token_hash: input.tokenHash, token_expires_at: input.tokenExpiresAt })
    .where('id', '=', input.id)
    .where('team_id', '=', input.teamId)
    .where('verified_at', 'is', null)
    .where('expires_at', '>', input.now)
    .where('wrong_codes', '<', input.maxWrongCodes)
    .where('code_hash', '=', input.codeHash)
    .returning(['id'])
    .executeTakeFirst();
}

export async function countWrongCode(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('contact_verifications')
    .set((eb) => ({ wrong_codes: eb('wrong_codes', '+', 1) }))
    .where('id', '=', id)
    .where('verified_at', 'is', null)
    .execute();
}

export async function selectVerification(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('contact_verifications')
    .select(['id', 'organisation_id', 'team_id', 'email'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Spends a send token once (conditional `UPDATE`, so two processes cannot both use it).
 * Answers the proven address, or nothing.
 */
export async function spendSendToken(
  db: Kysely<DB>,
  input: { tokenHash: string; teamId: string; now: Date },
) {
  return db
    .updateTable('contact_verifications')
    .set({ token_used_at: input.now })
    .where('token_hash', '=', input.tokenHash)
    .where('team_id', '=', input.teamId)
    .where('token_used_at', 'is', null)
    .where('token_expires_at', '>', input.now)
    .returning(['id', 'organisation_id', 'email', 'phone'])
    .executeTakeFirst();
}

/** Records which conversation a spent token opened. */
export async function linkVerificationToConversation(db: Kysely<DB>, id: string, conversationId: string) {
  await db
    .updateTable('contact_verifications')
    .set({ conversation_id: conversationId })
    .where('id', '=', id)
    .execute();
}

/** The team's own notification address, when its contact settings send notifications there. */
export async function selectTeamNotifyAddress(db: Kysely<DB>, teamId: string): Promise<string | null> {
  const row = await db
    .selectFrom('team_contact_settings')
    .select('notify_address')
    .where('team_id', '=', teamId)
    .where('notify', '=', 'address')
    .where('notify_address', '<>', '')
    .executeTakeFirst();
  return row?.notify_address ?? null;
}
