import type { DnsClient } from '../../adapters/dns/index.ts';
import {
  certificateMatchesHost,
  describeCertificate,
  type MailServerProbe,
  type TlsaRecordData,
} from '../../adapters/smtp-probe/index.ts';
import { evaluateDane } from './check-dane.ts';
import { queryWithDnssecState } from './dnssec-state.ts';
import {
  classifyCertificateKey,
  classifyKeyExchange,
  classifySignature,
  classifySuite,
  type SecurityLevel,
} from './tls-policy.ts';
import type { DnssecState, ScoredCheck } from './types.ts';

/** The TLSA RRset of one MX host with its DNSSEC state ('none' = no records). */
export interface TlsaLookup {
  state: DnssecState | 'none';
  records: TlsaRecordData[];
  reason: string;
}

/** Facts about one MX host that the delivery decision needs besides the visible checks. */
export interface MailServerFacts {
  host: string;
  tlsa: TlsaLookup;
  addressSecure: boolean;
  starttlsOk: boolean;
  /** TLS 1.2 or 1.3 works: our outbound client offers nothing older. */
  supportsModernTls: boolean;
  daneMatched: boolean;
  pkixValid: boolean;
}

/** `_25._tcp.<mx>` TLSA (RFC 7672 §2.2), without CD first so a secure answer keeps its AD bit. */
export async function lookupTlsa(dns: DnsClient, mxHost: string): Promise<TlsaLookup> {
  const classified = await queryWithDnssecState(dns, `_25._tcp.${mxHost}`, 'TLSA');
  const records = (classified.answer?.answers ?? []).flatMap((a) => (a.type === 'TLSA' ? [a.data] : []));
  if (classified.state === 'bogus' || classified.state === 'error')
    return { state: classified.state, records, reason: classified.reason };
  if (records.length === 0) return { state: 'none', records, reason: 'no TLSA records' };
  return { state: classified.state, records, reason: classified.reason };
}

/** Builds the per-MX checks from the DNS facts and the (shared, cached) TLS probe. */
export function evaluateMailServer(input: {
  host: string;
  hostDnssec: { state: DnssecState; reason: string };
  probe: MailServerProbe;
  tlsa: TlsaLookup;
  addressSecure: boolean;
}): { checks: ScoredCheck[]; facts: MailServerFacts } {
  const { host, probe, tlsa } = input;
  const starttlsOk = probe.starttls === 'ok';
  const dane = evaluateDane(host, probe, tlsa, starttlsOk);
  const checks = [dnssecCheck(host, input.hostDnssec), ...tlsChecks(host, probe), ...dane.checks];
  const pkixValid =
    starttlsOk &&
    probe.pkixAuthorized &&
    probe.chain[0] !== undefined &&
    certificateMatchesHost(probe.chain[0], host);
  const supportsModernTls =
    starttlsOk &&
    (probe.versions['TLSv1.2'] === true ||
      probe.versions['TLSv1.3'] === true ||
      ['TLSv1.2', 'TLSv1.3'].includes(probe.negotiatedVersion ?? ''));
  return {
    checks,
    facts: {
      host,
      tlsa,
      addressSecure: input.addressSecure,
      starttlsOk,
      supportsModernTls,
      daneMatched: dane.matched,
      pkixValid,
    },
  };
}

function dnssecCheck(host: string, dnssec: { state: DnssecState; reason: string }): ScoredCheck {
  return {
    id: 'dnssec_mx',
    status: dnssec.state === 'secure' ? 'pass' : dnssec.state === 'error' ? 'error' : 'fail',
    detail: `${host}: ${dnssec.state} (${dnssec.reason})`,
    points: { secure: 10, insecure: 2, bogus: 0, error: 0 }[dnssec.state],
    maxPoints: 10,
  };
}

/** A check that needs a TLS connection the server did not give. */
export function withoutTls(host: string, id: ScoredCheck['id'], maxPoints: number): ScoredCheck {
  return { id, status: 'not_tested', detail: `${host}: no TLS connection`, points: 0, maxPoints };
}

