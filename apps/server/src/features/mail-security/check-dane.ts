import { type MailServerProbe, matchDane, type TlsaRecordData } from '../../adapters/smtp-probe/index.ts';
import type { TlsaLookup } from './check-mail-server.ts';
import type { ScoredCheck } from './types.ts';

/**
 * DANE for one MX host: usable TLSA records (DANE-TA, DANE-EE) that are DNSSEC-secure, whether
 * the certificate the server showed matches one, and whether a rollover scheme is published.
 */
export function evaluateDane(
  host: string,
  probe: MailServerProbe,
  tlsa: TlsaLookup,
  starttlsOk: boolean,
): { checks: ScoredCheck[]; matched: boolean } {
  const usable = tlsa.records.filter((r) => r.usage === 2 || r.usage === 3);
  if (tlsa.state !== 'secure' || usable.length === 0)
    return { checks: withoutUsableTlsa(host, tlsa), matched: false };
  const exists: ScoredCheck = {
    id: 'dane_exists',
    status: 'pass',
    detail: `${host}: ${usable.length} usable TLSA record(s), DNSSEC-secure`,
    points: 10,
    maxPoints: 10,
  };
  if (!starttlsOk)
    return {
      checks: [
        exists,
        {
          id: 'dane_valid',
          status: 'not_tested',
          detail: `${host}: no TLS connection`,
          points: 0,
          maxPoints: 10,
        },
        evaluateRollover(host, usable),
      ],
      matched: false,
    };
  const match = matchDane(probe.chain, tlsa.records, host);
  const valid: ScoredCheck = {
    id: 'dane_valid',
    status: match.matched ? 'pass' : 'fail',
    detail: `${host}: ${match.reason}`,
    points: match.matched ? 10 : 0,
    maxPoints: 10,
  };
  return { checks: [exists, valid, evaluateRollover(host, usable)], matched: match.matched };
}

function withoutUsableTlsa(host: string, tlsa: TlsaLookup): ScoredCheck[] {
  const detail =
    tlsa.state === 'none'
      ? 'no TLSA record at _25._tcp.'
      : tlsa.state === 'secure'
        ? 'only unusable TLSA records (usage 0/1) at _25._tcp.'
        : tlsa.state === 'insecure'
          ? 'TLSA records are not DNSSEC-signed at _25._tcp.'
          : `TLSA answer is ${tlsa.state} (${tlsa.reason}) at _25._tcp.`;
  const noRecords = `${host}: no usable DNSSEC-secure TLSA records`;
  return [
    {
      id: 'dane_exists',
      status: tlsa.state === 'error' ? 'error' : 'fail',
      detail: `${detail}${host}`,
      points: 0,
      maxPoints: 10,
    },
    { id: 'dane_valid', status: 'not_tested', detail: noRecords, points: 0, maxPoints: 10 },
    { id: 'dane_rollover', status: 'not_tested', detail: noRecords, points: 0, maxPoints: 0 },
  ];
}

function evaluateRollover(host: string, usable: TlsaRecordData[]): ScoredCheck {
  const ee = usable.filter((r) => r.usage === 3).length;
  const ta = usable.filter((r) => r.usage === 2).length;
  if (ee >= 2 || (ee >= 1 && ta >= 1))
    return {
      id: 'dane_rollover',
      status: 'pass',
      detail: `${host}: rollover scheme present (${ee}× DANE-EE, ${ta}× DANE-TA)`,
      points: 0,
      maxPoints: 0,
    };
  return {
    id: 'dane_rollover',
    status: 'info',
    detail: `${host}: no rollover scheme (${ee}× DANE-EE, ${ta}× DANE-TA); publish "3 1 1" for the next key too`,
    points: 0,
    maxPoints: 0,
  };
}
