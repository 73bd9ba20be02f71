/**
 * Messages sent per second with one guest recipient, all server work included: the HTTP request
 * (validation, session, checks), the database transaction (conversation, participants, item,
 * wrapped keys, events, recipient directory, job) and the delivery job (claim, mail render and
 * send to a null mailer, receipts). The browser's encryption is done before timing starts.
 *
 * Baseline, in the same run and on the same engine: plain SQL inserts and updates of the same rows
 * (no HTTP, no checks, no job queue). Run on PGlite (in memory) and on PostgreSQL
 * (a throw-away database on 127.0.0.1:5432, or ZEGEL_BENCH_POSTGRES_URL).
 */
import {
  createGuestInvitation,
  encodeLinkSecret,
  encryptItem,
  generateKeyPair,
  toBase64Url,
  utf8,
} from '@zegel/protocol/crypto';
import pg from 'pg';
import { createMemoryBlobStore } from '../apps/server/src/adapters/blob-store.ts';
import type { Mailer } from '../apps/server/src/adapters/mailer.ts';
import { createRecordingSms } from '../apps/server/src/adapters/sms.ts';
import { createApp } from '../apps/server/src/app.ts';
import { createDeps } from '../apps/server/src/boot.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { type Database, openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createOrganisation } from '../apps/server/src/features/accounts/organisations.ts';
import { startSession } from '../apps/server/src/features/accounts/sessions.ts';

const COUNT = Number(process.argv[2] ?? 300);
const ADMIN_URL = process.env.ZEGEL_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Payload {
  body: Record<string, unknown>;
}

/** What the sender's browser sends: made before timing, so only server work is measured. */
async function preparePayloads(
  senderId: string,
  senderPublicKey: Uint8Array,
  count: number,
): Promise<Payload[]> {
  const payloads: Payload[] = [];
  for (let i = 0; i < count; i++) {
    const conversationId = crypto.randomUUID();
    const itemId = crypto.randomUUID();
    const recipientId = crypto.randomUUID();
    const invitation = await createGuestInvitation({ guestId: recipientId });
    const content = {
      v: 1,
      subject: `Besluit ${i}`,
      bodyHtml: '<p>Zie de bijlage.</p>'.repeat(20),
      attachments: [],
    };
    const item = await encryptItem({
      itemId,
      plaintext: utf8.encode(JSON.stringify(content)),
      recipients: [
        { recipientId: senderId, publicKey: senderPublicKey },
        { recipientId, publicKey: invitation.publicKey },
      ],
    });
    payloads.push({
      body: {
        conversationId,
        itemId,
        item: toBase64Url(item.ciphertext),
        attachments: [],
        recipients: [
          {
            kind: 'guest',
            recipientId,
            address: `burger${i}@voorbeeld.nl`,
            role: 'to',
            method: 'sms',
            phone: '0612345678',
            serverShare: toBase64Url(invitation.serverShare),
            publicKey: toBase64Url(invitation.publicKey),
            linkSecret: encodeLinkSecret(invitation.linkSecret),
          },
        ],
        wrappedKeys: item.wrappedKeys.map((k) => ({
          holderId: k.recipientId,
          wrappedKey: toBase64Url(k.wrappedKey),
        })),
      },
    });
  }
  return payloads;
}

const nullMailer: Mailer = { send: async () => {} };

