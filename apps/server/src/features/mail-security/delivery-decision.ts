import type { MailServerFacts } from './check-mail-server.ts';
import { type MtaStsLookup, policyCoversHost } from './check-mta-sts.ts';
import type { DeliveryDecision } from './types.ts';

/**
 * Issue 7's rule: `dane` when the MX RRset, each MX's address and TLSA records are DNSSEC-secure and
 * every MX's certificate matches its TLSA records; otherwise `mta-sts` when an enforce policy covers
 * every MX and each passes PKIX and name checks; otherwise `none`. A DANE or MTA-STS set-up that is
 * present but broken gives `none` (RFC 7672 §2.2: secure TLSA must be honoured, never bypassed).
 */
export function decideDelivery(input: {
  hasMailServers: boolean;
  mxSecure: boolean;
  servers: MailServerFacts[];
  mtaSts: MtaStsLookup;
}): { decision: DeliveryDecision; reason: string } {
  const { servers } = input;
  if (!input.hasMailServers || servers.length === 0)
    return { decision: 'none', reason: 'the domain has no mail servers to deliver to' };
  const broken = servers.filter(
    (s) => s.tlsa.state === 'bogus' || (s.tlsa.state === 'secure' && hasUsable(s) && !s.daneMatched),
  );
  if (broken.length > 0) {
    return {
      decision: 'none',
      reason: `DANE is published but fails for ${broken.map((s) => s.host).join(', ')}`,
    };
  }
  const daneReady = servers.every(
    (s) => s.tlsa.state === 'secure' && hasUsable(s) && s.addressSecure && s.starttlsOk && s.daneMatched,
  );
  if (daneReady && input.mxSecure)
    return { decision: 'dane', reason: 'every MX has DNSSEC-secure TLSA records that match its certificate' };
  if (input.mtaSts.state === 'found' && input.mtaSts.policy.mode === 'enforce') {
    const { policy } = input.mtaSts;
    const failing = servers.filter(
      (s) => !policyCoversHost(policy, s.host) || !s.supportsModernTls || !s.pkixValid,
    );
    if (failing.length === 0)
      return {
        decision: 'mta-sts',
        reason: 'an enforce-mode MTA-STS policy covers every MX and each passes the certificate checks',
      };
    return {
      decision: 'none',
      reason: `the MTA-STS policy is not met by ${failing.map((s) => s.host).join(', ')}`,
    };
  }
  if (input.mtaSts.state === 'unreachable' || input.mtaSts.state === 'invalid') {
    return { decision: 'none', reason: `MTA-STS is published but broken: ${input.mtaSts.detail}` };
  }
  return { decision: 'none', reason: 'neither DANE nor an enforce-mode MTA-STS policy protects every MX' };
}

function hasUsable(server: MailServerFacts): boolean {
  return server.tlsa.records.some((r) => r.usage === 2 || r.usage === 3);
}
