import { ErrorCode } from '@zegel/protocol/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { safeEqual } from '../adapters/tokens.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { TypedApp } from './typed-app.ts';

/**
 * Prometheus metrics of one process (Prometheus sums the processes). Labels are only route
 * patterns, methods, status codes, job kinds and error codes: never a raw URL, an id, an address
 * or anything a user typed, so nothing personal can reach the monitoring system.
 */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SIGN_IN_FAILURES = new Set<string>([
  ErrorCode.invalidCredentials,
  ErrorCode.secondFactorInvalid,
  ErrorCode.verificationFailed,
]);
// Staff sign-in is never locked (it is delayed, then needs a puzzle); a guest's code is locked for a while.
const LOCK_OUTS = new Set<string>([
  ErrorCode.accountLocked,
  ErrorCode.signInDelayed,
  ErrorCode.proofOfWorkRequired,
  ErrorCode.messageLocked,
]);
const UPLOAD_ROUTE = '/api/files/uploads/:id';
const ERROR_CODE = /^\{"error":\{"code":"([a-z_]{1,40})"/;

const started = Symbol('zegel.metrics.started');
type Timed = FastifyRequest & { [started]?: bigint; zegelErrorCode?: string | undefined };

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Staff sign-in (accounts) or a guest proving who they are (guest pages, contact pages). */
function whoSignsIn(route: string): 'staff' | 'guest' {
  return route.startsWith('/api/auth/') ? 'staff' : 'guest';
}

function createInstruments(registry: Registry, deps: Deps) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'zegel_http_requests_total',
      help: 'HTTP requests by route pattern, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'zegel_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and method.',
      labelNames: ['route', 'method'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    signInFailures: new Counter({
      name: 'zegel_sign_in_failures_total',
      help: 'Failed sign-in or verification attempts (staff: password or second factor; guest: code).',
      labelNames: ['who', 'code'] as const,
      registers,
    }),
    lockOuts: new Counter({
      name: 'zegel_lockouts_total',
      help: 'Attempts refused for now after too many failures: a sign-in delayed or asking for a puzzle, a locked guest code.',
      labelNames: ['who'] as const,
      registers,
    }),
    uploadBytes: new Counter({
      name: 'zegel_upload_bytes_total',
      help: 'Bytes of resumable (tus) uploads stored by this process.',
      registers,
    }),
    jobs: createJobGauges(registry, deps),
    pool: new Gauge({
      name: 'zegel_db_pool_connections',
      help: 'Database connection pool: open, idle and maximum connections, and queries waiting (PostgreSQL).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const stats = deps.poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
        this.set({ state: 'max' }, stats.max);
      },
    }),
  };
}

/** Job queue depth, age and failures, read from the shared queue at scrape time. */
function createJobGauges(registry: Registry, deps: Deps) {
  const registers = [registry];
  // prom-client collects every metric at once, so each gauge reads the (small) counts itself.
  const jobs = new Gauge({
    name: 'zegel_jobs',
    help: 'Jobs in the shared queue by kind and state (due, running, scheduled, failed).',
    labelNames: ['kind', 'state'] as const,
    registers,
    async collect() {
      const stats = await deps.jobs.stats();
      this.reset();
      for (const kind of stats)
        for (const state of ['due', 'running', 'scheduled', 'failed'] as const)
          this.set({ kind: kind.kind, state }, kind[state]);
    },
  });
  const age = new Gauge({
    name: 'zegel_jobs_oldest_due_age_seconds',
    help: 'How long the longest-waiting due job of each kind has waited to be picked up.',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      const stats = await deps.jobs.stats();
      const now = deps.clock.now().getTime();
      this.reset();
      for (const kind of stats)
        this.set(
          { kind: kind.kind },
          kind.oldestDueAt ? Math.max(0, (now - kind.oldestDueAt.getTime()) / 1000) : 0,
        );
    },
  });
  return { jobs, age };
}

/**
 * Registers the request hooks and, when `ZEGEL_METRICS_TOKEN` is set, `GET /metrics` behind
 * `Authorization: Bearer <token>`. Without a token there is no endpoint (and no collection).
 */
export function registerMetrics(app: TypedApp, deps: Deps): void {
  const token = deps.config.metricsToken;
  if (!token) return;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zegel_' });
  const m = createInstruments(registry, deps);

  app.addHook('onRequest', async (request: Timed) => {
    request[started] = process.hrtime.bigint();
  });
  app.addHook('onSend', async (request: Timed, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string')
      request.zegelErrorCode = ERROR_CODE.exec(payload)?.[1];
    return payload;
  });
  app.addHook('onResponse', async (request: Timed, reply) => observe(m, request, reply));

  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!given || !safeEqual(given, token))
      throw new AppError(ErrorCode.unauthenticated, 'The metrics endpoint needs its bearer token.');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

function observe(m: ReturnType<typeof createInstruments>, request: Timed, reply: FastifyReply): void {
  const route = routeOf(request);
  const method = METHODS.has(request.method) ? request.method : 'OTHER';
  m.requests.inc({ route, method, status: String(reply.statusCode) });
  if (request[started] !== undefined)
    m.duration.observe({ route, method }, Number(process.hrtime.bigint() - request[started]) / 1e9);
  const code = request.zegelErrorCode;
  if (code && SIGN_IN_FAILURES.has(code)) m.signInFailures.inc({ who: whoSignsIn(route), code });
  if (code && LOCK_OUTS.has(code)) m.lockOuts.inc({ who: whoSignsIn(route) });
  if (route === UPLOAD_ROUTE && request.method === 'PATCH' && reply.statusCode === 204) {
    const before = Number(request.headers['upload-offset']);
    const after = Number(reply.getHeader('upload-offset'));
    if (Number.isSafeInteger(before) && Number.isSafeInteger(after) && after > before)
      m.uploadBytes.inc(after - before);
  }
}