async function prepareServer(database: Database, payloads: Payload[], senderKeys: { publicKey: Uint8Array }) {
  const config = loadConfig(
    {
      embedded: true,
      secret: 'bench-secret-that-is-long-enough-for-zegel-0000',
      logLevel: 'silent',
      publicUrl: 'http://zegel.bench',
    },
    {},
  );
  const deps = createDeps(config, database, {
    mailer: nullMailer,
    sms: createRecordingSms(),
    blobs: createMemoryBlobStore(),
  });
  const org = await createOrganisation(deps, {
    name: `Bench ${crypto.randomUUID().slice(0, 6)}`,
    mailDomains: [],
  });
  const userId = payloads[0]?.body.wrappedKeys
    ? ((payloads[0].body.wrappedKeys as { holderId: string }[])[0]?.holderId as string)
    : '';
  await database.db
    .insertInto('users')
    .values({
      id: userId,
      organisation_id: org.id,
      email: `sender-${userId}@bench.nl`,
      name: 'Bench Sender',
      role: 'member',
      kdf_salt: new Uint8Array(16),
      kdf_params: JSON.stringify({ algorithm: 'argon2id', memoryKiB: 256, iterations: 1, parallelism: 1 }),
      login_hash: 'x',
      public_key: toBase64Url(senderKeys.publicKey),
      wrapped_private_key: 'AAAA',
    })
    .execute();
  const { token } = await startSession(deps, userId, 'full', { ip: '127.0.0.1', userAgent: 'bench' });
  const app = await createApp(deps, { logger: false, webDist: '/nonexistent' });
  await app.ready();
  const headers = {
    'content-type': 'application/json',
    'x-zegel-csrf': '1',
    cookie: `zegel_session=${token}`,
  };
  const send = async (payload: Payload) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/messages',
      headers,
      payload: JSON.stringify(payload.body),
    });
    if (response.statusCode !== 201) throw new Error(`send failed: ${response.body}`);
    await deps.jobs.runDueJobs();
  };
  const check = async () => {
    const delivered = await database.db
      .selectFrom('participants')
      .select(database.db.fn.countAll<number>().as('n'))
      .where('kind', '=', 'guest')
      .where('delivered_at', 'is not', null)
      .executeTakeFirstOrThrow();
    if (Number(delivered.n) < payloads.length) throw new Error('not every notification was delivered');
    await app.close();
  };
  return { send, check, organisationId: org.id, userId };
}

/** The same rows with plain SQL, one message at a time: the floor the server's work is compared to. */
async function preparePlainSql(database: Database, organisationId: string, userId: string) {
  const db = database.db;
  const insertOne = async (i: number) => {
    const now = new Date();
    const conversationId = crypto.randomUUID();
    const guestId = crypto.randomUUID();
    const itemId = crypto.randomUUID();
    const jobId = crypto.randomUUID();
    const ciphertext = new Uint8Array(1500);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values({
          id: conversationId,
          organisation_id: organisationId,
          kind: 'message',
          sender_user_id: userId,
          created_at: now,
          last_activity_at: now,
          expires_at: now,
          purged_at: null,
        })
        .execute();
      await trx
        .insertInto('participants')
        .values([
          {
            id: crypto.randomUUID(),
            conversation_id: conversationId,
            kind: 'user',
            role: 'sender',
            user_id: userId,
            sent_at: now,
          },
          {
            id: guestId,
            conversation_id: conversationId,
            kind: 'guest',
            role: 'to',
            address: `plain${i}@voorbeeld.nl`,
            method: 'sms',
            phone: '+31612345678',
            public_key: 'x'.repeat(43),
            server_share: new Uint8Array(32),
            sent_at: now,
          },
        ] as never)
        .execute();
      await trx
        .insertInto('items')
        .values({
          id: itemId,
          conversation_id: conversationId,
          author_kind: 'user',
          author_user_id: userId,
          author_participant_id: null,
          created_at: now,
          ciphertext,
        })
        .execute();
      await trx
        .insertInto('item_keys')
        .values([
          { item_id: itemId, holder_id: userId, wrapped_key: new Uint8Array(81) },
          { item_id: itemId, holder_id: guestId, wrapped_key: new Uint8Array(81) },
        ])
        .execute();
      await trx
        .insertInto('message_events')
        .values({
          id: crypto.randomUUID(),
          conversation_id: conversationId,
          participant_id: guestId,
          type: 'sent',
          attachment_id: null,
          occurred_at: now,
        })
        .execute();
      await trx
        .insertInto('recipient_directory')
        .values({
          organisation_id: organisationId,
          address: `plain${i}@voorbeeld.nl`,
          method: 'sms',
          phone: '+31612345678',
          access_code_hint: null,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['organisation_id', 'address']).doNothing())
        .execute();
      await trx
        .insertInto('jobs')
        .values({ id: jobId, kind: 'plain', payload: '{}', run_at: now, created_at: now })
        .execute();
    });
    await db.updateTable('participants').set({ delivered_at: now }).where('id', '=', guestId).execute();
    await db
      .insertInto('message_events')
      .values({
        id: crypto.randomUUID(),
        conversation_id: conversationId,
        participant_id: guestId,
        type: 'delivered',
        attachment_id: null,
        occurred_at: now,
      })
      .execute();
    await db.updateTable('jobs').set({ finished_at: now }).where('id', '=', jobId).execute();
  };
  return insertOne;
}

