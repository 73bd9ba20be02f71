import type { Selectable } from 'kysely';
import { sha256Hex } from '../../adapters/tokens.ts';
import type { AuditEventsTable } from '../../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Chain versions: 1 hashed with plain SHA-256 (before migration 0065), 2 keyed with HMAC. */
export const ChainVersion = { sha256: 1, keyed: 2 } as const;

/** The fields of an audit row that its hash covers: everything but seq, the two hashes and the version. */
export type ChainedFields = Omit<
  Selectable<AuditEventsTable>,
  'seq' | 'prev_hash' | 'hash' | 'chain_version'
>;

/** Computes a row's hash from the previous row's hash; keyed (v2) or plain (v1). */
export type RowHasher = (prevHash: string, row: ChainedFields) => Promise<string>;

/** JSON with object keys sorted at every level: jsonb does not keep the order we wrote. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a row's hash covers: the previous row's hash ‖ canonical JSON of this row's fields. */
export function chainMessage(prevHash: string, row: ChainedFields): string {
  const fields = [
    row.id,
    row.organisation_id,
    row.occurred_at.toISOString(),
    row.action,
    row.outcome,
    row.actor_user_id,
    row.actor_name,
    row.on_behalf_of,
    row.actor_role,
    row.access_ip,
    row.access_user_agent,
    row.subject_person,
    row.object_type,
    row.object_id,
    row.source,
    row.details,
  ];
  return `${prevHash}\n${canonicalJson(fields)}`;
}

/** Version 1: hash(row) = SHA-256(chainMessage). Anyone with the database can recompute it. */
export function computeAuditHash(prevHash: string, row: ChainedFields): string {
  return sha256Hex(chainMessage(prevHash, row));
}
