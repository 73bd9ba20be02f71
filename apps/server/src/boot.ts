import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from './adapters/clock.ts';
import { createOutboxMailer, createSmtpMailer, type Mailer } from './adapters/mailer.ts';
import { createSecretBox } from './adapters/secret-box.ts';
import { createOutboxSms, type SmsSender } from './adapters/sms.ts';
import { createToken } from './adapters/tokens.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Deps } from './deps.ts';
import { createAuditTrail } from './features/audit/service.ts';
import { createThrottle } from './features/throttle/service.ts';

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
}

/** Builds every dependency once; features get them through `deps`, never through globals. */
export function createDeps(config: Config, database: Database, overrides: DepsOverrides = {}): Deps {
  if (!config.secret) throw new Error('createDeps needs config.secret (see ensureEmbeddedSecret)');
  const clock = overrides.clock ?? systemClock;
  const mailer =
    overrides.mailer ??
    (config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : createOutboxMailer(database.db));
  return {
    db: database.db,
    engine: database.engine,
    config,
    clock,
    mailer,
    sms: overrides.sms ?? createOutboxSms(database.db),
    secretBox: createSecretBox(config.secret),
    audit: createAuditTrail(database.db, clock),
    throttle: createThrottle(database.db, clock),
    version: VERSION,
  };
}
