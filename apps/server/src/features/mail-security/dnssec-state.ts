import type { DnsAnswer, DnsClient, DnsRecordType } from '../../adapters/dns/index.ts';
import type { DnssecState } from './types.ts';

/** EDE codes 6–12: DNSSEC Bogus, Signature Expired/Not Yet Valid, DNSKEY/RRSIGs Missing, No Zone Key Bit, NSEC Missing. */
const BOGUS_EDE = new Set([6, 7, 8, 9, 10, 11, 12]);

export interface ClassifiedAnswer {
  state: DnssecState;
  /** The answer without CD, or with CD when the first was SERVFAIL and the second shows data. */
  answer: DnsAnswer | undefined;
  reason: string;
}

/**
 * Asks without CD first (so a cached secure answer keeps its AD bit, internet.nl issue #1869), and
 * only after a SERVFAIL asks again with CD to tell a bogus signature from an unreachable server.
 */
export async function queryWithDnssecState(
  dns: DnsClient,
  name: string,
  type: DnsRecordType,
): Promise<ClassifiedAnswer> {
  let answer: DnsAnswer;
  try {
    answer = await dns.query(name, type);
  } catch (error) {
    return { state: 'error', answer: undefined, reason: `no answer from the resolver (${errorText(error)})` };
  }
  if (answer.rcode !== 'SERVFAIL') {
    if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN') {
      return { state: 'error', answer, reason: `resolver answered ${answer.rcode}` };
    }
    return {
      state: answer.ad ? 'secure' : 'insecure',
      answer,
      reason: answer.ad ? 'validated (AD)' : 'not signed (no AD)',
    };
  }
  const ede = answer.ede.find((e) => BOGUS_EDE.has(e.code));
  if (ede)
    return { state: 'bogus', answer, reason: `bogus: EDE ${ede.code}${ede.text ? ` ${ede.text}` : ''}` };
  try {
    const unchecked = await dns.query(name, type, { cd: true });
    if (unchecked.rcode === 'NOERROR' || unchecked.rcode === 'NXDOMAIN') {
      return {
        state: 'bogus',
        answer: unchecked,
        reason: 'SERVFAIL when validating, an answer without validation',
      };
    }
  } catch {
    // Fall through: the servers themselves are unreachable.
  }
  const other = answer.ede[0];
  return { state: 'error', answer, reason: `SERVFAIL${other ? ` (EDE ${other.code} ${other.text})` : ''}` };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** TXT strings at `name` that start with `prefix` (case-insensitive), plus the DNS state. */
export async function queryTxt(
  dns: DnsClient,
  name: string,
  prefix: RegExp,
): Promise<{ records: string[]; rcode: string; error?: string }> {
  try {
    const answer = await dns.query(name, 'TXT');
    if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN')
      return { records: [], rcode: answer.rcode, error: `resolver answered ${answer.rcode}` };
    const records = answer.answers.flatMap((a) => (a.type === 'TXT' && prefix.test(a.data) ? [a.data] : []));
    return { records, rcode: answer.rcode };
  } catch (error) {
    return { records: [], rcode: 'TIMEOUT', error: errorText(error) };
  }
}
