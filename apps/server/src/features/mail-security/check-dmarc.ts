import { getDomain } from 'tldts';
import type { DnsClient } from '../../adapters/dns/index.ts';
import { queryTxt } from './dnssec-state.ts';
import type { ScoredCheck } from './types.ts';

const DMARC_PREFIX = /^v=DMARC1(\s*;|\s*$)/i;

export interface DmarcResult {
  dmarc: ScoredCheck;
  policy: ScoredCheck;
  /** The effective policy (`p`, or `sp` after the organisational fallback), for the DKIM rule. */
  effectivePolicy: string | undefined;
}

/** The organisational domain by the public suffix list (RFC 7489 §3.2); `tldts` treats unknown TLDs as one label. */
export function findOrganisationalDomain(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: false }) ?? domain;
}

/** Splits `k=v; k=v` into a map with lower-case keys. */
export function parseTagList(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    tags.set(part.slice(0, index).trim().toLowerCase(), part.slice(index + 1).trim());
  }
  return tags;
}

/**
 * DMARC as internet.nl scores it: one `v=DMARC1` record at `_dmarc.<domain>` or, when there is none,
 * at the organisational domain; policy `quarantine` or `reject` (with `sp` after a fallback); RFC 9989
 * `t=y` lowers the policy one step; reports to another organisation need its authorisation record.
 */
/** The record at `_dmarc.<domain>`, or at the organisational domain's when there is none. */
async function findDmarcRecords(dns: DnsClient, domain: string) {
  const organisational = findOrganisationalDomain(domain);
  const found = await queryTxt(dns, `_dmarc.${domain}`, DMARC_PREFIX);
  if (found.error || found.records.length > 0 || organisational === domain)
    return { found, source: domain, organisational, isFallback: false };
  const fallback = await queryTxt(dns, `_dmarc.${organisational}`, DMARC_PREFIX);
  return { found: fallback, source: organisational, organisational, isFallback: true };
}

function policyCheck(status: ScoredCheck['status'], detail: string, points = 0): ScoredCheck {
  return { id: 'dmarc_policy', status, detail, points, maxPoints: 10 };
}

/** No single record to judge: the lookup failed, or there were none or several. */
function withoutRecord(domain: string, lookup: Awaited<ReturnType<typeof findDmarcRecords>>): DmarcResult {
  const { found, source, organisational, isFallback } = lookup;
  if (found.error)
    return {
      dmarc: {
        id: 'dmarc',
        status: 'error',
        detail: `DMARC lookup failed: ${found.error}`,
        points: 0,
        maxPoints: 10,
      },
      policy: policyCheck('not_tested', 'no DMARC record could be read'),
      effectivePolicy: undefined,
    };
  const detail =
    found.records.length === 0
      ? `no DMARC record at _dmarc.${domain}${isFallback ? ` nor at _dmarc.${organisational}` : ''}`
      : `${found.records.length} DMARC records at _dmarc.${source}; there must be exactly one`;
  return {
    dmarc: { id: 'dmarc', status: 'fail', detail, points: 0, maxPoints: 10 },
    policy: policyCheck(found.records.length === 0 ? 'fail' : 'not_tested', 'no usable DMARC policy'),
    effectivePolicy: undefined,
  };
}

/** The policy a receiver applies: `sp` for a subdomain's fallback, softened by test mode (`t=y`). */
async function judgePolicy(
  dns: DnsClient,
  domain: string,
  tags: Map<string, string>,
  isFallback: boolean,
): Promise<{ policy: ScoredCheck; effectivePolicy: string | undefined }> {
  const p = tags.get('p')?.toLowerCase();
  const sp = tags.get('sp')?.toLowerCase();
  const valid = ['none', 'quarantine', 'reject'];
  if (!p || !valid.includes(p) || (sp !== undefined && !valid.includes(sp)))
    return {
      policy: policyCheck('fail', `invalid policy syntax: p=${p ?? '(missing)'}`),
      effectivePolicy: undefined,
    };
  let effective = isFallback ? (sp ?? p) : p;
  const isTesting = tags.get('t')?.toLowerCase() === 'y';
  if (isTesting) effective = effective === 'reject' ? 'quarantine' : 'none';
  const shown = `${isFallback && sp ? `sp=${sp}` : `p=${p}`}${isTesting ? ' with t=y (test mode)' : ''}`;
  if (effective === 'none')
    return {
      policy: policyCheck(
        'fail',
        `effective policy ${shown} asks receivers to deliver failing mail anyway`,
        2,
      ),
      effectivePolicy: effective,
    };
  const unauthorised = await findUnauthorisedReportDomains(dns, domain, tags);
  if (unauthorised.length > 0) {
    const detail = `effective policy ${shown}; report address domain(s) ${unauthorised.join(', ')} have not authorised reports for ${domain}`;
    return { policy: policyCheck('warning', detail, 10), effectivePolicy: effective };
  }
  return { policy: policyCheck('pass', `effective policy ${shown}`, 10), effectivePolicy: effective };
}

export async function checkDmarc(dns: DnsClient, domain: string): Promise<DmarcResult> {
  const lookup = await findDmarcRecords(dns, domain);
  if (lookup.found.error || lookup.found.records.length !== 1) return withoutRecord(domain, lookup);
  const record = lookup.found.records[0] as string;
  const dmarc: ScoredCheck = {
    id: 'dmarc',
    status: 'pass',
    detail: lookup.isFallback
      ? `${record} (from the organisational domain ${lookup.organisational})`
      : record,
    points: 10,
    maxPoints: 10,
  };
  return { dmarc, ...(await judgePolicy(dns, domain, parseTagList(record), lookup.isFallback)) };
}

/** RFC 7489 §7.1: a report domain outside our organisation must publish `<domain>._report._dmarc.<it>`. */
async function findUnauthorisedReportDomains(
  dns: DnsClient,
  domain: string,
  tags: Map<string, string>,
): Promise<string[]> {
  const ownOrganisation = findOrganisationalDomain(domain);
  const hosts = new Set<string>();
  for (const key of ['rua', 'ruf']) {
    for (const uri of (tags.get(key) ?? '').split(',')) {
      const host = /^mailto:[^@]+@([^!\s]+)/i.exec(uri.trim())?.[1]?.toLowerCase();
      if (host && findOrganisationalDomain(host) !== ownOrganisation) hosts.add(host);
    }
  }
  const missing: string[] = [];
  for (const host of hosts) {
    const found = await queryTxt(dns, `${domain}._report._dmarc.${host}`, DMARC_PREFIX);
    if (found.records.length === 0) missing.push(host);
  }
  return missing;
}
