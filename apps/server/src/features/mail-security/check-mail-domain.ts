import type { MailServerProbe } from '../../adapters/smtp-probe/index.ts';
import { buildAdvice } from './advice.ts';
import { checkDkim } from './check-dkim.ts';
import { checkDmarc } from './check-dmarc.ts';
import { evaluateMailServer, lookupTlsa, type MailServerFacts } from './check-mail-server.ts';
import { checkTlsRpt, evaluateMtaSts, lookupMtaSts } from './check-mta-sts.ts';
import { checkSpf } from './check-spf.ts';
import { createMailCheckContext, type MailCheckContext, type MailCheckContextOptions } from './context.ts';
import { decideDelivery } from './delivery-decision.ts';
import { queryWithDnssecState } from './dnssec-state.ts';
import { normalizeDomainName } from './domain-name.ts';
import { computeScore, foldChecks } from './score.ts';
import {
  type CheckResult,
  checkIds,
  type MailDomainReport,
  type MailServerReport,
  type ScoredCheck,
} from './types.ts';

export interface CheckMailDomainOptions {
  /** Shared caches and limits; pass the same context for many domains so they share work. */
  context?: MailCheckContext;
  /** Used to build a context when none is given. */
  contextOptions?: MailCheckContextOptions;
  /** DKIM selectors to check besides `_domainkey`. */
  selectors?: string[];
  /** Whole-domain time limit; per-MX work still running then is reported as `error`. */
  deadlineMs?: number;
  now?: () => Date;
}

/** Thrown before any query when the input is not a usable domain name; a route maps it to 400. */
export class InvalidDomainError extends Error {
  override name = 'InvalidDomainError';
}

const MAX_MAIL_SERVERS = 10;
const perServerIds = [
  'dnssec_mx',
  'starttls',
  'tls_version',
  'tls_ciphers',
  'tls_key_exchange',
  'certificate',
  'cert_trust',
  'dane_exists',
  'dane_valid',
  'dane_rollover',
] as const;

/**
 * Runs every mail-security check for one domain and decides how content may be delivered to it.
 * Never throws for network trouble: unanswered queries and silent servers become `error` statuses
 * and `complete: false`. Throws InvalidDomainError for input that is not a domain name.
 */
export async function checkMailDomain(
  input: string,
  options: CheckMailDomainOptions,
): Promise<MailDomainReport> {
  const normalized = normalizeDomainName(input);
  if (!normalized.ok) throw new InvalidDomainError(normalized.reason);
  const domain = normalized.domain;
  const context = options.context ?? createMailCheckContext(requireContextOptions(options));
  const { dns } = context;
  const checkedAt = (options.now?.() ?? new Date()).toISOString();

  const domainState = await queryWithDnssecState(dns, domain, 'SOA');
  if (domainState.state === 'error' && domainState.answer === undefined) {
    return buildUnreachableReport(domain, input, checkedAt, domainState.reason);
  }
  const dnssec: ScoredCheck = {
    id: 'dnssec',
    status: domainState.state === 'secure' ? 'pass' : domainState.state === 'error' ? 'error' : 'fail',
    detail: `${domain}: ${domainState.state} (${domainState.reason})`,
    points: { secure: 10, insecure: 2, bogus: 0, error: 0 }[domainState.state],
    maxPoints: 10,
  };

  const [spf, dmarc, tlsRpt, mtaSts, mxLookup] = await Promise.all([
    checkSpf(dns, domain),
    checkDmarc(dns, domain),
    checkTlsRpt(dns, domain),
    lookupMtaSts(dns, domain, {
      extraCa: context.settings.extraCa,
      timeoutMs: context.settings.smtpTimeouts.commandMs,
    }),
    findMailServers(context, domain),
  ]);
  const dkim = await checkDkim(dns, domain, {
    selectors: options.selectors ?? [],
    spfRecord: spf.record,
    dmarcPolicy: dmarc.effectivePolicy,
  });

  const deadlineMs = options.deadlineMs ?? 150_000;
  let complete = true;
  const servers = await Promise.all(
    mxLookup.hosts.map(async (mx) => {
      const outcome = await withDeadline(checkOneServer(context, mx.host), deadlineMs);
      if (outcome === undefined) {
        complete = false;
        return { mx, checks: timedOutChecks(mx.host, deadlineMs), facts: undefined, address: undefined };
      }
      if (outcome.probe && !outcome.probe.complete && outcome.probe.starttls === 'ok') complete = false;
      return { mx, ...outcome };
    }),
  );

  const serverChecks = servers.map((s) => s.checks);
  const facts = servers.flatMap((s) => (s.facts ? [s.facts] : []));
  const noServers = mxLookup.hosts.length === 0 ? mxLookup.detail : 'no mail servers';
  const folded = perServerIds.map((id) => foldChecks(id, serverChecks, noServers));
  const mtaStsCheck = evaluateMtaSts(mtaSts, facts);
  const auth = [spf.spf, spf.policy, dkim, dmarc.dmarc, dmarc.policy];
  const all: ScoredCheck[] = [dnssec, ...auth, mxLookup.check, ...folded, mtaStsCheck, tlsRpt];
  const checks = checkIds.flatMap((id) => all.filter((c) => c.id === id)).map(stripPoints);
  if (checks.some((c) => c.status === 'error')) complete = false;
  const decision = decideDelivery({
    hasMailServers: mxLookup.hosts.length > 0,
    mxSecure: mxLookup.isSecure,
    servers: facts,
    mtaSts,
  });
  const mx: MailServerReport[] = servers.map((s) => ({
    host: s.mx.host,
    preference: s.mx.preference,
    address: s.address,
    checks: s.checks.map(stripPoints),
  }));
  return {
    domain,
    input,
    checkedAt,
    score: computeScore({ domainDnssec: dnssec, auth, servers: serverChecks }),
    delivery: decision.decision,
    deliveryReason: decision.reason,
    checks,
    mx,
    advice: buildAdvice(checks),
    complete,
  };
}

