import type { Kysely } from 'kysely';
import type { BlobStore } from './adapters/blob-store.ts';
import type { Clock } from './adapters/clock.ts';
import type { Mailer } from './adapters/mailer.ts';
import type { SecretBox } from './adapters/secret-box.ts';
import type { SmsSender } from './adapters/sms.ts';
import type { Config } from './config.ts';
import type { Engine, PoolStats } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { MailDomainChecker } from './features/mail-security/index.ts';
import type { AuditTrail } from './platform/audit/index.ts';
import type { JobQueue } from './platform/jobs/index.ts';
import type { Throttle } from './platform/throttle/index.ts';

/**
 * Everything a feature may use, built once by `createDeps` and passed down explicitly: no
 * singletons, so a test can hand in an in-memory database and recording sinks.
 */
export interface Deps {
  db: Kysely<DB>;
  engine: Engine;
  config: ResolvedConfig;
  clock: Clock;
  mailer: Mailer;
  sms: SmsSender;
  secretBox: SecretBox;
  audit: AuditTrail;
  throttle: Throttle;
  /** Mail domain checks (the network engine, or a fake in tests). */
  mailCheck: MailDomainChecker;
  blobs: BlobStore;
  jobs: JobQueue;
  version: string;
  /** Database connection pool use now (null on PGlite), for metrics. */
  poolStats: () => PoolStats | null;
  /** Set once the process is stopping: readiness then answers 503 so balancers move on. */
  lifecycle: { stopping: boolean };
}

/** The configuration once boot has filled in what embedded mode makes itself: the server secret. */
export type ResolvedConfig = Config & { secret: string };

/** Who is making a request, for rules and the audit trail. */
export interface Actor {
  userId: string;
  organisationId: string;
  name: string;
  role: 'admin' | 'member';
}

/** Where a request comes from (NEN 7513 access point). */
export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
}
