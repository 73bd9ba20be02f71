import type { AuditEvent } from '@zegel/protocol/api';
import type { AuditRow } from './service.ts';

export function presentAuditRow(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    onBehalfOf: row.on_behalf_of,
    actorRole: row.actor_role,
    accessIp: row.access_ip,
    accessUserAgent: row.access_user_agent,
    subjectPerson: row.subject_person,
    objectType: row.object_type,
    objectId: row.object_id,
    source: row.source,
    details: row.details as Record<string, unknown>,
  };
}

const CSV_COLUMNS = [
  'seq',
  'id',
  'occurredAt',
  'action',
  'outcome',
  'actorUserId',
  'actorName',
  'onBehalfOf',
  'actorRole',
  'accessIp',
  'accessUserAgent',
  'subjectPerson',
  'objectType',
  'objectId',
  'source',
  'details',
] as const;

/**
 * RFC 4180 CSV. Cells that a spreadsheet would read as a formula (=, +, -, @) get a leading
 * apostrophe, so an exported log cannot run anything when an admin opens it.
 */
export function toCsv(events: AuditEvent[]): string {
  const cell = (value: unknown): string => {
    let text =
      value === null || value === undefined
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(','), ...events.map((e) => CSV_COLUMNS.map((c) => cell(e[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