function requireContextOptions(options: CheckMailDomainOptions): MailCheckContextOptions {
  if (!options.contextOptions) throw new Error('checkMailDomain needs a context or contextOptions');
  return options.contextOptions;
}

function stripPoints(check: ScoredCheck): CheckResult {
  return { id: check.id, status: check.status, detail: check.detail };
}

interface MailServerEntry {
  host: string;
  preference: number;
}

/** MX per RFC 5321 §5.1 and RFC 7505: null MX, implicit MX (the domain's own address), at most 10 hosts. */
async function findMailServers(
  context: MailCheckContext,
  domain: string,
): Promise<{ hosts: MailServerEntry[]; isSecure: boolean; check: ScoredCheck; detail: string }> {
  const result = await queryWithDnssecState(context.dns, domain, 'MX');
  const base = { id: 'mx' as const, points: 0, maxPoints: 0 };
  const answer = result.answer;
  if (result.state === 'error' || result.state === 'bogus' || !answer) {
    const detail = `MX lookup ${result.state === 'bogus' ? 'is bogus' : 'failed'}: ${result.reason}`;
    return {
      hosts: [],
      isSecure: false,
      detail,
      check: { ...base, status: result.state === 'bogus' ? 'fail' : 'error', detail },
    };
  }
  if (answer.rcode === 'NXDOMAIN') {
    const detail = `${domain} does not exist (NXDOMAIN)`;
    return { hosts: [], isSecure: false, detail, check: { ...base, status: 'fail', detail } };
  }
  const records = answer.answers.flatMap((a) => (a.type === 'MX' ? [a.data] : []));
  if (records.length === 1 && (records[0]?.exchange === '' || records[0]?.exchange === '.')) {
    const detail = 'null MX (RFC 7505): the domain accepts no mail; per-server tests not run';
    return {
      hosts: [],
      isSecure: result.state === 'secure',
      detail,
      check: { ...base, status: 'info', detail },
    };
  }
  if (records.length === 0) {
    const address = await context.dns.query(domain, 'A').catch(() => undefined);
    if (address?.answers.some((a) => a.type === 'A')) {
      const detail = `no MX; mail goes to the domain's own address (implicit MX)`;
      return {
        hosts: [{ host: domain, preference: 0 }],
        isSecure: result.state === 'secure',
        detail,
        check: { ...base, status: 'warning', detail },
      };
    }
    const detail = 'no MX and no address: the domain cannot receive mail';
    return { hosts: [], isSecure: false, detail, check: { ...base, status: 'info', detail } };
  }
  const hosts = records
    .map((r) => ({ host: r.exchange.toLowerCase().replace(/\.$/, ''), preference: r.preference }))
    .filter((r) => r.host !== 'localhost' && r.host !== '')
    .sort((a, b) => a.host.localeCompare(b.host))
    .slice(0, MAX_MAIL_SERVERS);
  const detail = hosts.map((h) => `${h.preference} ${h.host}`).join(', ');
  return {
    hosts,
    isSecure: result.state === 'secure',
    detail,
    check: { ...base, status: 'pass', detail: `${detail} (${result.state})` },
  };
}

async function checkOneServer(
  context: MailCheckContext,
  host: string,
): Promise<{
  checks: ScoredCheck[];
  facts: MailServerFacts;
  address: string | undefined;
  probe: MailServerProbe;
}> {
  const [hostDnssec, addressState, tlsa] = await Promise.all([
    queryWithDnssecState(context.dns, host, 'SOA'),
    queryWithDnssecState(context.dns, host, 'A'),
    lookupTlsa(context.dns, host),
  ]);
  const addresses = (addressState.answer?.answers ?? [])
    .flatMap((a) => (a.type === 'A' ? [a.data] : []))
    .sort();
  const address = addresses[0];
  const probe: MailServerProbe = address
    ? await context.scanMailServer(host, address)
    : {
        host,
        address: '',
        starttls: 'unreachable',
        starttlsDetail: `${host} has no IPv4 address (${addressState.reason})`,
        chain: [],
        pkixAuthorized: false,
        versions: {},
        suites: [],
        complete: false,
        connections: 0,
      };
  const evaluated = evaluateMailServer({
    host,
    hostDnssec: { state: hostDnssec.state, reason: hostDnssec.reason },
    probe,
    tlsa,
    addressSecure: addressState.state === 'secure',
  });
  return { ...evaluated, address, probe };
}

function timedOutChecks(host: string, deadlineMs: number): ScoredCheck[] {
  const maxPoints: Partial<Record<string, number>> = { certificate: 20, cert_trust: 0, dane_rollover: 0 };
  return perServerIds.map((id) => ({
    id,
    status: 'error' as const,
    detail: `${host}: not finished within ${Math.round(deadlineMs / 1000)} s`,
    points: 0,
    maxPoints: maxPoints[id] ?? 10,
  }));
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function buildUnreachableReport(
  domain: string,
  input: string,
  checkedAt: string,
  reason: string,
): MailDomainReport {
  const checks: CheckResult[] = checkIds.map((id) => ({
    id,
    status: 'error',
    detail: `DNS resolver did not answer: ${reason}`,
  }));
  return {
    domain,
    input,
    checkedAt,
    score: 0,
    delivery: 'none',
    deliveryReason: 'the checks could not run, so no secure delivery path is known',
    checks,
    mx: [],
    advice: buildAdvice(checks.slice(0, 1)),
    complete: false,
  };
}

export type { MailServerProbe };
