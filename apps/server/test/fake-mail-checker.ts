import { InvalidDomainError } from '../src/features/mail-security/check-mail-domain.ts';
import type { MailDomainChecker } from '../src/features/mail-security/checker.ts';
import { normalizeDomainName } from '../src/features/mail-security/domain-name.ts';
import {
  checkIds,
  type DeliveryDecision,
  type MailDomainReport,
} from '../src/features/mail-security/types.ts';

/**
 * A checker that never touches the network, for HTTP tests: the first label decides the outcome
 * (`dane.*` → dane, `sts.*` → mta-sts, `partial.*` → incomplete, `slow.*` never answers,
 * `crash.*` throws), anything else fails DANE and gets `none`.
 */
export function createFakeChecker(
  limits: Partial<Pick<MailDomainChecker, 'domainTimeoutMs' | 'bulkTimeoutMs' | 'bulkConcurrency'>> = {},
): MailDomainChecker & { calls: string[]; maxInFlight: number } {
  let inFlight = 0;
  const fake = {
    calls: [] as string[],
    maxInFlight: 0,
    domainTimeoutMs: limits.domainTimeoutMs ?? 2000,
    bulkTimeoutMs: limits.bulkTimeoutMs ?? 5000,
    bulkConcurrency: limits.bulkConcurrency ?? 4,
    async check(input: string, _options: { selectors?: string[] | undefined; deadlineMs: number }) {
      const normalized = normalizeDomainName(input);
      if (!normalized.ok) throw new InvalidDomainError(normalized.reason);
      const domain = normalized.domain;
      fake.calls.push(domain);
      inFlight++;
      fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (domain.startsWith('slow.')) await new Promise(() => {});
        if (domain.startsWith('crash.')) throw new Error('resolver exploded');
        const delivery: DeliveryDecision = domain.startsWith('dane.')
          ? 'dane'
          : domain.startsWith('sts.')
            ? 'mta-sts'
            : 'none';
        return fakeReport(domain, input, delivery, !domain.startsWith('partial.'));
      } finally {
        inFlight--;
      }
    },
  };
  return fake;
}

export function fakeReport(
  domain: string,
  input: string,
  delivery: DeliveryDecision,
  complete = true,
): MailDomainReport {
  return {
    domain,
    input,
    checkedAt: new Date().toISOString(),
    score: delivery === 'none' ? 67 : 100,
    delivery,
    deliveryReason: `fake: ${delivery}`,
    checks: checkIds.map((id) => ({
      id,
      status: delivery === 'none' && (id === 'dane_exists' || id === 'starttls') ? 'fail' : 'pass',
      detail: `${id} of ${domain}`,
    })),
    mx: [
      {
        host: `mx.${domain}`,
        preference: 10,
        address: '192.0.2.25',
        checks: [{ id: 'starttls', status: 'pass', detail: 'fake' }],
      },
    ],
    advice: delivery === 'none' ? [{ id: 'starttls', nl: 'Zet STARTTLS aan.', en: 'Enable STARTTLS.' }] : [],
    complete,
  };
}
