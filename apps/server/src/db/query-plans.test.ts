import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase } from '../../test/database.ts';
import { createMember, createOrganisationWithAdmin, uniqueEmail } from '../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../test/harness.ts';
import {
  enrolKeys,
  guestLinkFromMail,
  readAsGuest,
  type StaffWithKeys,
  sendSecureMessage,
} from '../../test/messages.ts';
import type { DB } from './schema.ts';

/**
 * Every query the API runs for its lists and look-ups uses an index on PostgreSQL (issue 18,
 * item 7). A mailbox of a few real conversations is multiplied into tens of thousands of rows
 * (each copy with new ids and older times), the audit trail into some 100,000 events; then
 * every GET route of the OpenAPI document, a send and a guest read are called while each SQL
 * statement is recorded, and each is explained with its own parameters. A sequential scan of a
 * table that holds more than LARGE_TABLE rows fails the test, naming the statement.
 */
const COPIES = 2000;
const AUDIT_COPIES = 400;
const LARGE_TABLE = 5000;

/** Conversation rows in foreign-key order; each copy is a whole conversation. */
const CONVERSATION_TABLES = [
  'conversations',
  'participants',
  'guest_credentials',
  'items',
  'item_keys',
  'attachments',
  'message_events',
  'team_conversation_states',
  'team_conversation_events',
  'guest_sessions',
  'recipient_directory',
  'jobs',
  'outbox',
];

interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

const onPostgres = Boolean(inject('postgres'));
let t: TestApp;
let pool: pg.Pool;
let sender: StaffWithKeys;
let colleague: StaffWithKeys;
let recording: Statement[] | undefined;

let recordingDb: Kysely<DB>;

