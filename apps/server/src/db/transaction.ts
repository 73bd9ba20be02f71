import type { Deps } from '../deps.ts';

/**
 * Runs work that spans features in one database transaction: every feature's service called
 * with `tx` writes through it, so all of it commits or none does. Features never hand each other
 * a query handle; they hand the transaction's `Deps` to each other's services.
 */
export function inTransaction<T>(deps: Deps, work: (tx: Deps) => Promise<T>): Promise<T> {
  return deps.db.transaction().execute((trx) => work({ ...deps, db: trx }));
}
