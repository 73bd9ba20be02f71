import type { DnsClient } from '../../adapters/dns/index.ts';
import { fetchText } from '../../adapters/https-fetch/fetch-text.ts';
import { parseTagList } from './check-dmarc.ts';
import { queryTxt } from './dnssec-state.ts';
import type { ScoredCheck } from './types.ts';

export interface MtaStsPolicy {
  mode: 'enforce' | 'testing' | 'none';
  mx: string[];
  maxAge: number;
  id: string;
}

export type MtaStsLookup =
  | { state: 'absent'; detail: string }
  | { state: 'invalid' | 'unreachable' | 'error'; detail: string }
  | { state: 'found'; policy: MtaStsPolicy; detail: string };

/** RFC 8461 §4.1: `*.example.net` matches exactly one extra label; other patterns match exactly. */
export function policyCoversHost(policy: MtaStsPolicy, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return policy.mx.some((pattern) => {
    const p = pattern.toLowerCase().replace(/\.$/, '');
    if (p.startsWith('*.')) {
      const suffix = p.slice(1);
      return (
        name.endsWith(suffix) && !name.slice(0, -suffix.length).includes('.') && name.length > suffix.length
      );
    }
    return p === name;
  });
}

/** Parses an RFC 8461 §3.2 policy body; returns undefined with a reason when it is not valid. */
export function parseMtaStsPolicy(body: string, id: string): MtaStsPolicy | string {
  const fields = new Map<string, string[]>();
  for (const line of body.split(/\r?\n/)) {
    const index = line.indexOf(':');
    if (index < 0) continue;
    const key = line.slice(0, index).trim().toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), line.slice(index + 1).trim()]);
  }
  if (fields.get('version')?.[0] !== 'STSv1') return 'policy lacks "version: STSv1"';
  const mode = fields.get('mode')?.[0];
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none')
    return `policy mode "${mode ?? ''}" is not enforce, testing or none`;
  const maxAge = Number(fields.get('max_age')?.[0]);
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 31_557_600)
    return 'policy max_age missing or out of range';
  const mx = fields.get('mx') ?? [];
  if (mode !== 'none' && mx.length === 0) return 'policy lists no mx patterns';
  return { mode, mx, maxAge, id };
}

/** Reads `_mta-sts.<domain>` and fetches the policy over HTTPS with full certificate checks. */
export async function lookupMtaSts(
  dns: DnsClient,
  domain: string,
  options: { extraCa: string[]; timeoutMs: number },
): Promise<MtaStsLookup> {
  const found = await queryTxt(dns, `_mta-sts.${domain}`, /^v=STSv1(\s*;|\s*$)/);
  if (found.error) return { state: 'error', detail: `lookup of _mta-sts.${domain} failed: ${found.error}` };
  if (found.records.length === 0) return { state: 'absent', detail: 'no MTA-STS record' };
  if (found.records.length > 1)
    return { state: 'invalid', detail: `${found.records.length} MTA-STS records; there must be one` };
  const id = parseTagList(found.records[0] as string).get('id');
  if (!id || !/^[A-Za-z0-9]{1,32}$/.test(id))
    return { state: 'invalid', detail: 'MTA-STS record has no valid id' };
  const policyHost = `mta-sts.${domain}`;
  const fetched = await fetchText({
    url: `https://${policyHost}/.well-known/mta-sts.txt`,
    timeoutMs: options.timeoutMs,
    extraCa: options.extraCa,
    resolveAddresses: async (host) => {
      const answer = await dns.query(host, 'A');
      return answer.answers.flatMap((a) => (a.type === 'A' ? [a.data] : []));
    },
  });
  if (!fetched.ok) {
    const what =
      fetched.reason === 'tls'
        ? 'certificate of the policy host is not valid'
        : 'policy could not be fetched';
    return { state: 'unreachable', detail: `${what} (https://${policyHost}: ${fetched.detail})` };
  }
  if (fetched.status !== 200)
    return { state: 'unreachable', detail: `policy host answered HTTP ${fetched.status}` };
  const policy = parseMtaStsPolicy(fetched.body, id);
  if (typeof policy === 'string') return { state: 'invalid', detail: policy };
  return { state: 'found', policy, detail: `mode ${policy.mode}, mx ${policy.mx.join(' ')}` };
}

/** The `mta_sts` check: not scored (internet.nl does not test it), but it feeds the delivery decision. */
export function evaluateMtaSts(
  lookup: MtaStsLookup,
  servers: { host: string; pkixValid: boolean; starttlsOk: boolean }[],
): ScoredCheck {
  const base = { id: 'mta_sts' as const, points: 0, maxPoints: 0 };
  if (lookup.state === 'absent') return { ...base, status: 'info', detail: lookup.detail };
  if (lookup.state === 'error') return { ...base, status: 'error', detail: lookup.detail };
  if (lookup.state !== 'found') return { ...base, status: 'fail', detail: lookup.detail };
  const { policy } = lookup;
  if (policy.mode === 'none')
    return { ...base, status: 'info', detail: 'policy mode none: MTA-STS switched off' };
  const uncovered = servers.filter((s) => !policyCoversHost(policy, s.host)).map((s) => s.host);
  if (uncovered.length > 0)
    return {
      ...base,
      status: 'fail',
      detail: `policy (mode ${policy.mode}) does not cover MX ${uncovered.join(', ')}`,
    };
  const badCert = servers.filter((s) => !s.starttlsOk || !s.pkixValid).map((s) => s.host);
  if (badCert.length > 0)
    return {
      ...base,
      status: 'fail',
      detail: `MX ${badCert.join(', ')} fail the certificate checks MTA-STS requires (trusted chain naming the host)`,
    };
  if (policy.mode === 'testing')
    return {
      ...base,
      status: 'warning',
      detail: 'policy in testing mode: senders report but still deliver without TLS',
    };
  return { ...base, status: 'pass', detail: `policy enforce covers every MX, max_age ${policy.maxAge}` };
}

/** `_smtp._tls.<domain>` with `v=TLSRPTv1; rua=…` (RFC 8460); not scored. */
export async function checkTlsRpt(dns: DnsClient, domain: string): Promise<ScoredCheck> {
  const base = { id: 'tls_rpt' as const, points: 0, maxPoints: 0 };
  const found = await queryTxt(dns, `_smtp._tls.${domain}`, /^v=TLSRPTv1(\s*;|\s*$)/);
  if (found.error) return { ...base, status: 'error', detail: `lookup failed: ${found.error}` };
  if (found.records.length === 0)
    return {
      ...base,
      status: 'info',
      detail: 'no TLS-RPT record: failures of TLS to this domain go unreported',
    };
  if (found.records.length > 1)
    return { ...base, status: 'fail', detail: `${found.records.length} TLS-RPT records; there must be one` };
  const rua = parseTagList(found.records[0] as string).get('rua') ?? '';
  if (!/^(mailto:|https:)/i.test(rua))
    return { ...base, status: 'fail', detail: 'TLS-RPT record has no mailto: or https: rua' };
  return { ...base, status: 'pass', detail: `reports go to ${rua}` };
}
