import { type Kysely, sql } from 'kysely';
import type { AuditEventsTable, DB } from '../../db/schema.ts';
import { type ChainedFields, computeAuditHash, GENESIS_HASH } from './chain.ts';

/** Arbitrary but fixed advisory-lock id that serialises appends to the one chain. */
const AUDIT_LOCK_ID = 7_346_002;

/** Appends a row to the chain. The transaction-scoped lock keeps the chain linear across processes. */
export async function appendAuditRow(db: Kysely<DB>, fields: ChainedFields): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(tx);
    const last = await tx
      .selectFrom('audit_events')
      .select('hash')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const prevHash = last?.hash ?? GENESIS_HASH;
    await tx
      .insertInto('audit_events')
      .values({
        ...fields,
        details: JSON.stringify(fields.details),
        prev_hash: prevHash,
        hash: computeAuditHash(prevHash, fields),
      })
      .execute();
  });
}

export interface AuditQuery {
  organisationId: string;
  from?: Date | undefined;
  to?: Date | undefined;
  actorUserId?: string | undefined;
  subjectPerson?: string | undefined;
  action?: string | undefined;
  /** Return rows with seq lower than this (newest first paging). */
  beforeSeq?: number | undefined;
  limit: number;
}

export async function selectAuditRows(db: Kysely<DB>, q: AuditQuery) {
  let query = db.selectFrom('audit_events').selectAll().where('organisation_id', '=', q.organisationId);
  if (q.from) query = query.where('occurred_at', '>=', q.from);
  if (q.to) query = query.where('occurred_at', '<', q.to);
  if (q.actorUserId) query = query.where('actor_user_id', '=', q.actorUserId);
  if (q.subjectPerson) query = query.where('subject_person', '=', q.subjectPerson);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  return query.orderBy('seq', 'desc').limit(q.limit).execute();
}

/** Reads the whole chain in order, a batch at a time, without holding it all in memory. */
export async function* readChain(
  db: Kysely<DB>,
  batchSize = 1000,
): AsyncGenerator<AuditEventsTable & { seq: number }> {
  let afterSeq = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(batchSize)
      .execute();
    for (const row of rows) yield row as AuditEventsTable & { seq: number };
    if (rows.length < batchSize) return;
    afterSeq = rows[rows.length - 1]!.seq;
  }
}
