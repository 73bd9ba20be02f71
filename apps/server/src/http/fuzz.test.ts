import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, signInWithPassword, type TestUser } from '../../test/factories.ts';
import { createFakeChecker } from '../../test/fake-mail-checker.ts';
import {
  ALWAYS_HOSTILE,
  ALWAYS_HOSTILE_QUERY,
  fieldPaths,
  HOSTILE_PATH_VALUES,
  HOSTILE_VALUES,
  pick,
  REMOVE,
  type Schema,
  seededRandom,
  validExample,
  withField,
} from '../../test/fuzz-inputs.ts';
import { type Browser, createTestApp, type TestApp, totpCode } from '../../test/harness.ts';

/**
 * Every route and method of the OpenAPI document gets hostile input — wrong types, NUL and
 * control characters, long and odd unicode strings, nulls, negative and huge numbers, extra and
 * missing fields, bad and traversal ids — from an anonymous caller and from a signed-in admin.
 * No answer may be a 500 or take longer than 5 s (issue 13, item 9). The seed fixes the inputs.
 */
const SEED = 0x13;
const SLOW_MS = 5000;
/** Hostile values tried per field; the seed decides which, so each run sends the same requests. */
const VALUES_PER_FIELD = 2;
const VALUES_PER_PATH_PARAMETER = 3;

interface Operation {
  method: string;
  path: string;
  parameters: { in: string; name: string; schema: Schema }[];
  body: Schema | undefined;
}

interface Probe {
  method: string;
  url: string;
  /** Raw request body: JSON text, or something that is not JSON at all. */
  payload: string | undefined;
  what: string;
}

interface Answer {
  caller: string;
  probe: Probe;
  status: number;
  ms: number;
}

let t: TestApp;
let admin: TestUser;
let document: { paths: Record<string, Record<string, Schema>> };
/** Ids and a slug that exist, so probes also reach the code behind the look-ups. */
const known = { ids: [] as string[], slug: '' };

beforeAll(async () => {
  t = await createTestApp();
  t.deps.mailCheck = createFakeChecker();
  const created = await createOrganisationWithAdmin(t);
  admin = created.admin;
  const team = (await admin.browser.post('/api/admin/teams', { name: 'Fuzzteam', description: '' })).json();
  known.ids.push(team.id, admin.id);
  known.slug = created.org.slug;
  document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(async () => {
  await t.close();
});

function operations(): Operation[] {
  const found: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = (operation.requestBody as Schema | undefined)?.content as
        | Record<string, Schema>
        | undefined;
      found.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []) as Operation['parameters'],
        body: content?.['application/json']?.schema as Schema | undefined,
      });
    }
  }
  return found;
}

function queryText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function buildUrl(
  operation: Operation,
  path: Record<string, string>,
  query: Record<string, unknown>,
): string {
  const filled = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? '');
  const search = Object.entries(query)
    .filter(([, value]) => value !== REMOVE && value !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${queryText(value)}`)
    .join('&');
  return search ? `${filled}?${search}` : filled;
}

/** The valid request first, then one broken thing at a time. */
function probesFor(operation: Operation, random: () => number): Probe[] {
  const { method } = operation;
  const path: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  for (const p of operation.parameters) {
    if (p.in === 'path') path[p.name] = p.name === 'slug' ? known.slug : String(validExample(p.schema));
    if (p.in === 'query') query[p.name] = validExample(p.schema);
  }
  const body = operation.body ? validExample(operation.body) : undefined;
  const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
  const probe = (what: string, url: string, payload = json(body)): Probe => ({ method, url, payload, what });
  const url = buildUrl(operation, path, query);
  const probes = [probe('valid example', url)];

  for (const name of Object.keys(path)) {
    const real = name === 'slug' ? [] : known.ids;
    for (const value of [...real, ...pick(random, HOSTILE_PATH_VALUES, VALUES_PER_PATH_PARAMETER)])
      probes.push(
        probe(`path ${name}=${value.slice(0, 40)}`, buildUrl(operation, { ...path, [name]: value }, query)),
      );
  }
  for (const name of Object.keys(query)) {
    for (const value of [REMOVE, ...ALWAYS_HOSTILE_QUERY, ...pick(random, HOSTILE_VALUES, VALUES_PER_FIELD)])
      probes.push(probe(`query ${name}`, buildUrl(operation, path, { ...query, [name]: value })));
  }
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return probes;

  for (const whole of [null, [], 'text', 12, {}, { ...(body as object), unexpected: 'extra field' }])
    probes.push(probe(`body ${JSON.stringify(whole).slice(0, 40)}`, url, JSON.stringify(whole)));
  probes.push(probe('body not JSON', url, '{"half": '));
  for (const field of fieldPaths(operation.body)) {
    for (const value of [REMOVE, ...ALWAYS_HOSTILE, ...pick(random, HOSTILE_VALUES, VALUES_PER_FIELD)])
      probes.push(probe(`body ${field.join('.')}`, url, json(withField(body, field, value))));
  }
  return probes;
}

async function send(probe: Probe, cookie: string | undefined, caller: string): Promise<Answer> {
  const started = performance.now();
  const response = await t.app.inject({
    method: probe.method as 'GET',
    url: probe.url,
    remoteAddress: caller === 'anonymous' ? '203.0.113.13' : '198.51.100.7',
    headers: {
      'x-zegel-csrf': '1',
      ...(probe.payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    ...(probe.payload === undefined ? {} : { payload: probe.payload }),
  });
  return { caller, probe, status: response.statusCode, ms: performance.now() - started };
}

const cookieOf = (browser: Browser) => [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** Some probes sign the admin out (sign-out, "end all sessions"); sign in again to keep probing. */
async function adminCookie(): Promise<string> {
  if ((await admin.browser.get('/api/me')).statusCode === 200) return cookieOf(admin.browser);
  admin.browser.cookies.clear();
  t.clock.advance(30_000);
  await signInWithPassword(admin, admin.browser);
  await admin.browser.post('/api/auth/second-factor', {
    code: totpCode(admin.totpSecret, t.clock),
    trustDevice: false,
  });
  return cookieOf(admin.browser);
}

describe('fuzzing every route of the OpenAPI document', () => {
  it('answers hostile input with 4xx, never 500, and within 5 seconds', { timeout: 240_000 }, async () => {
    const random = seededRandom(SEED);
    const started = performance.now();
    const answers: Answer[] = [];
    const all = operations();
    for (const operation of all) {
      const probes = probesFor(operation, random);
      for (const probe of probes) answers.push(await send(probe, undefined, 'anonymous'));
      for (const probe of probes) answers.push(await send(probe, await adminCookie(), 'admin'));
    }
    const errors = answers.filter((a) => a.status >= 500);
    const slow = answers.filter((a) => a.ms > SLOW_MS);
    process.stdout.write(
      `fuzz: ${answers.length} requests to ${all.length} operations (seed ${SEED}) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s; ${errors.length} answers with status 500, ` +
        `${slow.length} slower than ${SLOW_MS / 1000} s\n`,
    );
    const describeAnswer = (a: Answer) =>
      `${a.caller} ${a.probe.method} ${a.probe.url.slice(0, 120)} (${a.probe.what}): ${a.status} in ${Math.round(a.ms)} ms`;
    expect(errors.map(describeAnswer)).toEqual([]);
    expect(slow.map(describeAnswer)).toEqual([]);
    expect(all.length).toBeGreaterThan(30);
  });
});