/** STARTTLS, and with it the TLS versions, ciphers, key exchange, certificate and its trust. */
function tlsChecks(host: string, probe: MailServerProbe): ScoredCheck[] {
  if (probe.starttls !== 'ok') {
    const isDefinite = probe.starttls === 'no_starttls' || probe.starttls === 'handshake_failed';
    return [
      {
        id: 'starttls',
        status: isDefinite ? 'fail' : 'error',
        detail: `${host}: ${probe.starttlsDetail || probe.starttls}`,
        points: 0,
        maxPoints: 10,
      },
      withoutTls(host, 'tls_version', 10),
      withoutTls(host, 'tls_ciphers', 10),
      withoutTls(host, 'tls_key_exchange', 10),
      withoutTls(host, 'certificate', 20),
      withoutTls(host, 'cert_trust', 0),
    ];
  }
  return [
    { id: 'starttls', status: 'pass', detail: `${host}: ${probe.starttlsDetail}`, points: 10, maxPoints: 10 },
    evaluateVersions(host, probe),
    ...evaluateSuites(host, probe),
    evaluateCertificate(host, probe),
    evaluateTrust(host, probe),
  ];
}

function incomplete(id: ScoredCheck['id'], host: string, maxPoints: number): ScoredCheck {
  return {
    id,
    status: 'error',
    detail: `${host}: scan stopped by a time limit before this was measured`,
    points: 0,
    maxPoints,
  };
}

function evaluateVersions(host: string, probe: MailServerProbe): ScoredCheck {
  const accepted = Object.entries(probe.versions)
    .filter(([, ok]) => ok)
    .map(([v]) => v);
  if (Object.keys(probe.versions).length < 4 && !probe.complete) return incomplete('tls_version', host, 10);
  const bad = accepted.filter((v) => v === 'TLSv1' || v === 'TLSv1.1');
  if (bad.length > 0)
    return {
      id: 'tls_version',
      status: 'fail',
      detail: `${host}: accepts ${bad.join(', ')} (only TLS 1.2 and 1.3 are sufficient)`,
      points: 0,
      maxPoints: 10,
    };
  return {
    id: 'tls_version',
    status: 'pass',
    detail: `${host}: accepts ${accepted.join(', ')}`,
    points: 10,
    maxPoints: 10,
  };
}

function evaluateSuites(host: string, probe: MailServerProbe): ScoredCheck[] {
  if (!probe.complete) return [incomplete('tls_ciphers', host, 10), incomplete('tls_key_exchange', host, 10)];
  const byLevel = groupBy(
    probe.suites.map((s) => ({ ...s, level: classifySuite(s.name) })),
    (s) => s.level,
  );
  const list = (level: SecurityLevel) =>
    [...new Set((byLevel.get(level) ?? []).map((s) => s.name))].join(', ');
  let ciphers: ScoredCheck;
  if (byLevel.has('insufficient'))
    ciphers = {
      id: 'tls_ciphers',
      status: 'fail',
      detail: `${host}: insufficient suites accepted: ${list('insufficient')}`,
      points: 0,
      maxPoints: 10,
    };
  else if (byLevel.has('phase_out'))
    ciphers = {
      id: 'tls_ciphers',
      status: 'warning',
      detail: `${host}: phase-out suites accepted: ${list('phase_out')}`,
      points: 10,
      maxPoints: 10,
    };
  else
    ciphers = {
      id: 'tls_ciphers',
      status: 'pass',
      detail: `${host}: ${probe.suites.length} suites, all good or sufficient`,
      points: 10,
      maxPoints: 10,
    };

  const exchanges = [...new Set(probe.suites.map((s) => s.keyExchange).filter((k) => k !== ''))];
  const levels = exchanges.map((k) => ({ k, level: classifyKeyExchange(k) }));
  const badKex = levels.filter((l) => l.level === 'insufficient').map((l) => l.k);
  const oldKex = levels.filter((l) => l.level === 'phase_out').map((l) => l.k);
  let kex: ScoredCheck;
  if (badKex.length > 0)
    kex = {
      id: 'tls_key_exchange',
      status: 'fail',
      detail: `${host}: insufficient key exchange: ${badKex.join(', ')}`,
      points: 0,
      maxPoints: 10,
    };
  else if (oldKex.length > 0)
    kex = {
      id: 'tls_key_exchange',
      status: 'warning',
      detail: `${host}: phase-out key exchange: ${oldKex.join(', ')}`,
      points: 10,
      maxPoints: 10,
    };
  else
    kex = {
      id: 'tls_key_exchange',
      status: 'pass',
      detail: `${host}: ${exchanges.join(', ') || 'no ephemeral exchange seen'}`,
      points: 10,
      maxPoints: 10,
    };
  return [ciphers, kex];
}

