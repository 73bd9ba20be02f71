/**
 * The only reader of `process.env`. Every variable is declared once below, with its meaning and
 * default; `loadConfig` checks them all and reports every problem at once, and the README's
 * configuration table is generated from the same list (`npm run docs:config`).
 */

import { isIP } from 'node:net';

export interface Config {
  /** Embedded mode: PGlite, files on disk, outboxes instead of SMTP and SMS, a demo organisation. */
  embedded: boolean;
  /** Lets an embedded server listen on a non-loopback HOST; its outbox then needs an admin. */
  embeddedAllowNetwork: boolean;
  host: string;
  port: number;
  publicUrl: string;
  /** PostgreSQL connection string; absent means PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Server-side secret (≥ 32 bytes) for encrypting TOTP secrets at rest and keyed hashes. */
  secret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Which peers may set X-Forwarded-For: none (false) or those whose address is in the list
   * (IPs, CIDRs, or proxy-addr's names loopback / linklocal / uniquelocal).
   */
  trustProxy: TrustProxy;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  invitationDays: number;
  kdfMemoryKiB: number;
  kdfIterations: number;
  bodyLimitBytes: number;
  seedDemo: boolean;
  /** Validating DNS resolver (HOST:PORT) whose AD flag the mail-security checks trust. */
  dnsResolver: string;
  /** Extra CA certificate file (PEM) trusted by the mail-security MTA-STS and PKIX checks. */
  mailcheckCa: string | undefined;
  /** DKIM signing of outgoing mail: all three set, or none. */
  dkimDomain: string | undefined;
  dkimSelector: string | undefined;
  dkimPrivateKey: string | undefined;
  smsProvider: 'outbox' | 'cm' | 'twilio';
  smsSender: string;
  cmProductToken: string | undefined;
  cmApiUrl: string;
  twilioAccountSid: string | undefined;
  twilioAuthToken: string | undefined;
  twilioApiUrl: string;
  /** PDOK Locatieserver search API (features/reports finds the municipality of an address). */
  locatieserverUrl: string;
  jobPollMs: number;
  /** Large files (features/files): limits, abandoned-upload sweep, and where blobs live. */
  maxFileBytes: number;
  maxMessageFileBytes: number;
  organisationFileQuotaBytes: number;
  uploadAbandonHours: number;
  uploadLockSeconds: number;
  blobStore: 'file' | 's3';
  s3Endpoint: string | undefined;
  s3Region: string;
  s3Bucket: string | undefined;
  s3AccessKeyId: string | undefined;
  s3SecretAccessKey: string | undefined;
  /** Bearer token that opens `/metrics` (≥ 32 characters); unset: no metrics endpoint. */
  metricsToken: string | undefined;
  /** How long a stopping process waits for its requests, uploads and jobs before it cuts them. */
  shutdownSeconds: number;
  /** Readiness reports the job queue as lagging when a due job has waited longer than this. */
  healthMaxJobLagSeconds: number;
  /** SMTP submission listener of the mail gateway: a port, 0 for off, unset for the mode's default. */
  smtpPort: number | undefined;
  smtpTlsCert: string | undefined;
  smtpTlsKey: string | undefined;
  smtpMaxBytes: number;
}

export type TrustProxy = false | string[];

interface Variable<K extends keyof Config> {
  key: K;
  env: string;
  description: string;
  /** Shown in the README table; `undefined` means required or simply unset. */
  defaultText: string;
  parse(raw: string | undefined, problems: string[]): Config[K];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: string, fallback: number, min: number, max: number) {
  return (raw: string | undefined, problems: string[]): number => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${env} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
}

function boolean(env: string, fallback: boolean) {
  return (raw: string | undefined, problems: string[]): boolean => {
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${env} must be true or false (got "${raw}")`);
    return fallback;
  };
}

function optionalUrl(env: string, protocols: string[]) {
  return (raw: string | undefined, problems: string[]): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol))
        problems.push(`${env} must start with ${protocols.join(' or ')}`);
    } catch {
      problems.push(`${env} is not a valid URL`);
    }
    return raw;
  };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: the addresses of the proxies allowed to tell the client address. `true` (every
 * peer) and hop counts are refused: both let a caller that reaches Zegel directly choose the
 * address that limits and the audit trail see (Fastify itself ignores hop counts for that reason).
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || ['false', 'no'].includes(value.toLowerCase())) return false;
  const entries = value.split(',').map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !isAddressOrCidr(entry));
  if (wrong.length === 0) return entries;
  problems.push(
    ['true', 'yes'].includes(value.toLowerCase()) || /^\d+$/.test(value)
      ? `TRUST_PROXY=${value} would believe X-Forwarded-For from callers that reach Zegel directly, so they could pick their own address; list the addresses of your load balancers instead (e.g. TRUST_PROXY=10.0.0.0/8,192.0.2.10)`
      : `TRUST_PROXY must be a comma-separated list of IP addresses and CIDRs (not understood: ${wrong.join(', ')})`,
  );
  return false;
}

const text = (fallback: string) => (raw: string | undefined) =>
  raw === undefined || raw === '' ? fallback : raw;

/** Every configuration variable. Order is the order of the README table. */
export const variables = [
  {
    key: 'embedded',
    env: 'ZEGEL_EMBEDDED',
    description:
      'Embedded mode for a laptop, demo or small organisation: outboxes instead of SMTP/SMS, shown at /outbox.',
    defaultText: 'false (`zegel serve --embedded` and `npm start` set it)',
    parse: boolean('ZEGEL_EMBEDDED', false),
  },
  {
    key: 'embeddedAllowNetwork',
    env: 'ZEGEL_EMBEDDED_ALLOW_NETWORK',
    description:
      'Let an embedded server listen on a non-loopback HOST. Its outbox (every link secret, SMS code and reset token) is then shown to administrators only; embedded mode stays one process on one machine.',
    defaultText: 'false (embedded mode listens on loopback only)',
    parse: boolean('ZEGEL_EMBEDDED_ALLOW_NETWORK', false),
  },
  {
    key: 'host',
    env: 'HOST',
    description: 'Address to listen on.',
    defaultText: '127.0.0.1',
    parse: text('127.0.0.1'),
  },
  {
    key: 'port',
    env: 'PORT',
    description: 'TCP port to listen on (0 picks a free one).',
    defaultText: '8080',
    parse: integer('PORT', 8080, 0, 65535),
  },
  {
    key: 'publicUrl',
    env: 'ZEGEL_PUBLIC_URL',
    description: 'The URL people use to reach Zegel; links in e-mails point here.',
    defaultText: 'http://localhost:PORT',
    parse: optionalUrl('ZEGEL_PUBLIC_URL', ['http:', 'https:']) as (
      r: string | undefined,
      p: string[],
    ) => string,
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    description:
      'PostgreSQL connection string. When unset, Zegel uses PGlite in ZEGEL_DATA_DIR (one process only).',
    defaultText: '(unset: PGlite)',
    parse: optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
  },
  {
    key: 'dataDir',
    env: 'ZEGEL_DATA_DIR',
    description: 'Directory for the PGlite database, files and the embedded secret.',
    defaultText: '.zegel-data',
    parse: text('.zegel-data'),
  },
  {
    key: 'secret',
    env: 'ZEGEL_SECRET',
    description:
      'Server secret, at least 32 characters, same on every process. Required with DATABASE_URL; embedded mode generates one in the data directory.',
    defaultText: '(required in production)',
    parse: (raw: string | undefined, problems: string[]) => {
      if (raw === undefined || raw === '') return undefined;
      if (raw.length < 32) problems.push('ZEGEL_SECRET must be at least 32 characters');
      return raw;
    },
  },
  {
    key: 'smtpUrl',
    env: 'SMTP_URL',
    description:
      'Outgoing mail relay, e.g. smtps://user:pass@relay.example.nl:465. Required unless embedded.',
    defaultText: '(unset: outbox)',
    parse: optionalUrl('SMTP_URL', ['smtp:', 'smtps:']),
  },
  {
    key: 'mailFrom',
    env: 'MAIL_FROM',
    description: 'Sender address of notification e-mails.',
    defaultText: 'Zegel <no-reply@zegel.localhost>',
    parse: text('Zegel <no-reply@zegel.localhost>'),
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
    defaultText: 'info',
    parse: (raw: string | undefined, problems: string[]) => {
      if (raw === undefined || raw === '') return 'info' as const;
      const level = LOG_LEVELS.find((l) => l === raw);
      if (!level) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
      return level ?? 'info';
    },
  },
  {
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    description:
      'Which load balancers may tell the client address in X-Forwarded-For (used by per-address limits and the audit trail): their addresses or CIDRs, comma-separated; `loopback` for a proxy on the same machine. `true` and hop counts are refused.',
    defaultText: 'false (the peer address is the client)',
    parse: parseTrustProxy,
  },
  {
    key: 'sessionIdleMinutes',
    env: 'SESSION_IDLE_MINUTES',
    description: 'A session ends after this many minutes without a request.',
    defaultText: '30',
    parse: integer('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
  },
  {
    key: 'sessionAbsoluteHours',
    env: 'SESSION_ABSOLUTE_HOURS',
    description: 'A session ends this many hours after sign-in, active or not.',
    defaultText: '12',
    parse: integer('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
  },
  {
    key: 'invitationDays',
    env: 'INVITATION_DAYS',
    description: 'An invitation link is valid for this many days.',
    defaultText: '7',
    parse: integer('INVITATION_DAYS', 7, 1, 60),
  },
  {
    key: 'kdfMemoryKiB',
    env: 'ZEGEL_KDF_MEMORY_KIB',
    description: 'Argon2id memory (KiB) the browser uses to derive keys from a new password.',
    defaultText: '65536',
    parse: integer('ZEGEL_KDF_MEMORY_KIB', 65536, 256, 1048576),
  },
  {
    key: 'kdfIterations',
    env: 'ZEGEL_KDF_ITERATIONS',
    description: 'Argon2id passes for a new password.',
    defaultText: '3',
    parse: integer('ZEGEL_KDF_ITERATIONS', 3, 1, 20),
  },
  {
    key: 'bodyLimitBytes',
    env: 'ZEGEL_BODY_LIMIT_BYTES',
    description: 'Largest JSON request body accepted (file uploads have their own limits).',
    defaultText: '1048576',
    parse: integer('ZEGEL_BODY_LIMIT_BYTES', 1048576, 1024, 64 * 1048576),
  },
  {
    key: 'seedDemo',
    env: 'ZEGEL_SEED_DEMO',
    description: 'Create the demo organisation and admin on first start (embedded mode only).',
    defaultText: 'true in embedded mode',
    parse: boolean('ZEGEL_SEED_DEMO', true),
  },
  {
    key: 'dnsResolver',
    env: 'ZEGEL_DNS_RESOLVER',
    description:
      'Validating DNS resolver (IP:PORT, [IPv6]:PORT) for mail domain checks; its DNSSEC verdicts are trusted, so run it on a trusted path (loopback).',
    defaultText: '127.0.0.1:53',
    parse: (raw: string | undefined, problems: string[]) => {
      const value = raw === undefined || raw === '' ? '127.0.0.1:53' : raw.trim();
      const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(value);
      const port = Number(match?.[3] ?? '53');
      if (!match || isIP(match[1] ?? match[2] ?? '') === 0 || port < 1 || port > 65535) {
        problems.push(`ZEGEL_DNS_RESOLVER must be IP:PORT or [IPv6]:PORT (got "${raw}")`);
        return '127.0.0.1:53';
      }
      return value;
    },
  },
  {
    key: 'mailcheckCa',
    env: 'ZEGEL_MAILCHECK_CA',
    description:
      'Path of an extra CA certificate file (PEM) that mail domain checks trust for MTA-STS and certificate checks, besides the public roots.',
    defaultText: '(unset: public roots only)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'dkimDomain',
    env: 'DKIM_DOMAIN',
    description: 'Sign outgoing mail with DKIM for this domain (with DKIM_SELECTOR and DKIM_PRIVATE_KEY).',
    defaultText: '(unset: no DKIM signature)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'dkimSelector',
    env: 'DKIM_SELECTOR',
    description: 'DKIM selector; the public key is published at SELECTOR._domainkey.DOMAIN.',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'dkimPrivateKey',
    env: 'DKIM_PRIVATE_KEY',
    description: 'DKIM private key in PEM (newlines may be written as \\n).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) =>
      raw === undefined || raw === '' ? undefined : raw.replaceAll('\\n', '\n'),
  },
  {
    key: 'smsProvider',
    env: 'SMS_PROVIDER',
    description: 'Where SMS codes go: outbox (embedded), cm (CM.com) or twilio (Twilio-compatible API).',
    defaultText: 'outbox',
    parse: (raw: string | undefined, problems: string[]) => {
      if (raw === undefined || raw === '') return 'outbox' as const;
      if (raw === 'outbox' || raw === 'cm' || raw === 'twilio') return raw;
      problems.push(`SMS_PROVIDER must be outbox, cm or twilio (got "${raw}")`);
      return 'outbox' as const;
    },
  },
  {
    key: 'smsSender',
    env: 'SMS_SENDER',
    description:
      'Sender shown on SMS codes: up to 11 letters/digits, or a phone number (Twilio: your number).',
    defaultText: 'Zegel',
    parse: text('Zegel'),
  },
  {
    key: 'cmProductToken',
    env: 'CM_PRODUCT_TOKEN',
    description: 'CM.com product token (SMS_PROVIDER=cm).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'cmApiUrl',
    env: 'CM_API_URL',
    description: 'CM.com business messaging endpoint.',
    defaultText: 'https://gw.messaging.cm.com/v1.0/message',
    parse: text('https://gw.messaging.cm.com/v1.0/message'),
  },
  {
    key: 'twilioAccountSid',
    env: 'TWILIO_ACCOUNT_SID',
    description: 'Twilio account SID (SMS_PROVIDER=twilio).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'twilioAuthToken',
    env: 'TWILIO_AUTH_TOKEN',
    description: 'Twilio auth token (SMS_PROVIDER=twilio).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'twilioApiUrl',
    env: 'TWILIO_API_URL',
    description: 'Base URL of the Twilio-compatible API.',
    defaultText: 'https://api.twilio.com',
    parse: text('https://api.twilio.com'),
  },
  {
    key: 'locatieserverUrl',
    env: 'ZEGEL_LOCATIESERVER_URL',
    description:
      'Base URL of the PDOK Locatieserver search API (v3.1), used to find the municipality of an address for a police care report.',
    defaultText: 'https://api.pdok.nl/bzk/locatieserver/search/v3_1',
    parse: (raw: string | undefined, problems: string[]) =>
      (
        optionalUrl('ZEGEL_LOCATIESERVER_URL', ['http:', 'https:'])(raw, problems) ??
        'https://api.pdok.nl/bzk/locatieserver/search/v3_1'
      ).replace(/\/+$/, ''),
  },
  {
    key: 'jobPollMs',
    env: 'ZEGEL_JOB_POLL_MS',
    description: 'How often each server process looks for due background jobs (mail delivery, expiry).',
    defaultText: '1000',
    parse: integer('ZEGEL_JOB_POLL_MS', 1000, 50, 60_000),
  },
  {
    key: 'metricsToken',
    env: 'ZEGEL_METRICS_TOKEN',
    description:
      'Bearer token for `/metrics` (Prometheus text format), at least 32 characters. Unset: `/metrics` answers 404.',
    defaultText: '(unset: no metrics)',
    parse: (raw: string | undefined, problems: string[]) => {
      if (raw === undefined || raw === '') return undefined;
      if (raw.length < 32) problems.push('ZEGEL_METRICS_TOKEN must be at least 32 characters');
      return raw;
    },
  },
  {
    key: 'shutdownSeconds',
    env: 'ZEGEL_SHUTDOWN_SECONDS',
    description:
      'On SIGTERM, how long the process waits for running requests, uploads and jobs before it cuts them and exits (keep below systemd TimeoutStopSec).',
    defaultText: '20',
    parse: integer('ZEGEL_SHUTDOWN_SECONDS', 20, 1, 600),
  },
  {
    key: 'healthMaxJobLagSeconds',
    env: 'ZEGEL_HEALTH_MAX_JOB_LAG_SECONDS',
    description: '`/api/health/ready` reports the job queue as lagging when a due job has waited longer.',
    defaultText: '300',
    parse: integer('ZEGEL_HEALTH_MAX_JOB_LAG_SECONDS', 300, 5, 86_400),
  },
  {
    key: 'maxFileBytes',
    env: 'ZEGEL_MAX_FILE_BYTES',
    description: 'Largest encrypted file (tus upload length, ciphertext bytes) one upload may declare.',
    defaultText: '107374182400 (100 GiB)',
    parse: integer('ZEGEL_MAX_FILE_BYTES', 100 * 1024 ** 3, 0, 2 ** 52),
  },
  {
    key: 'maxMessageFileBytes',
    env: 'ZEGEL_MAX_MESSAGE_FILE_BYTES',
    description: 'Largest total of the files of one message (uploads sharing a messageId).',
    defaultText: '214748364800 (200 GiB)',
    parse: integer('ZEGEL_MAX_MESSAGE_FILE_BYTES', 200 * 1024 ** 3, 0, 2 ** 52),
  },
  {
    key: 'organisationFileQuotaBytes',
    env: 'ZEGEL_ORGANISATION_FILE_QUOTA_BYTES',
    description:
      'Storage quota per organisation for files, counting uploads in progress at their declared length.',
    defaultText: '1099511627776 (1 TiB)',
    parse: integer('ZEGEL_ORGANISATION_FILE_QUOTA_BYTES', 1024 ** 4, 0, 2 ** 52),
  },
  {
    key: 'uploadAbandonHours',
    env: 'ZEGEL_UPLOAD_ABANDON_HOURS',
    description:
      'An unfinished file upload untouched this long, or a complete one not sent with a message within this time, is deleted (bytes and quota reservation).',
    defaultText: '24',
    parse: integer('ZEGEL_UPLOAD_ABANDON_HOURS', 24, 1, 24 * 90),
  },
  {
    key: 'uploadLockSeconds',
    env: 'ZEGEL_UPLOAD_LOCK_SECONDS',
    description:
      'Lifetime of an upload write lock between heartbeats: after a process dies mid-PATCH, the upload resumes elsewhere after this.',
    defaultText: '30',
    parse: integer('ZEGEL_UPLOAD_LOCK_SECONDS', 30, 1, 3600),
  },
  {
    key: 'blobStore',
    env: 'ZEGEL_BLOB_STORE',
    description: 'Where ciphertexts live: file (ZEGEL_DATA_DIR/blobs) or s3 (an S3-compatible bucket, S3_*).',
    defaultText: 'file',
    parse: (raw: string | undefined, problems: string[]) => {
      if (raw === undefined || raw === '' || raw === 'file') return 'file' as const;
      if (raw === 's3') return 's3' as const;
      problems.push(`ZEGEL_BLOB_STORE must be file or s3 (got "${raw}")`);
      return 'file' as const;
    },
  },
  {
    key: 's3Endpoint',
    env: 'S3_ENDPOINT',
    description:
      'S3-compatible endpoint URL (MinIO, Ceph, a cloud provider); unset means AWS. Path-style addressing.',
    defaultText: '(unset: AWS)',
    parse: optionalUrl('S3_ENDPOINT', ['http:', 'https:']),
  },
  {
    key: 's3Region',
    env: 'S3_REGION',
    description: 'S3 region.',
    defaultText: 'eu-west-1',
    parse: text('eu-west-1'),
  },
  {
    key: 's3Bucket',
    env: 'S3_BUCKET',
    description: 'S3 bucket for ciphertexts (ZEGEL_BLOB_STORE=s3).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 's3AccessKeyId',
    env: 'S3_ACCESS_KEY_ID',
    description: 'S3 access key id; unset uses the AWS SDK default chain (instance role, AWS_* variables).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 's3SecretAccessKey',
    env: 'S3_SECRET_ACCESS_KEY',
    description: 'S3 secret access key (with S3_ACCESS_KEY_ID).',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'smtpPort',
    env: 'ZEGEL_SMTP_PORT',
    description:
      'Port of the SMTP submission listener of the mail gateway (STARTTLS, AUTH with app passwords; docs/gateway.md); 0 switches it off. It listens on HOST.',
    defaultText: '2525 in embedded mode (a free port with PORT=0 or when 2525 is taken), otherwise off',
    parse: (raw: string | undefined, problems: string[]) =>
      raw === undefined || raw === '' ? undefined : integer('ZEGEL_SMTP_PORT', 0, 0, 65535)(raw, problems),
  },
  {
    key: 'smtpTlsCert',
    env: 'ZEGEL_SMTP_TLS_CERT',
    description:
      'Certificate file (PEM, with chain) the gateway listener offers on STARTTLS. Required with ZEGEL_SMTP_PORT unless embedded.',
    defaultText: '(embedded: a self-signed one in the data directory)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'smtpTlsKey',
    env: 'ZEGEL_SMTP_TLS_KEY',
    description: 'Private key file (PEM) of ZEGEL_SMTP_TLS_CERT.',
    defaultText: '(unset)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : raw),
  },
  {
    key: 'smtpMaxBytes',
    env: 'ZEGEL_SMTP_MAX_BYTES',
    description:
      'Largest mail the gateway accepts (the whole message as submitted); larger ones get 552 while they are read.',
    defaultText: '26214400',
    parse: integer('ZEGEL_SMTP_MAX_BYTES', 26214400, 1024, 100 * 1048576),
  },
] as const satisfies readonly Variable<keyof Config>[];

/** Thrown when configuration is invalid; `problems` lists every one. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Reads and checks the configuration. `overrides` (from CLI flags or tests) win over the
 * environment; pass `env: {}` in tests to ignore the real environment. Tools that only touch
 * the database (`zegel admin`, `zegel audit`) pass `forServing: false` and need no SMTP relay.
 */
export function loadConfig(
  overrides: Partial<Config> = {},
  env: Record<string, string | undefined> = process.env,
  { forServing = true }: { forServing?: boolean } = {},
): Config {
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const variable of variables) {
    parsed[variable.key] = variable.parse(env[variable.env], problems);
  }
  const config = { ...parsed, ...definedOnly(overrides) } as Config;
  config.publicUrl = (config.publicUrl || `http://localhost:${config.port}`).replace(/\/+$/, '');
  if (forServing && config.embedded && !config.embeddedAllowNetwork && !isLoopbackHost(config.host))
    problems.push(
      `Embedded mode listens on loopback only, since its outbox shows every link secret and code (HOST is "${config.host}"); ` +
        'use HOST=127.0.0.1, or set ZEGEL_EMBEDDED_ALLOW_NETWORK=true to listen there anyway with an outbox for administrators only',
    );
  if (forServing && !config.embedded) {
    if (!config.smtpUrl) problems.push('SMTP_URL is required unless ZEGEL_EMBEDDED=true');
    if (config.databaseUrl && !config.secret) problems.push('ZEGEL_SECRET is required with DATABASE_URL');
    if (config.smsProvider === 'cm' && !config.cmProductToken)
      problems.push('CM_PRODUCT_TOKEN is required with SMS_PROVIDER=cm');
    if (config.smsProvider === 'twilio' && !(config.twilioAccountSid && config.twilioAuthToken))
      problems.push('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required with SMS_PROVIDER=twilio');
  }
  const dkim = [config.dkimDomain, config.dkimSelector, config.dkimPrivateKey].filter(Boolean).length;
  if (dkim !== 0 && dkim !== 3)
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together');
  if (!config.embedded && config.smtpPort && !(config.smtpTlsCert && config.smtpTlsKey))
    problems.push(
      'ZEGEL_SMTP_TLS_CERT and ZEGEL_SMTP_TLS_KEY are required with ZEGEL_SMTP_PORT unless embedded',
    );
  if (config.blobStore === 's3' && !config.s3Bucket)
    problems.push('S3_BUCKET is required with ZEGEL_BLOB_STORE=s3');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/i, '');
  if (address === 'localhost' || address === '::1') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The README's configuration table, generated from `variables`. */
export function renderConfigTable(): string {
  const rows = variables.map((v) => `| \`${v.env}\` | ${v.defaultText} | ${v.description} |`);
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The process environment with some variables replaced, for command-line flags that mirror them. */
export function environmentWith(
  extra: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
  return { ...process.env, ...defined };
}
