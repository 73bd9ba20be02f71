import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The outbox table is written by the outbox mailer and SMS adapters; this store only reads it. */
type OutboxDb = Kysely<Pick<DB, 'outbox'>>;

/** The newest mails and text messages first. */
export function selectNewestOutboxItems(db: OutboxDb, limit: number) {
  return db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}
