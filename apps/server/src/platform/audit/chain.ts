import type { Selectable } from 'kysely';
import { sha256Hex } from '../../adapters/tokens.ts';
import type { AuditEventsTable } from '../../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers: everything but seq and the two hashes. */
export type ChainedFields = Omit<Selectable<AuditEventsTable>, 'seq' | 'prev_hash' | 'hash'>;

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

/** hash(row) = SHA-256(previous row's hash ‖ canonical JSON of this row's fields). */
export function computeAuditHash(prevHash: string, row: ChainedFields): string {
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
  return sha256Hex(`${prevHash}\n${canonicalJson(fields)}`);
}
