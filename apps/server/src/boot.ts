import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BlobStore, createFileBlobStore } from './adapters/blob-store.ts';
import { type Clock, systemClock } from './adapters/clock.ts';
import { createOutboxMailer, createSmtpMailer, type Mailer } from './adapters/mailer.ts';
import { createS3BlobStore } from './adapters/s3-blob-store.ts';
import { createSecretBox } from './adapters/secret-box.ts';
import { createCmSms, createOutboxSms, createTwilioSms, type SmsSender } from './adapters/sms.ts';
import { createToken } from './adapters/tokens.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Deps } from './deps.ts';
import { defineContactJobs, teamNotifyAddress } from './features/contact/index.ts';
import { defineConversationJobs } from './features/conversations/index.ts';
import { defineFileJobs } from './features/files/index.ts';
import { defineGatewayJobs } from './features/gateway/index.ts';
import { createMailDomainChecker, type MailDomainChecker } from './features/mail-security/index.ts';
import { AuditAnchorError, createAuditTrail } from './platform/audit/index.ts';
import { createJobQueue } from './platform/jobs/index.ts';
import { createThrottle } from './platform/throttle/index.ts';

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

/**
 * Embedded mode keeps its server secret in the data directory, made on first start, so a
 * laptop install needs no configuration; production passes ZEGEL_SECRET.
 */
export function ensureEmbeddedSecret(config: Config): Config {
  if (config.secret) return config;
  const dir = resolve(config.dataDir);
  const path = join(dir, 'secret');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path)) writeFileSync(path, `${createToken()}\n`, { mode: 0o600 });
  return { ...config, secret: readFileSync(path, 'utf8').trim() };
}

export interface DepsOverrides {
  clock?: Clock;
  mailer?: Mailer;
  sms?: SmsSender;
  mailCheck?: MailDomainChecker;
  blobs?: BlobStore;
}

/** The configured SMS provider. */
export function createSmsSender(config: Config, database: Database): SmsSender {
  if (config.smsProvider === 'cm' && config.cmProductToken)
    return createCmSms({
      productToken: config.cmProductToken,
      sender: config.smsSender,
      apiUrl: config.cmApiUrl,
    });
  if (config.smsProvider === 'twilio' && config.twilioAccountSid && config.twilioAuthToken)
    return createTwilioSms({
      accountSid: config.twilioAccountSid,
      authToken: config.twilioAuthToken,
      sender: config.smsSender,
      apiUrl: config.twilioApiUrl,
    });
  return createOutboxSms(database.db);
}

/** The configured blob store: files under the data directory, or an S3-compatible bucket. */
export function createBlobStore(config: Config): BlobStore {
  if (config.blobStore === 's3' && config.s3Bucket)
    return createS3BlobStore({
      bucket: config.s3Bucket,
      region: config.s3Region,
      endpoint: config.s3Endpoint,
      accessKeyId: config.s3AccessKeyId,
      secretAccessKey: config.s3SecretAccessKey,
    });
  return createFileBlobStore(join(resolve(config.dataDir), 'blobs'));
}

/** Builds every dependency once; features get them through `deps`, never through globals. */
export function createDeps(config: Config, database: Database, overrides: DepsOverrides = {}): Deps {
  const { secret } = config;
  if (!secret) throw new Error('createDeps needs config.secret (see ensureEmbeddedSecret)');
  const clock = overrides.clock ?? systemClock;
  const mailer =
    overrides.mailer ??
    (config.smtpUrl
      ? createSmtpMailer(
          config.smtpUrl,
          config.mailFrom,
          config.dkimDomain && config.dkimSelector && config.dkimPrivateKey
            ? {
                domainName: config.dkimDomain,
                keySelector: config.dkimSelector,
                privateKey: config.dkimPrivateKey,
              }
            : undefined,
        )
      : createOutboxMailer(database.db));
  const blobs = overrides.blobs ?? createBlobStore(config);
  const deps: Deps = {
    db: database.db,
    engine: database.engine,
    config: { ...config, secret },
    clock,
    mailer,
    sms: overrides.sms ?? createSmsSender(config, database),
    secretBox: createSecretBox(secret),
    audit: createAuditTrail(database.db, clock, { secret, blobs }),
    throttle: createThrottle(database.db, clock),
    mailCheck: overrides.mailCheck ?? createMailDomainChecker(config),
    blobs,
    jobs: createJobQueue(database.db, clock),
    version: VERSION,
    poolStats: () => database.poolStats(),
    lifecycle: { stopping: false },
  };
  // The core asks contact where a team's notifications go: wired here, so no feature imports up.
  defineConversationJobs(deps, { teamNotifyAddress: (teamId) => teamNotifyAddress(deps, teamId) });
  defineFileJobs(deps);
  defineContactJobs(deps);
  defineAuditCheckpointJob(deps);
  defineGatewayJobs(deps);
  return deps;
}

const AUDIT_CHECKPOINT_JOB = 'audit-checkpoint';
const AUDIT_CHECKPOINT_INTERVAL_MS = 60 * 60_000;

/**
 * Besides one every 100 events, an audit checkpoint every hour when the trail moved, so the
 * newest events that verify cannot anchor are never more than an hour old (docs/security.md).
 */
function defineAuditCheckpointJob(deps: Deps): void {
  deps.jobs.define(AUDIT_CHECKPOINT_JOB, {
    async handler() {
      try {
        await deps.audit.checkpoint({ onlyIfMoved: true });
      } catch (error) {
        // A trail shorter than its checkpoint is left for `zegel audit verify` to report.
        if (!(error instanceof AuditAnchorError)) throw error;
      }
      await deps.jobs.enqueue(
        AUDIT_CHECKPOINT_JOB,
        {},
        { runAt: new Date(deps.clock.now().getTime() + AUDIT_CHECKPOINT_INTERVAL_MS) },
      );
    },
  });
}

/** Makes sure the hourly audit checkpoint is scheduled (each server start). */
export async function scheduleAuditCheckpoints(deps: Deps): Promise<void> {
  await deps.jobs.ensureScheduled(AUDIT_CHECKPOINT_JOB);
}
