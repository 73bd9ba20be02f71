import type { DnsClient } from '../../adapters/dns/index.ts';
import { errorText } from './dnssec-state.ts';
import type { ScoredCheck } from './types.ts';

/**
 * DKIM as internet.nl tests it: `_domainkey.<domain>` must exist (NOERROR, also an empty
 * non-terminal; NXDOMAIN fails). A domain that sends no mail (DMARC reject, SPF `v=spf1 -all`)
 * passes without it. Selectors, when given, must each publish a non-empty public key.
 */
export async function checkDkim(
  dns: DnsClient,
  domain: string,
  context: { selectors: string[]; spfRecord: string | undefined; dmarcPolicy: string | undefined },
): Promise<ScoredCheck> {
  const isNonSending =
    context.dmarcPolicy === 'reject' && /^v=spf1\s+-all$/i.test(context.spfRecord?.trim() ?? '');
  const problems: string[] = [];
  const found: string[] = [];
  for (const selector of context.selectors) {
    try {
      const answer = await dns.query(`${selector}._domainkey.${domain}`, 'TXT');
      const record = answer.answers.find((a) => a.type === 'TXT')?.data;
      if (answer.rcode !== 'NOERROR' || record === undefined)
        problems.push(`selector ${selector}: no key record`);
      else if (!/(^|;)\s*p=[A-Za-z0-9+/=]{16,}/.test(record))
        problems.push(`selector ${selector}: key is empty (revoked) or malformed`);
      else found.push(selector);
    } catch (error) {
      return {
        id: 'dkim',
        status: 'error',
        detail: `DKIM lookup failed: ${errorText(error)}`,
        points: 0,
        maxPoints: 10,
      };
    }
  }
  if (problems.length > 0)
    return { id: 'dkim', status: 'fail', detail: problems.join('; '), points: 0, maxPoints: 10 };
  if (isNonSending)
    return {
      id: 'dkim',
      status: 'pass',
      detail: 'domain sends no mail (SPF -all, DMARC reject): DKIM not needed',
      points: 10,
      maxPoints: 10,
    };
  try {
    const answer = await dns.query(`_domainkey.${domain}`, 'TXT');
    const selectors = found.length > 0 ? `; selector(s) ${found.join(', ')} publish a key` : '';
    if (answer.rcode === 'NOERROR')
      return {
        id: 'dkim',
        status: 'pass',
        detail: `_domainkey.${domain} exists${selectors}`,
        points: 10,
        maxPoints: 10,
      };
    if (answer.rcode === 'NXDOMAIN')
      return {
        id: 'dkim',
        status: 'fail',
        detail: `_domainkey.${domain} does not exist (NXDOMAIN): no DKIM keys published`,
        points: 0,
        maxPoints: 10,
      };
    return {
      id: 'dkim',
      status: 'error',
      detail: `resolver answered ${answer.rcode} for _domainkey.${domain}`,
      points: 0,
      maxPoints: 10,
    };
  } catch (error) {
    return {
      id: 'dkim',
      status: 'error',
      detail: `DKIM lookup failed: ${errorText(error)}`,
      points: 0,
      maxPoints: 10,
    };
  }
}