async function runOn(
  label: string,
  database: Database,
  payloads: Payload[],
  senderKeys: { publicKey: Uint8Array },
) {
  await migrate(database);
  const server = await prepareServer(database, payloads, senderKeys);
  const plain = await preparePlainSql(database, server.organisationId, server.userId);
  // Interleaved rounds, so a machine that gets busier or quieter during the run affects both sides
  // alike; each round's ratio compares the two measured back to back. Medians are reported.
  const warm = Math.min(20, Math.floor(payloads.length / 10));
  for (const payload of payloads.slice(0, warm)) await server.send(payload);
  for (let i = 0; i < warm; i++) await plain(i);
  const rounds = 5;
  const size = Math.floor((payloads.length - warm) / rounds);
  const serverRates: number[] = [];
  const plainRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const chunk = payloads.slice(warm + round * size, warm + (round + 1) * size);
    let start = performance.now();
    for (const payload of chunk) await server.send(payload);
    const serverRate = chunk.length / ((performance.now() - start) / 1000);
    start = performance.now();
    for (let i = 0; i < chunk.length; i++) await plain(warm + round * size + i);
    const plainRate = chunk.length / ((performance.now() - start) / 1000);
    serverRates.push(serverRate);
    plainRates.push(plainRate);
    ratios.push(serverRate / plainRate);
  }
  for (const payload of payloads.slice(warm + rounds * size)) await server.send(payload);
  await server.check();
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  console.log(
    `${label.padEnd(10)} ${median(serverRates).toFixed(1).padStart(7)} messages/s (send + delivery job)   plain SQL of the same rows ${median(plainRates).toFixed(1).padStart(7)}/s   ratio ${median(ratios).toFixed(2)} (median of ${rounds} interleaved rounds)`,
  );
}

const senderKeys = await generateKeyPair();
const senderId = crypto.randomUUID();
console.log(`preparing ${COUNT} encrypted messages (browser work, not timed)…`);
const payloads = await preparePayloads(senderId, senderKeys.publicKey, COUNT);

// DROP DATABASE … WITH (FORCE) below may reach a pooled connection that is still closing; its
// "terminating connection" notice is expected at that point and not a failure of the benchmark.
process.on('uncaughtException', (error) => {
  if ((error as { code?: string }).code === '57P01') return;
  throw error;
});

const pglite = await openDatabase({});
try {
  await runOn('PGlite', pglite, payloads, senderKeys);
} finally {
  await pglite.close();
}

const name = `zegel_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
try {
  await admin.connect();
} catch (error) {
  console.log(
    `PostgreSQL  skipped: cannot connect to ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message})`,
  );
  process.exit(0);
}
await admin.query(`CREATE DATABASE ${name}`);
try {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const postgres = await openDatabase({ databaseUrl: url.toString() });
  try {
    // Fresh payload ids: the same rows again, on the other engine.
    await runOn(
      'PostgreSQL',
      postgres,
      await preparePayloads(senderId, senderKeys.publicKey, COUNT),
      senderKeys,
    );
  } finally {
    await postgres.close();
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
