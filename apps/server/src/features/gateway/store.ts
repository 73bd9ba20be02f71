import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Db = Kysely<
  Pick<DB, 'gateway_app_passwords' | 'gateway_settings' | 'gateway_submissions' | 'gateway_recipients'>
>;

export async function insertAppPassword(db: Db, row: DB['gateway_app_passwords']) {
  await db.insertInto('gateway_app_passwords').values(row).execute();
}

export function selectAppPasswords(db: Db, userId: string) {
  return db
    .selectFrom('gateway_app_passwords')
    .select(['id', 'label', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export function selectAppPasswordByHash(db: Db, secretHash: string) {
  return db
    .selectFrom('gateway_app_passwords')
    .select(['id', 'user_id', 'organisation_id'])
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function markAppPasswordUsed(db: Db, id: string, now: Date) {
  await db.updateTable('gateway_app_passwords').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** Revokes one of the user's own app passwords; false when there was none. */
export async function revokeAppPasswordRow(db: Db, userId: string, id: string, now: Date) {
  const result = await db
    .updateTable('gateway_app_passwords')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function selectSettings(db: Db, organisationId: string) {
  return db
    .selectFrom('gateway_settings')
    .select(['always_secure', 'subject_tags'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function upsertSettings(db: Db, row: DB['gateway_settings']) {
  await db
    .insertInto('gateway_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        always_secure: row.always_secure,
        subject_tags: row.subject_tags,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function insertSubmission(
  db: Db,
  submission: Omit<DB['gateway_submissions'], 'reasons'> & { reasons: Record<string, number> },
  recipients: DB['gateway_recipients'][],
) {
  await db
    .insertInto('gateway_submissions')
    .values({ ...submission, reasons: JSON.stringify(submission.reasons) })
    .execute();
  if (recipients.length > 0) await db.insertInto('gateway_recipients').values(recipients).execute();
}

export function selectRecipients(db: Db, submissionId: string) {
  return db
    .selectFrom('gateway_recipients')
    .select(['address', 'route', 'reason'])
    .where('submission_id', '=', submissionId)
    .orderBy('address')
    .execute();
}

/** The organisation's most recent submissions with their recipients' routes. */
export async function selectRecentSubmissions(db: Db, organisationId: string, limit: number) {
  const submissions = await db
    .selectFrom('gateway_submissions')
    .select(['id', 'user_id', 'received_at', 'outcome', 'reasons'])
    .where('organisation_id', '=', organisationId)
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
  const recipients =
    submissions.length === 0
      ? []
      : await db
          .selectFrom('gateway_recipients')
          .select(['submission_id', 'address', 'route', 'reason'])
          .where(
            'submission_id',
            'in',
            submissions.map((s) => s.id),
          )
          .orderBy('address')
          .execute();
  return { submissions, recipients };
}

export function selectSubmission(db: Db, id: string) {
  return db
    .selectFrom('gateway_submissions')
    .select(['id', 'user_id', 'conversation_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}
