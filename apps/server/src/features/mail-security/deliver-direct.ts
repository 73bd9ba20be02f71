import {
  certificateMatchesHost,
  matchDane,
  presentedChain,
  SmtpSession,
} from '../../adapters/smtp-probe/index.ts';
import { lookupTlsa } from './check-mail-server.ts';
import { lookupMtaSts, type MtaStsPolicy, policyCoversHost } from './check-mta-sts.ts';
import type { MailCheckContext } from './context.ts';
import { errorText, queryWithDnssecState } from './dnssec-state.ts';
import type { DeliveryDecision } from './types.ts';

export interface DirectMessage {
  from: string;
  to: string[];
  /** The RFC 5322 message (headers, blank line, body). Never logged. */
  data: string;
}

export type DirectDeliveryResult =
  | { status: 'delivered'; host: string; mode: 'dane' | 'mta-sts' }
  /** Temporary: try again later; the content never left on an unverified channel. */
  | { status: 'deferred'; reason: string; attempts: { host: string; reason: string }[] }
  /** The decision forbids e-mail for this content: send a secure link instead. */
  | { status: 'refused'; reason: string };

/** NCSC-NL "good/sufficient" suites only for TLS 1.2; TLS 1.3 uses Node's defaults (all sufficient). */
const STRICT_CIPHERS = 'ECDHE+AESGCM:ECDHE+CHACHA20';

/**
 * Delivers one message directly to the recipient domain's MX, enforcing the delivery decision:
 * STARTTLS is required; with `dane` the presented chain must match DNSSEC-secure TLSA records, with
 * `mta-sts` the chain must be PKIX-valid, name the MX and the MX must be in the enforce policy. The
 * check happens after the handshake and before MAIL FROM. Any failure defers; there is no
 * plaintext or unverified fallback (RFC 7672 §2.2, RFC 8461 §5).
 */
export async function deliverDirect(input: {
  domain: string;
  decision: DeliveryDecision;
  message: DirectMessage;
  context: MailCheckContext;
}): Promise<DirectDeliveryResult> {
  const { domain, decision, context } = input;
  if (decision === 'none')
    return { status: 'refused', reason: `${domain} has no verified TLS path; send a secure link instead` };
  const attempts: { host: string; reason: string }[] = [];
  const mx = await queryWithDnssecState(context.dns, domain, 'MX');
  if (mx.state === 'error' || mx.state === 'bogus' || !mx.answer)
    return { status: 'deferred', reason: `MX lookup ${mx.state}: ${mx.reason}`, attempts };
  if (decision === 'dane' && mx.state !== 'secure')
    return { status: 'deferred', reason: 'MX RRset is not DNSSEC-secure, DANE cannot be applied', attempts };
  const hosts = mx.answer.answers
    .flatMap((a) => (a.type === 'MX' && a.data.exchange !== '' && a.data.exchange !== '.' ? [a.data] : []))
    .sort((a, b) => a.preference - b.preference)
    .map((r) => r.exchange.toLowerCase().replace(/\.$/, ''));
  if (hosts.length === 0) return { status: 'deferred', reason: `${domain} lists no mail servers`, attempts };

  let policy: MtaStsPolicy | undefined;
  if (decision === 'mta-sts') {
    const lookup = await lookupMtaSts(context.dns, domain, {
      extraCa: context.settings.extraCa,
      timeoutMs: context.settings.smtpTimeouts.commandMs,
    });
    if (lookup.state !== 'found' || lookup.policy.mode !== 'enforce') {
      return { status: 'deferred', reason: `no enforce-mode MTA-STS policy: ${lookup.detail}`, attempts };
    }
    policy = lookup.policy;
  }

  for (const host of hosts) {
    const reason = await tryHost(host, decision, policy, input.message, context);
    if (reason === undefined) return { status: 'delivered', host, mode: decision };
    attempts.push({ host, reason });
  }
  return { status: 'deferred', reason: 'no mail server passed the required TLS checks', attempts };
}

/** Returns undefined when delivered, else why this host was skipped. */
async function tryHost(
  host: string,
  decision: 'dane' | 'mta-sts',
  policy: MtaStsPolicy | undefined,
  message: DirectMessage,
  context: MailCheckContext,
): Promise<string | undefined> {
  if (policy && !policyCoversHost(policy, host)) return 'not listed in the MTA-STS policy';
  const tlsa = decision === 'dane' ? await lookupTlsa(context.dns, host) : undefined;
  if (tlsa && (tlsa.state !== 'secure' || !tlsa.records.some((r) => r.usage === 2 || r.usage === 3))) {
    return `TLSA records are ${tlsa.state === 'none' ? 'missing' : tlsa.state}; DANE cannot be verified`;
  }
  const addressAnswer = await queryWithDnssecState(context.dns, host, 'A');
  if (decision === 'dane' && addressAnswer.state !== 'secure')
    return `address of ${host} is ${addressAnswer.state}, not secure`;
  const address = (addressAnswer.answer?.answers ?? []).flatMap((a) => (a.type === 'A' ? [a.data] : []))[0];
  if (!address) return 'no IPv4 address';

  return context.withConnection(address, async () => {
    let session: SmtpSession | undefined;
    try {
      session = await SmtpSession.connect(address, context.settings.smtpPort, context.settings.smtpTimeouts);
      const keywords = await session.greet(context.settings.ehloName);
      if (!keywords.some((k) => k === 'STARTTLS')) return 'STARTTLS not offered; plaintext is never used';
      const socket = await session.startTls({
        servername: host,
        minVersion: 'TLSv1.2',
        ciphers: STRICT_CIPHERS,
        extraCa: context.settings.extraCa,
      });
      const chain = presentedChain(socket);
      if (tlsa) {
        const match = matchDane(chain, tlsa.records, host);
        if (!match.matched) return `DANE verification failed: ${match.reason}`;
      } else {
        const leaf = chain[0];
        if (!socket.authorized)
          return `certificate not trusted: ${String(socket.authorizationError ?? 'unknown')}`;
        if (!leaf || !certificateMatchesHost(leaf, host)) return `certificate does not name ${host}`;
      }
      // Verified: only now does anything about the message cross the wire.
      await session.ehlo(context.settings.ehloName);
      await expect(session.command(`MAIL FROM:<${message.from}>`), 250, 'MAIL FROM');
      for (const to of message.to) await expect(session.command(`RCPT TO:<${to}>`), 250, 'RCPT TO');
      await expect(session.command('DATA'), 354, 'DATA');
      const body = message.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
      session.write(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
      await expect(session.readReply(60_000, 'reply to message data'), 250, 'end of DATA');
      return undefined;
    } catch (error) {
      return errorText(error);
    } finally {
      await session?.close();
    }
  });
}

async function expect(
  reply: Promise<{ code: number; lines: string[] }>,
  code: number,
  step: string,
): Promise<void> {
  const result = await reply;
  if (result.code !== code) throw new Error(`${step} answered ${result.code} ${result.lines[0] ?? ''}`);
}
