import { encryptContent, generateContentKey } from '@zegel/protocol/crypto';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, type TestUser } from '../../test/factories.ts';
import { createTestApp, jsonHeaders, type TestApp } from '../../test/harness.ts';
import { enrolKeys, sendSecureMessage } from '../../test/messages.ts';
import { cookieOf, tusClient } from '../../test/tus-client.ts';
import { type BlobStore, createMemoryBlobStore } from '../adapters/blob-store.ts';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789abcdef';
/** Sent through Zegel in every place a request can carry text; must never reach /metrics. */
const CANARY = 'kanarie7f3a9';

describe('readiness and liveness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const ready = () => t.app.inject({ method: 'GET', url: '/api/health/ready' });

  it('is live and ready with database, blob store and job queue fine', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/health/live' })).json()).toEqual({ status: 'ok' });
    const response = await ready();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ready',
      stopping: false,
      checks: { database: 'ok', blobStore: 'ok', jobQueue: 'ok' },
    });
  });

  it('reports a lagging job queue but stays in the balancer', async () => {
    await t.deps.jobs.enqueue('test.never-picked-up', {});
    t.clock.advance((t.deps.config.healthMaxJobLagSeconds + 1) * 1000);
    const response = await ready();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'degraded', checks: { jobQueue: 'lagging' } });
    expect(response.json().jobQueue.due).toBe(1);
    expect(response.json().jobQueue.oldestDueSeconds).toBeGreaterThan(t.deps.config.healthMaxJobLagSeconds);
  });

  it('is not ready (503) while stopping', async () => {
    t.deps.lifecycle.stopping = true;
    try {
      const response = await ready();
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'not_ready', stopping: true });
    } finally {
      t.deps.lifecycle.stopping = false;
    }
  });

  it('reports a failing blob store as degraded, and a failing database as not ready (503)', async () => {
    const broken: BlobStore = {
      ...createMemoryBlobStore(),
      size: () => Promise.reject(new Error('S3 unreachable')),
    };
    const other = await createTestApp({ blobs: broken, database: t.database });
    try {
      const response = await other.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'degraded',
        checks: { database: 'ok', blobStore: 'failing' },
      });
    } finally {
      await other.close();
    }
    const lost = await createTestApp();
    try {
      await lost.database.close();
      const response = await lost.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'not_ready', checks: { database: 'failing' } });
      expect((await lost.app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
    } finally {
      await lost.app.close();
    }
  });

  it('has no /metrics without a configured token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});

describe('/metrics', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ config: { metricsToken: METRICS_TOKEN } });
    ({ admin } = await createOrganisationWithAdmin(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const scrape = (authorization?: string) =>
    t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization === undefined ? {} : { authorization },
    });
  const family = (families: PrometheusFamily[], name: string) => {
    const found = families.find((f) => f.name === name);
    if (!found) throw new Error(`no metric ${name}`);
    return found;
  };

  it('needs its bearer token', async () => {
    for (const header of [undefined, 'Bearer wrong', `Basic ${METRICS_TOKEN}`]) {
      const response = await scrape(header);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('counts requests per route pattern, sign-in failures, lock-outs, uploads and jobs; no canary', async () => {
    // The canary goes into a guest's address, a sign-in e-mail, a path, a query and a header.
    const sender = await enrolKeys(admin);
    const sent = await sendSecureMessage(t, sender, {
      subject: CANARY,
      bodyHtml: `<p>${CANARY}</p>`,
      guests: [{ address: `${CANARY}@example.nl`, method: 'email_only' }],
    });
    expect(sent.response.statusCode).toBe(201);
    const signIn = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { ...jsonHeaders, 'user-agent': CANARY },
        payload: JSON.stringify({ email: admin.email, loginSecret: CANARY.padEnd(43, 'x') }),
      });
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push((await signIn()).json().error.code);
    expect(codes).toContain('invalid_credentials');
    // No lock for staff: past five failures from unknown browsers each attempt is held back.
    const refused = codes.filter((c) => c === 'sign_in_delayed' || c === 'proof_of_work_required').length;
    expect(refused).toBeGreaterThan(0);
    await t.app.inject({ method: 'GET', url: `/api/conversations/${CANARY}?q=${CANARY}` });
    await t.app.inject({ method: 'GET', url: `/api/${CANARY}/nowhere?${CANARY}=1` });

    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const id = crypto.randomUUID();
    const cipher = await encryptContent(generateContentKey(), new Uint8Array(300_000), {
      associatedData: id,
    });
    expect((await tusClient(base, cookieOf(admin.browser.cookies)).upload(id, cipher, 100_000)).status).toBe(
      204,
    );

    const response = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).not.toContain(CANARY);
    expect(response.body).not.toContain(admin.email);
    const families = parsePrometheusTextFormat(response.body);

    const requests = family(families, 'zegel_http_requests_total').metrics;
    const routes = new Set(requests.map((m) => m.labels?.route));
    expect(routes).toContain('/api/messages');
    expect(routes).toContain('/api/files/uploads/:id');
    expect(routes).toContain('unmatched');
    for (const route of routes) expect(route === 'unmatched' || route?.startsWith('/')).toBe(true);
    const signIns = requests.find(
      (m) => m.labels?.route === '/api/auth/sign-in' && m.labels?.status === '401',
    );
    expect(Number(signIns?.value)).toBeGreaterThanOrEqual(1);
    const latency = family(families, 'zegel_http_request_duration_seconds').metrics;
    expect(latency.length).toBeGreaterThan(0);
    // The parser folds histogram series together; their labels are read from the text itself.
    expect(response.body).toMatch(
      /^zegel_http_request_duration_seconds_count\{route="\/api\/messages",method="POST"\} 1$/m,
    );

    const failures = family(families, 'zegel_sign_in_failures_total').metrics;
    expect(failures).toContainEqual({
      labels: { who: 'staff', code: 'invalid_credentials' },
      value: expect.any(String),
    });
    const lockOuts = family(families, 'zegel_lockouts_total').metrics;
    expect(lockOuts).toContainEqual({ labels: { who: 'staff' }, value: String(refused) });
    expect(family(families, 'zegel_upload_bytes_total').metrics[0]?.value).toBe(String(cipher.length));

    // The notification mail to the guest is a job; it is queued until the poller runs.
    const jobs = family(families, 'zegel_jobs').metrics;
    expect(jobs.some((m) => m.labels?.state === 'due' && Number(m.value) >= 1)).toBe(true);
    expect(family(families, 'zegel_jobs_oldest_due_age_seconds').metrics.length).toBeGreaterThan(0);
    const pool = families.find((f) => f.name === 'zegel_db_pool_connections');
    if (t.deps.engine === 'postgres') expect(pool?.metrics.map((m) => m.labels?.state)).toContain('max');
    else expect(pool?.metrics ?? []).toEqual([]);
    expect(families.some((f) => f.name === 'zegel_process_resident_memory_bytes')).toBe(true);
  });
});