function evaluateCertificate(host: string, probe: MailServerProbe): ScoredCheck {
  if (probe.chain.length === 0)
    return {
      id: 'certificate',
      status: 'fail',
      detail: `${host}: no certificate presented`,
      points: 0,
      maxPoints: 20,
    };
  const problems: string[] = [];
  const phaseOut: string[] = [];
  let points = 20;
  let keyFailed = false;
  let signatureFailed = false;
  for (const [index, der] of probe.chain.entries()) {
    const info = describeCertificate(der);
    // A root (self-issued CA, not the leaf) is trusted by its presence in a store, not by its own signature or key.
    if (index > 0 && info.isCa && info.isSelfIssued) continue;
    const key = classifyCertificateKey(info.keyType, info.keyBits, info.curve);
    const keyText = `${info.keyType.toUpperCase()}${info.keyBits ? `-${info.keyBits}` : ''}`;
    if (key === 'insufficient') {
      problems.push(`${keyText} key in ${info.subject}`);
      keyFailed = true;
    } else if (key === 'phase_out') phaseOut.push(`${keyText} key (phase out)`);
    const signature = classifySignature(info.signatureOid);
    if (signature.level === 'insufficient') {
      problems.push(`${signature.name} signature on ${info.subject}`);
      signatureFailed = true;
    } else if (signature.level === 'phase_out') phaseOut.push(`${signature.name} signature (phase out)`);
  }
  if (keyFailed) points -= 10;
  if (signatureFailed) points -= 10;
  if (problems.length > 0)
    return {
      id: 'certificate',
      status: 'fail',
      detail: `${host}: ${problems.join('; ')}`,
      points,
      maxPoints: 20,
    };
  if (phaseOut.length > 0)
    return {
      id: 'certificate',
      status: 'warning',
      detail: `${host}: ${phaseOut.join('; ')}`,
      points: 20,
      maxPoints: 20,
    };
  const leaf = describeCertificate(probe.chain[0] as Uint8Array);
  return {
    id: 'certificate',
    status: 'pass',
    detail: `${host}: ${leaf.keyType.toUpperCase()} key, sufficient signatures`,
    points: 20,
    maxPoints: 20,
  };
}

function evaluateTrust(host: string, probe: MailServerProbe): ScoredCheck {
  const leaf = probe.chain[0];
  const nameOk = leaf !== undefined && certificateMatchesHost(leaf, host);
  if (probe.pkixAuthorized && nameOk)
    return {
      id: 'cert_trust',
      status: 'pass',
      detail: `${host}: chain is trusted and names the host`,
      points: 0,
      maxPoints: 0,
    };
  const reasons = [
    probe.pkixAuthorized ? undefined : `not trusted (${probe.pkixError ?? 'unknown'})`,
    nameOk ? undefined : 'does not name the host',
  ];
  return {
    id: 'cert_trust',
    status: 'info',
    detail: `${host}: certificate ${reasons.filter(Boolean).join(' and ')}; fine with DANE-EE, fatal for MTA-STS`,
    points: 0,
    maxPoints: 0,
  };
}

/** internet.nl's recommended schemes: two usable records as `3 x x + 3 x x` or `3 x x + 2 x x`. */
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
