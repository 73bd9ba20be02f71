import type { DnsClient } from '../../adapters/dns/index.ts';
import { queryTxt } from './dnssec-state.ts';
import type { ScoredCheck } from './types.ts';

const SPF_PREFIX = /^v=spf1(\s|$)/i;
const MAX_LOOKUPS = 10;

export interface SpfResult {
  spf: ScoredCheck;
  policy: ScoredCheck;
  /** The record, for the non-sending-domain rule of the DKIM check. */
  record: string | undefined;
}

/**
 * SPF as internet.nl scores it: exactly one `v=spf1` record (`spf`), and a policy (`spf_policy`)
 * that ends in `~all` or `-all` after following `include` and `redirect`, within 10 DNS-lookup terms.
 * Macros are neither expanded nor counted, as internet.nl does.
 */
export async function checkSpf(dns: DnsClient, domain: string): Promise<SpfResult> {
  const found = await queryTxt(dns, domain, SPF_PREFIX);
  if (found.error) {
    const detail = `SPF lookup failed: ${found.error}`;
    return {
      spf: { id: 'spf', status: 'error', detail, points: 0, maxPoints: 10 },
      policy: notTested('no SPF record could be read'),
      record: undefined,
    };
  }
  if (found.records.length === 0) {
    return {
      spf: { id: 'spf', status: 'fail', detail: 'no SPF record (TXT "v=spf1 …")', points: 0, maxPoints: 10 },
      policy: { id: 'spf_policy', status: 'fail', detail: 'no SPF policy', points: 0, maxPoints: 10 },
      record: undefined,
    };
  }
  if (found.records.length > 1) {
    return {
      spf: {
        id: 'spf',
        status: 'fail',
        detail: `${found.records.length} SPF records; there must be exactly one (RFC 7208 §4.5)`,
        points: 0,
        maxPoints: 10,
      },
      policy: notTested('more than one SPF record: receivers treat the policy as a permanent error'),
      record: undefined,
    };
  }
  const record = found.records[0] as string;
  const walk = { lookups: 0, problems: [] as string[], visited: new Set<string>([domain]) };
  const all = await evaluatePolicy(dns, domain, record, walk, 0);
  const spf: ScoredCheck = { id: 'spf', status: 'pass', detail: record, points: 10, maxPoints: 10 };
  if (walk.problems.length > 0) {
    return {
      spf,
      policy: {
        id: 'spf_policy',
        status: 'fail',
        detail: walk.problems.join('; '),
        points: 0,
        maxPoints: 10,
      },
      record,
    };
  }
  if (walk.lookups > MAX_LOOKUPS) {
    const detail = `${walk.lookups} DNS-lookup terms; at most ${MAX_LOOKUPS} are allowed (RFC 7208 §4.6.4)`;
    return { spf, policy: { id: 'spf_policy', status: 'fail', detail, points: 0, maxPoints: 10 }, record };
  }
  if (all === '-' || all === '~') {
    const detail = `policy ends in ${all}all; ${walk.lookups} DNS-lookup terms`;
    return { spf, policy: { id: 'spf_policy', status: 'pass', detail, points: 10, maxPoints: 10 }, record };
  }
  const detail =
    all === undefined
      ? 'no "all" term and no redirect: mail from anywhere is neutral'
      : `policy ends in ${all}all, which lets anyone send as this domain`;
  return { spf, policy: { id: 'spf_policy', status: 'fail', detail, points: 2, maxPoints: 10 }, record };
}

function notTested(detail: string): ScoredCheck {
  return { id: 'spf_policy', status: 'not_tested', detail, points: 0, maxPoints: 10 };
}

/** Returns the qualifier of the effective `all` ('+', '-', '~', '?') or undefined; counts lookups. */
async function evaluatePolicy(
  dns: DnsClient,
  domain: string,
  record: string,
  walk: { lookups: number; problems: string[]; visited: Set<string> },
  depth: number,
): Promise<string | undefined> {
  const terms = record.trim().split(/\s+/).slice(1);
  let all: string | undefined;
  let redirect: string | undefined;
  for (const term of terms) {
    const match = /^([+\-~?]?)([a-z0-9]+)([:=/]?)(.*)$/i.exec(term);
    if (!match) {
      walk.problems.push(`${domain}: cannot parse term "${term}"`);
      continue;
    }
    const qualifier = match[1] || '+';
    const name = (match[2] ?? '').toLowerCase();
    const argument = match[4] ?? '';
    if (name === 'all') all = qualifier;
    else if (name === 'redirect') redirect = argument;
    else if (['a', 'mx', 'ptr', 'exists'].includes(name)) walk.lookups++;
    else if (name === 'include') {
      walk.lookups++;
      if (argument.includes('%')) continue;
      await followRecord(dns, argument, walk, depth, 'include');
    }
  }
  if (redirect !== undefined && all === undefined) {
    walk.lookups++;
    if (redirect.includes('%')) return undefined;
    return followRecord(dns, redirect, walk, depth, 'redirect');
  }
  return all;
}

async function followRecord(
  dns: DnsClient,
  target: string,
  walk: { lookups: number; problems: string[]; visited: Set<string> },
  depth: number,
  kind: 'include' | 'redirect',
): Promise<string | undefined> {
  const name = target.toLowerCase().replace(/\.$/, '');
  if (walk.visited.has(name) || depth > MAX_LOOKUPS) {
    walk.problems.push(`${kind} loop at ${name}`);
    return undefined;
  }
  walk.visited.add(name);
  const found = await queryTxt(dns, name, SPF_PREFIX);
  if (found.error) {
    walk.problems.push(`${kind}:${name} could not be read (${found.error})`);
    return undefined;
  }
  if (found.records.length !== 1) {
    walk.problems.push(`${kind}:${name} has ${found.records.length} SPF records instead of one`);
    return undefined;
  }
  return evaluatePolicy(dns, name, found.records[0] as string, walk, depth + 1);
}
