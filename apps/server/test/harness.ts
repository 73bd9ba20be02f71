import { Writable } from 'node:stream';
import {
  deriveAccountSecrets,
  deriveLinkProof,
  fromBase64Url,
  type KdfParams,
  parseLinkSecret,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { Secret, TOTP } from 'otpauth';
import { type BlobStore, createMemoryBlobStore } from '../src/adapters/blob-store.ts';
import { createManualClock } from '../src/adapters/clock.ts';
import { createRecordingMailer } from '../src/adapters/mailer.ts';
import { createRecordingSms } from '../src/adapters/sms.ts';
import { createApp } from '../src/app.ts';
import { createDeps } from '../src/boot.ts';
import { type Config, loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import type { TypedApp } from '../src/http/typed-app.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';

/** Small Argon2id cost so tests spend their time on behaviour, not key stretching. */
export const TEST_KDF = { kdfMemoryKiB: 256, kdfIterations: 1 } as const;
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-zegel-000';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {
      embedded: true,
      secret: TEST_SECRET,
      publicUrl: 'http://zegel.test',
      logLevel: 'silent',
      ...TEST_KDF,
      ...overrides,
    },
    {},
  );
}

export interface TestApp {
  app: TypedApp;
  deps: Deps;
  database: TestDatabase;
  clock: ReturnType<typeof createManualClock>;
  mailer: ReturnType<typeof createRecordingMailer>;
  sms: ReturnType<typeof createRecordingSms>;
  blobs: ReturnType<typeof createMemoryBlobStore>;
  /** Every log line the app wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The whole app on a fresh database, with a manual clock, recorded mail and captured logs. */
export async function createTestApp(
  options: {
    config?: Partial<Config>;
    database?: TestDatabase;
    logLevel?: string;
    /** Another blob store than the in-memory one (the file and S3 stores in the files tests). */
    blobs?: BlobStore;
    /** Adds test-only routes before the app is sealed. */
    extend?: (app: TypedApp) => void;
    /** Another app's clock, so two apps on one database keep one time. */
    clock?: ReturnType<typeof createManualClock>;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await openTestDatabase());
  const clock = options.clock ?? createManualClock(new Date());
  const mailer = createRecordingMailer();
  const sms = createRecordingSms();
  const blobs = createMemoryBlobStore();
  const deps = createDeps(testConfig(options.config), database, {
    clock,
    mailer,
    sms,
    blobs: options.blobs ?? blobs,
  });
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const app = await createApp(deps, {
    logger: { level: options.logLevel ?? 'info', stream } as never,
    webDist: '/nonexistent',
  });
  options.extend?.(app);
  await app.ready();
  return {
    app,
    deps,
    database,
    clock,
    mailer,
    sms,
    blobs,
    logs,
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}

/**
 * Two apps on one database and one clock: two server processes behind a load balancer that agree
 * on the time (a lock set by one must end at the same moment for the other).
 */
export async function createTwoProcesses(): Promise<[TestApp, TestApp]> {
  const first = await createTestApp();
  return [first, await createTestApp({ database: first.database, clock: first.clock })];
}

/** Headers of a browser request from our own web app. */
export const jsonHeaders = { 'content-type': 'application/json', 'x-zegel-csrf': '1' } as const;

/**
 * Guest links a test made or read from a mail (recipient id → link secret): a `Browser` acts like
 * the guest page that opened the link and sends the link proof derived from it (`x-zegel-link-proof`)
 * with its guest requests. A stranger who knows only the path is a `Browser` with `knowsLinks: false`.
 */
const knownLinkSecrets = new Map<string, string>();

export function rememberGuestLink(recipientId: string, linkSecret: string): void {
  knownLinkSecrets.set(recipientId, linkSecret);
}

async function linkProofHeader(url: string): Promise<Record<string, string>> {
  const id = /^\/api\/guest\/([0-9a-f-]{36})(?:[/?]|$)/.exec(url)?.[1];
  const secret = id && knownLinkSecrets.get(id);
  if (!id || !secret) return {};
  return { 'x-zegel-link-proof': toBase64Url(await deriveLinkProof(parseLinkSecret(secret), id)) };
}

/** A client that keeps cookies between requests, like a browser does. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Sends link proofs for the guest links the test knows (false: a stranger with only the path). */
  knowsLinks = true;
  private readonly app: TypedApp;
  readonly userAgent: string;
  readonly ip: string;
  constructor(
    app: TypedApp,
    userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
    ip = '198.51.100.7',
  ) {
    this.app = app;
    this.userAgent = userAgent;
    this.ip = ip;
  }

  async request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const proof = this.knowsLinks ? await linkProofHeader(url) : {};
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': this.userAgent,
        ...(method === 'GET' ? {} : body === undefined ? { 'x-zegel-csrf': '1' } : jsonHeaders),
        ...(cookie ? { cookie } : {}),
        ...proof,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    for (const c of response.cookies as { name: string; value: string; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body);
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);
  put = (url: string, body: unknown) => this.request('PUT', url, body);
  delete = (url: string) => this.request('DELETE', url);
}

/** What the browser derives from a password: only the login secret is ever sent. */
export async function loginSecretFor(
  password: string,
  kdfSalt: string,
  kdfParams: KdfParams,
): Promise<string> {
  return (await deriveAccountSecrets(password, fromBase64Url(kdfSalt), kdfParams)).loginSecret;
}

export function totpCode(secret: string, clock: { now(): Date }, offsetSteps = 0): string {
  const totp = new TOTP({ issuer: 'Zegel', secret: Secret.fromBase32(secret) });
  return totp.generate({ timestamp: clock.now().getTime() + offsetSteps * 30_000 });
}

/** The token from a link in a recorded mail (`…#TOKEN`). */
export function tokenFromMail(text: string, path: string): string {
  const match = new RegExp(`${path}#([A-Za-z0-9_-]{43})`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in mail`);
  return match[1];
}
