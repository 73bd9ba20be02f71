import { type AuditChainKeys, verifyAuditSignature } from '@zegel/protocol/crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ChainVersion, chainMessage, computeAuditHash, GENESIS_HASH } from './chain.ts';
import { type AuditCheckpoint, checkpointMessage } from './checkpoint.ts';
import { readChain } from './store.ts';

/** A checkpoint as verify reports it. */
export interface CheckpointRef {
  seq: number;
  createdAt: string;
}

interface VerifyCounts {
  rows: number;
  /** Rows from before the keyed chain (version 1, plain SHA-256). */
  legacyRows: number;
  /** Checkpoints checked against the chain. */
  checkpoints: number;
  /** The newest checkpoint that the chain still matches. */
  lastCheckpoint: CheckpointRef | null;
}

export type VerifyResult =
  | ({ ok: true } & VerifyCounts)
  | ({
      ok: false;
      /** The first row (or the checkpoint's row) that does not hold. */
      brokenSeq: number;
      brokenId: string | null;
      reason: string;
    } & VerifyCounts);

const ref = (c: AuditCheckpoint): CheckpointRef => ({ seq: c.seq, createdAt: c.createdAt });

/**
 * Walks the chain from the first row and names the first row whose link, keyed hash or
 * checkpoint does not hold; then checks that no checkpoint names a row past the end (a deleted
 * tail). Checkpoints are checked for their signature first.
 */
export async function verifyAuditChain(
  db: Kysely<DB>,
  keys: AuditChainKeys,
  checkpoints: AuditCheckpoint[] = [],
): Promise<VerifyResult> {
  const counts: VerifyCounts = { rows: 0, legacyRows: 0, checkpoints: 0, lastCheckpoint: null };
  const forged = await findForgedCheckpoint(keys, checkpoints);
  if (forged)
    return {
      ok: false,
      ...counts,
      brokenSeq: forged.seq,
      brokenId: null,
      reason: `the checkpoint of ${forged.createdAt} (event #${forged.seq}) does not carry this server's signature`,
    };
  const pending = [...checkpoints].sort((a, b) => a.seq - b.seq);
  let prevHash = GENESIS_HASH;
  let keyedSeen = false;
  let lastSeq = 0;
  for await (const row of readChain(db)) {
    counts.rows++;
    const broken = (reason: string): VerifyResult & { ok: false } => ({
      ok: false as const,
      ...counts,
      brokenSeq: row.seq,
      brokenId: row.id,
      reason,
    });
    const skipped = pending[0];
    if (skipped && skipped.seq < row.seq)
      return {
        ...broken(`the event #${skipped.seq} named by the checkpoint of ${skipped.createdAt} is missing`),
        brokenSeq: skipped.seq,
        brokenId: null,
      };
    if (row.prev_hash !== prevHash)
      return broken(
        'its link to the previous row does not match (a row before it was changed, removed or inserted)',
      );
    const fields = { ...row, details: row.details as Record<string, unknown> };
    if (row.chain_version === ChainVersion.keyed) {
      keyedSeen = true;
      if ((await keys.macHex(chainMessage(prevHash, fields))) !== row.hash)
        return broken(
          'its contents do not match its keyed hash (the row was changed or written without the key)',
        );
    } else {
      if (keyedSeen) return broken('it is an unkeyed row after the switch to the keyed chain');
      counts.legacyRows++;
      if (computeAuditHash(prevHash, fields) !== row.hash)
        return broken('its contents do not match its hash (the row was changed)');
    }
    while (pending[0]?.seq === row.seq) {
      const checkpoint = pending.shift() as AuditCheckpoint;
      if (checkpoint.hash !== row.hash)
        return broken(`it differs from the checkpoint of ${checkpoint.createdAt} (the row was rewritten)`);
      counts.checkpoints++;
      counts.lastCheckpoint = ref(checkpoint);
    }
    prevHash = row.hash;
    lastSeq = row.seq;
  }
  const beyond = pending[0];
  if (beyond)
    return {
      ok: false,
      ...counts,
      brokenSeq: beyond.seq,
      brokenId: null,
      reason: `the chain ends at event #${lastSeq}, but the checkpoint of ${beyond.createdAt} names event #${beyond.seq}: events after #${lastSeq} were deleted`,
    };
  return { ok: true, ...counts };
}

async function findForgedCheckpoint(
  keys: AuditChainKeys,
  checkpoints: AuditCheckpoint[],
): Promise<AuditCheckpoint | undefined> {
  for (const c of checkpoints) {
    const valid =
      c.publicKey === keys.publicKey &&
      (await verifyAuditSignature(keys.publicKey, checkpointMessage(c), c.signature));
    if (!valid) return c;
  }
  return undefined;
}
