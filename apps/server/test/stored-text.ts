import { sql } from 'kysely';
import type { TestApp } from './harness.ts';

/**
 * Everything a test app kept, as text, for canary checks: every row of every table, the blob
 * store, the log lines, and every mail and text message sent.
 */
export async function storedText(t: TestApp) {
  const tables = await sql<{
    table_name: string;
  }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(t.deps.db);
  let dump = '';
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table_name)} t`.execute(
      t.deps.db,
    );
    dump += rows.rows.map((r) => r.row).join('\n');
  }
  return {
    dump,
    blobs: [...t.blobs.blobs.values()].map((b) => Buffer.from(b).toString('latin1')).join('\n'),
    logs: JSON.stringify(t.logs),
    mails: JSON.stringify(t.mailer.sent) + JSON.stringify(t.sms.sent),
  };
}

/** The forms a canary could be stored in: as is, hex, and the start of its base64. */
export const canaryForms = (canary: string) => [
  canary,
  Buffer.from(canary).toString('hex'),
  Buffer.from(canary).toString('base64').slice(0, 16),
];

/** Where any form of any canary turns up (`"dump: CANARY-…"`); empty when nowhere. */
export function canariesIn(stored: Record<string, string>, canaries: readonly string[]): string[] {
  return Object.entries(stored).flatMap(([place, text]) =>
    canaries.flatMap((canary) =>
      canaryForms(canary)
        .filter((form) => text.includes(form))
        .map((form) => `${place}: ${form}`),
    ),
  );
}
