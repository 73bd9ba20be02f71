import { readFileSync } from 'node:fs';
import { parseResolverAddress } from '../../adapters/dns/index.ts';
import type { Config } from '../../config.ts';
import { checkMailDomain } from './check-mail-domain.ts';
import { createMailCheckContext, type MailCheckContext } from './context.ts';
import type { MailDomainReport } from './types.ts';

/**
 * What the API's checks run through: the engine with one shared context per process (so DNS
 * answers and mail server scans are cached across requests), plus the time limits the routes keep.
 * Tests hand in a fake through `deps.mailCheck`, so `npm test` never touches the network.
 */
export interface MailDomainChecker {
  /** Checks one domain; throws InvalidDomainError for a name that is not a domain. */
  check(
    domain: string,
    options: { selectors?: string[] | undefined; deadlineMs: number },
  ): Promise<MailDomainReport>;
  /** Time limit of one check made by an admin from the page. */
  domainTimeoutMs: number;
  /** Time limit of a whole bulk check; what is unfinished then is reported as `error`. */
  bulkTimeoutMs: number;
  /** Domains checked at the same time in a bulk check. */
  bulkConcurrency: number;
}

export const defaultCheckerLimits = {
  domainTimeoutMs: 60_000,
  bulkTimeoutMs: 180_000,
  bulkConcurrency: 8,
} as const;

/**
 * The real checker from the configuration: the validating resolver of ZEGEL_DNS_RESOLVER and the
 * extra CA of ZEGEL_MAILCHECK_CA (read now, so a missing file stops the boot with a clear error).
 * The context (and its sockets) is made on the first check, not at boot.
 */
export function createMailDomainChecker(
  config: Pick<Config, 'dnsResolver' | 'mailcheckCa'>,
): MailDomainChecker {
  const resolver = parseResolverAddress(config.dnsResolver);
  if (!resolver) throw new Error(`ZEGEL_DNS_RESOLVER is not IP:PORT: ${config.dnsResolver}`);
  let extraCa: string[] = [];
  if (config.mailcheckCa) {
    try {
      extraCa = [readFileSync(config.mailcheckCa, 'utf8')];
    } catch (error) {
      throw new Error(
        `ZEGEL_MAILCHECK_CA cannot be read (${config.mailcheckCa}): ${(error as Error).message}`,
      );
    }
  }
  let context: MailCheckContext | undefined;
  return {
    ...defaultCheckerLimits,
    check(domain, { selectors, deadlineMs }) {
      context ??= createMailCheckContext({ resolver, extraCa });
      return checkMailDomain(domain, { context, deadlineMs, ...(selectors ? { selectors } : {}) });
    },
  };
}
