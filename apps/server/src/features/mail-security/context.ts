import { createDnsClient, type DnsClient } from '../../adapters/dns/index.ts';
import {
  defaultSmtpTimeouts,
  type MailServerProbe,
  type ProbeOptions,
  probeMailServer,
  type SmtpTimeouts,
} from '../../adapters/smtp-probe/index.ts';

export interface MailCheckContextOptions {
  /** The validating resolver (unbound or similar) the DNSSEC verdicts rely on. */
  resolver: { host: string; port: number };
  dnsTimeoutMs?: number;
  dnsAttempts?: number;
  smtpTimeouts?: Partial<SmtpTimeouts>;
  /** Port of the mail servers; 25 except in a test set-up without the right to bind it. */
  smtpPort?: number;
  /** Budget for scanning one mail server, after which its results are reported as partial. */
  serverBudgetMs?: number;
  /** How long a scan of one mail server is reused across domains (internet.nl: 200 s). */
  probeCacheSeconds?: number;
  /** Extra trust anchors (PEM) for MTA-STS and the PKIX verdicts, e.g. an organisation's own CA. */
  extraCa?: string[];
  /** Name sent in EHLO. */
  ehloName?: string;
  now?: () => number;
  /** Replaces the SMTP scanner, for unit tests. */
  probe?: (options: ProbeOptions) => Promise<MailServerProbe>;
  dns?: DnsClient;
}

/**
 * The caches and limits shared by every check made through it: DNS answers by TTL, mail server scans
 * by host and address for `probeCacheSeconds`, and one connection at a time per mail server address.
 * One per process is the intent; it holds no secrets. Across processes nothing needs to agree, so
 * these caches stay in memory (a miss only costs a query or a scan).
 */
export interface MailCheckContext {
  dns: DnsClient;
  settings: {
    smtpPort: number;
    smtpTimeouts: SmtpTimeouts;
    serverBudgetMs: number;
    extraCa: string[];
    ehloName: string;
  };
  scanMailServer(host: string, address: string): Promise<MailServerProbe>;
  /** Runs `work` when no other connection to `address` is open from this context. */
  withConnection<T>(address: string, work: () => Promise<T>): Promise<T>;
  readonly stats: { scans: number; scansShared: number };
}

export function createMailCheckContext(options: MailCheckContextOptions): MailCheckContext {
  const now = options.now ?? Date.now;
  const dns =
    options.dns ??
    createDnsClient({
      server: options.resolver,
      timeoutMs: options.dnsTimeoutMs ?? 3000,
      attempts: options.dnsAttempts ?? 2,
      now,
    });
  const settings = {
    smtpPort: options.smtpPort ?? 25,
    smtpTimeouts: { ...defaultSmtpTimeouts, ...options.smtpTimeouts },
    serverBudgetMs: options.serverBudgetMs ?? 90_000,
    extraCa: options.extraCa ?? [],
    ehloName: options.ehloName ?? 'mailcheck.zegel.invalid',
  };
  const probe = options.probe ?? probeMailServer;
  const cacheMs = (options.probeCacheSeconds ?? 200) * 1000;
  const scans = new Map<string, { expires: number; result: Promise<MailServerProbe> }>();
  const queues = new Map<string, Promise<unknown>>();
  const stats = { scans: 0, scansShared: 0 };

  function withConnection<T>(address: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(address) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(address, settled);
    void settled.then(() => {
      if (queues.get(address) === settled) queues.delete(address);
    });
    return next;
  }

  return {
    dns,
    settings,
    stats,
    withConnection,
    scanMailServer(host, address) {
      const key = `${host.toLowerCase()}|${address}`;
      const cached = scans.get(key);
      if (cached && cached.expires > now()) {
        stats.scansShared++;
        return cached.result;
      }
      stats.scans++;
      const result = probe({
        host,
        address,
        port: settings.smtpPort,
        ehloName: settings.ehloName,
        timeouts: settings.smtpTimeouts,
        budgetMs: settings.serverBudgetMs,
        extraCa: settings.extraCa,
        withConnection,
      });
      // Until it settles the entry never expires, so concurrent domains share one scan in flight.
      const entry = { expires: Number.POSITIVE_INFINITY, result };
      scans.set(key, entry);
      void result.then(
        () => {
          entry.expires = now() + cacheMs;
        },
        () => scans.delete(key),
      );
      return result;
    },
  };
}
