import type { AuditChainKeys } from '@zegel/protocol/crypto';
import { type Kysely, sql } from 'kysely';
import type { BlobStore } from '../../adapters/blob-store.ts';
import type { Clock } from '../../adapters/clock.ts';
import type { DB } from '../../db/schema.ts';
import { selectChainHead } from './store.ts';

export const CHECKPOINT_FORMAT = 'zegel-audit-checkpoint/v1';
const LATEST_KEY = 'audit-checkpoints/latest';
/** Arbitrary but fixed advisory-lock id that serialises checkpoint writers. */
const CHECKPOINT_LOCK_ID = 7_346_003;

/**
 * The head of the audit chain at one moment, signed with the checkpoint key and kept outside the
 * database (the blob store, the server log, an exported file). Each names the one before it, so
 * `verify` can walk back from the latest without listing the store.
 */
export interface AuditCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  seq: number;
  hash: string;
  createdAt: string;
  previousSeq: number | null;
  publicKey: string;
  signature: string;
}

/** A checkpoint was refused: the chain is shorter than the latest checkpoint says. */
export class AuditAnchorError extends Error {
  override name = 'AuditAnchorError';
}

/** The exact text the signature covers. */
export function checkpointMessage(c: Omit<AuditCheckpoint, 'signature' | 'publicKey' | 'format'>): string {
  return [CHECKPOINT_FORMAT, c.seq, c.hash, c.createdAt, c.previousSeq ?? '-'].join('\n');
}

function checkpointKey(seq: number): string {
  return `audit-checkpoints/${String(seq).padStart(12, '0')}`;
}

/** Parses a checkpoint from JSON text; undefined when it is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = value as Partial<AuditCheckpoint> | null;
  const isSeq = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
  if (
    !c ||
    c.format !== CHECKPOINT_FORMAT ||
    !isSeq(c.seq) ||
    typeof c.hash !== 'string' ||
    typeof c.createdAt !== 'string' ||
    !(c.previousSeq === null || isSeq(c.previousSeq)) ||
    typeof c.publicKey !== 'string' ||
    typeof c.signature !== 'string'
  )
    return undefined;
  return c as AuditCheckpoint;
}

async function readCheckpoint(blobs: BlobStore, key: string): Promise<AuditCheckpoint | undefined> {
  const bytes = await blobs.get(key);
  return bytes ? parseCheckpoint(new TextDecoder().decode(bytes)) : undefined;
}

/** Every checkpoint in the blob store, newest first, found by following `previousSeq` from the latest. */
export async function loadStoredCheckpoints(blobs: BlobStore): Promise<AuditCheckpoint[]> {
  const found: AuditCheckpoint[] = [];
  let next = await readCheckpoint(blobs, LATEST_KEY);
  while (next) {
    found.push(next);
    if (next.previousSeq === null || next.previousSeq >= next.seq) break;
    next = await readCheckpoint(blobs, checkpointKey(next.previousSeq));
  }
  return found;
}

/** The blob keys of the stored checkpoints (the latest pointer first), for `zegel backup`. */
export async function listCheckpointKeys(blobs: BlobStore): Promise<string[]> {
  const stored = await loadStoredCheckpoints(blobs);
  return stored.length === 0 ? [] : [LATEST_KEY, ...stored.map((c) => checkpointKey(c.seq))];
}

export interface CheckpointContext {
  db: Kysely<DB>;
  blobs: BlobStore;
  clock: Clock;
  keys: Promise<AuditChainKeys>;
  /**
   * Scheduled checkpoints: skip when nothing but the latest checkpoint's own event came after
   * it, so a quiet installation does not log a checkpoint an hour for nothing.
   */
  onlyIfMoved?: boolean;
}

/**
 * Signs the current head and stores it as the latest checkpoint. Refuses when the chain ends
 * before the latest stored checkpoint: signing the shorter chain would hide a deleted tail.
 * Returns undefined for an empty chain, and the latest checkpoint when the head has not moved.
 */
export async function createCheckpoint(ctx: CheckpointContext): Promise<MadeCheckpoint | undefined> {
  // One checkpoint writer at a time across processes, so `latest` and `previousSeq` stay a list.
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${CHECKPOINT_LOCK_ID})`.execute(tx);
    return writeCheckpoint({ ...ctx, db: tx });
  });
}

/** A checkpoint, and whether it was made now (false: the latest one still stands). */
export interface MadeCheckpoint {
  checkpoint: AuditCheckpoint;
  isNew: boolean;
}

async function writeCheckpoint(ctx: CheckpointContext): Promise<MadeCheckpoint | undefined> {
  const head = await selectChainHead(ctx.db);
  if (!head) return undefined;
  const latest = await readCheckpoint(ctx.blobs, LATEST_KEY);
  if (latest && latest.seq > head.seq)
    throw new AuditAnchorError(
      `the audit trail ends at event #${head.seq}, but the checkpoint of ${latest.createdAt} names event #${latest.seq}; run zegel audit verify`,
    );
  if (latest && (latest.seq === head.seq || (ctx.onlyIfMoved && head.seq === latest.seq + 1)))
    return { checkpoint: latest, isNew: false };
  const keys = await ctx.keys;
  const fields = {
    seq: head.seq,
    hash: head.hash,
    createdAt: ctx.clock.now().toISOString(),
    previousSeq: latest?.seq ?? null,
  };
  const checkpoint: AuditCheckpoint = {
    format: CHECKPOINT_FORMAT,
    ...fields,
    publicKey: keys.publicKey,
    signature: await keys.sign(checkpointMessage(fields)),
  };
  const bytes = new TextEncoder().encode(`${JSON.stringify(checkpoint, null, 2)}\n`);
  await ctx.blobs.put(checkpointKey(checkpoint.seq), bytes);
  await ctx.blobs.put(LATEST_KEY, bytes);
  return { checkpoint, isNew: true };
}