beforeAll(async () => {
  if (!onPostgres) return;
  const database = await openTestDatabase();
  const url = database.url as string;
  pool = new pg.Pool({ connectionString: url, max: 4 });
  recordingDb = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
    log: (event) => {
      if (event.level === 'query')
        recording?.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  t = await createTestApp({ database: { ...database, db: recordingDb } });
  const org = await createOrganisationWithAdmin(t);
  sender = await enrolKeys(org.admin);
  colleague = await enrolKeys(await createMember(t, org.admin));
  await sendSome(6);
  await multiply(CONVERSATION_TABLES, COPIES);
  await multiply(['audit_events'], AUDIT_COPIES);
  await pool.query('ANALYZE');
}, 300_000);

afterAll(async () => {
  await recordingDb?.destroy();
  await pool?.end();
  await t?.close();
});

/** Messages to a colleague and to guests (with an access code or with none), read by a guest. */
async function sendSome(count: number) {
  for (let i = 0; i < count; i++) {
    const address = uniqueEmail('gast');
    const withCode = i % 2 === 0;
    const sent = await sendSecureMessage(t, sender, {
      subject: `Dossier ${i}`,
      bodyHtml: '<p>Zie bijlage.</p>',
      attachments: [{ name: 'brief.txt', type: 'text/plain', bytes: new Uint8Array(100).fill(i) }],
      users: [colleague],
      guests: [
        { address, method: 'email_only' },
        ...(withCode
          ? [{ address: uniqueEmail('gast'), method: 'access_code' as const, accessCode: 'Tulpenveld-77' }]
          : []),
      ],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    const link = guestLinkFromMail(t, address);
    const guest = new Browser(t.app, undefined, '192.0.2.40');
    expect((await guest.post(`/api/guest/${link.recipientId}/verify`, {})).statusCode).toBe(200);
    await readAsGuest(guest, link);
  }
}

/**
 * Copies every row of the tables `copies` times in SQL: uuid keys (and uuid references to a copied
 * table) get a new value per copy, text keys a suffix, times move back a minute per copy; serial
 * columns take their default.
 */
async function multiply(tables: string[], copies: number) {
  for (const table of tables) {
    const columns = await copyExpressions(table, tables);
    const names = columns.map((c) => c.name).join(', ');
    const values = columns.map((c) => c.expression).join(', ');
    await pool.query(
      `INSERT INTO ${table} (${names}) SELECT ${values} FROM ${table} AS row, generate_series(1, ${copies}) AS g`,
    );
  }
}

async function copyExpressions(table: string, copied: string[]) {
  const { rows } = await pool.query<{
    name: string;
    type: string;
    serial: boolean;
    key: boolean;
    ref: string | null;
  }>(
    `SELECT c.column_name AS name, c.data_type AS type,
            coalesce(c.column_default LIKE 'nextval(%', false) OR c.is_identity = 'YES' AS serial,
            EXISTS (SELECT 1 FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
                    WHERE k.conrelid = $1::text::regclass AND k.contype IN ('p', 'u') AND a.attname = c.column_name
                      AND (c.data_type <> 'uuid' OR cardinality(k.conkey) = 1)) AS key,
            (SELECT k.confrelid::regclass::text FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
             WHERE k.conrelid = $1::text::regclass AND k.contype = 'f' AND a.attname = c.column_name LIMIT 1) AS ref
       FROM information_schema.columns c
      WHERE c.table_schema = 'public' AND c.table_name::text = $1::text AND c.is_generated = 'NEVER'`,
    [table],
  );
  return rows
    .filter((c) => !c.serial)
    .map((c) => ({
      name: c.name,
      expression: copyOf(`row.${c.name}`, c, c.ref !== null && copied.includes(c.ref)),
    }));
}

function copyOf(column: string, c: { type: string; key: boolean }, refersToCopy: boolean): string {
  if (c.type === 'uuid' && (c.key || refersToCopy)) return `md5(${column}::text || ':' || g)::uuid`;
  if (c.type === 'text' && c.key) return `${column} || ':' || g`;
  if (c.type.startsWith('timestamp')) return `${column} - g * interval '1 minute'`;
  return column;
}

/** Tables holding more than LARGE_TABLE rows, by the planner's own statistics. */
async function largeTables(): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples > $1`,
    [LARGE_TABLE],
  );
  return new Set(rows.map((r) => r.name));
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function sequentialScans(node: PlanNode, large: Set<string>): string[] {
  const own =
    node['Node Type'] === 'Seq Scan' && large.has(node['Relation Name'] ?? '')
      ? [node['Relation Name'] as string]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => sequentialScans(child, large))];
}

/** Calls `work` while recording; returns each distinct statement once, with its first parameters. */
async function record(work: () => Promise<void>): Promise<Statement[]> {
  recording = [];
  try {
    await work();
  } finally {
    // Transaction control and locks have no plan.
    const planned = (recording ?? []).filter((s) => /^\s*(select|insert|update|delete|with)\b/i.test(s.sql));
    const seen = new Map(planned.map((s) => [s.sql, s]));
    recording = undefined;
    // biome-ignore lint/correctness/noUnsafeFinally: returns the recording either way
    return [...seen.values()];
  }
}

/** The GET routes of the OpenAPI document with their path parameters filled from real rows. */
async function readRoutes(ids: Record<string, string>): Promise<string[]> {
  const document = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<string, object>;
  };
  const urls = Object.entries(document.paths)
    .filter(([, operations]) => 'get' in operations)
    .map(([path]) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`))
    .filter((url) => !url.includes('{'));
  return [
    ...urls,
    '/api/conversations?box=inbox',
    '/api/conversations?box=sent',
    `/api/conversations?box=sent&before=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
    `/api/admin/audit?userId=${sender.id}`,
    '/api/admin/audit?action=message.read',
    '/api/admin/audit/export?format=csv',
  ];
}

describe.runIf(onPostgres)('query plans on realistic row counts (PostgreSQL)', () => {
  it('every list and look-up of the API uses an index on the large tables', async () => {
    const large = await largeTables();
    expect([...large]).toEqual(
      expect.arrayContaining(['conversations', 'items', 'item_keys', 'audit_events']),
    );
    const newest = (
      await pool.query<{ id: string }>(`SELECT id FROM conversations ORDER BY created_at DESC LIMIT 1`)
    ).rows[0];
    const ids = { id: newest?.id ?? '', conversationId: newest?.id ?? '' };
    const statements = await record(async () => {
      for (const url of await readRoutes(ids)) {
        const response = await sender.browser.get(url);
        expect(response.statusCode, url).toBeLessThan(500);
      }
      await sendSome(1);
    });
    expect(statements.length).toBeGreaterThan(30);
    const offenders: string[] = [];
    for (const statement of statements) {
      const explained = await pool.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters]);
      const plan = (explained.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]
        ?.Plan as PlanNode;
      const scans = sequentialScans(plan, large);
      if (scans.length > 0) offenders.push(`${scans.join(', ')}: ${statement.sql}`);
    }
    process.stdout.write(
      `query plans: ${statements.length} statements explained, ${large.size} large tables, ${offenders.length} sequential scans\n`,
    );
    expect(offenders).toEqual([]);
  }, 300_000);
});
