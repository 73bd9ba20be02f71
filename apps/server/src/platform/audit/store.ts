import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEventsTable, DB } from '../../db/schema.ts';
import { type ChainedFields, ChainVersion, GENESIS_HASH, type RowHasher } from './chain.ts';

/** Arbitrary but fixed advisory-lock id that serialises appends to the one chain. */
const AUDIT_LOCK_ID = 7_346_002;

/** The newest row of the chain (seq and hash), or undefined for an empty chain. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Appends keyed (version 2) rows to the chain, in order, in one transaction, and returns the
 * new head. The transaction-scoped lock keeps the chain linear across processes; taking it once
 * for all the rows of one action keeps the one global lock short on the hot path.
 */
export async function appendAuditRows(
  db: Kysely<DB>,
  rows: ChainedFields[],
  hashRow: RowHasher,
): Promise<ChainHead & { first: number }> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(tx);
    const last = await tx
      .selectFrom('audit_events')
      .select('hash')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let prevHash = last?.hash ?? GENESIS_HASH;
    const values = [];
    for (const fields of rows) {
      const hash = await hashRow(prevHash, fields);
      values.push({
        ...fields,
        details: JSON.stringify(fields.details),
        prev_hash: prevHash,
        hash,
        chain_version: ChainVersion.keyed,
      });
      prevHash = hash;
    }
    const inserted = await tx.insertInto('audit_events').values(values).returning('seq').execute();
    const seqs = inserted.map((row) => row.seq).sort((a, b) => a - b);
    return { first: seqs[0] as number, seq: seqs.at(-1) as number, hash: prevHash };
  });
}

export async function selectChainHead(db: Kysely<DB>): Promise<ChainHead | undefined> {
  return db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
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
): AsyncGenerator<Selectable<AuditEventsTable>> {
  let afterSeq = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(batchSize)
      .execute();
    yield* rows;
    if (rows.length < batchSize) return;
    afterSeq = rows[rows.length - 1]!.seq;
  }
}
