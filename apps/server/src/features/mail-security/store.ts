import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, MailSecurityBulkRunsTable, MailSecurityChecksTable } from '../../db/schema.ts';

type Db = Kysely<DB>;
export type CheckRow = Selectable<MailSecurityChecksTable>;
export type BulkRunRow = Selectable<MailSecurityBulkRunsTable>;

export async function insertCheck(db: Db, row: Insertable<MailSecurityChecksTable>): Promise<void> {
  await db.insertInto('mail_security_checks').values(row).execute();
}

function selectChecks(db: Db) {
  return db.selectFrom('mail_security_checks as c').selectAll('c');
}

export interface CheckQuery {
  organisationId: string;
  domain?: string | undefined;
  /** Rows with seq lower than this (newest first paging). */
  beforeSeq?: number | undefined;
  limit: number;
}

export async function selectCheckPage(db: Db, q: CheckQuery): Promise<CheckRow[]> {
  let query = selectChecks(db).where('c.organisation_id', '=', q.organisationId);
  if (q.domain !== undefined) query = query.where('c.domain', '=', q.domain);
  if (q.beforeSeq !== undefined) query = query.where('c.seq', '<', q.beforeSeq);
  return query.orderBy('c.seq', 'desc').limit(q.limit).execute();
}

export async function selectLatestCheck(
  db: Db,
  organisationId: string,
  domain: string,
): Promise<CheckRow | undefined> {
  return selectChecks(db)
    .where('c.organisation_id', '=', organisationId)
    .where('c.domain', '=', domain)
    .orderBy('c.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest check of every domain the organisation has checked, by domain name. */
export async function selectLatestCheckPerDomain(db: Db, organisationId: string, limit: number) {
  return db
    .selectFrom('mail_security_checks')
    .select(['domain', 'input', 'checked_at', 'score', 'delivery', 'complete', 'checks'])
    .distinctOn('domain')
    .where('organisation_id', '=', organisationId)
    .orderBy('domain')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function insertBulkRun(db: Db, row: Insertable<MailSecurityBulkRunsTable>): Promise<void> {
  await db.insertInto('mail_security_bulk_runs').values(row).execute();
}

export async function selectBulkRun(
  db: Db,
  organisationId: string,
  id: string,
): Promise<BulkRunRow | undefined> {
  return db
    .selectFrom('mail_security_bulk_runs')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateBulkRun(
  db: Db,
  id: string,
  patch: { complete: boolean; rows: string },
): Promise<void> {
  await db.updateTable('mail_security_bulk_runs').set(patch).where('id', '=', id).execute();
}
