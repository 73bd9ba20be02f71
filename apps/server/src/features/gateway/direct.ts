import MailComposer from 'nodemailer/lib/mail-composer';
import { type DkimKey, signWithDkim } from '../../adapters/dkim.ts';
import type { Deps } from '../../deps.ts';
import { decideDelivery, deliverDirect, type MailCheckContext } from '../mail-security/index.ts';
import { LOOP_HEADER, loopHeaderValue } from './loop.ts';
import type { SubmittedMail } from './submit.ts';

/** What direct delivery needs: the mail checks' context and the DKIM key of the organisation's domain. */
export interface DirectDelivery {
  context: MailCheckContext;
  dkim: DkimKey;
}

export type DirectOutcome = { address: string; route: 'direct_dane' | 'direct_mta_sts' };

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** DMARC-style relaxed alignment: the signing domain is the sender's domain or a parent of it. */
export function isAligned(senderAddress: string, signingDomain: string): boolean {
  const domain = domainOf(senderAddress);
  const signing = signingDomain.toLowerCase();
  return domain === signing || domain.endsWith(`.${signing}`);
}

/** The mail as the recipient gets it: the subject without its tag, signed for the sender's domain. */
async function composeSigned(
  mail: SubmittedMail,
  message: { from: string; subject: string; to: string[]; loopHeader: string },
  dkim: DkimKey,
) {
  const { from, to, subject } = message;
  const composed = await new MailComposer({
    from,
    to,
    subject,
    headers: { [LOOP_HEADER]: message.loopHeader },
    text: mail.text,
    attachments: mail.attachments.map((a) => ({
      filename: a.name,
      contentType: a.type,
      content: Buffer.from(a.content),
    })),
  })
    .compile()
    .build();
  return signWithDkim(composed, dkim);
}

/**
 * Delivers to the recipients whose domain's decision (`dane` or `mta-sts`, with direct delivery
 * allowed by the organisation) permits it, over a connection `deliverDirect` verifies; returns
 * those it delivered. A deferred or refused domain is left to the secure-link route.
 */
export async function deliverDirectly(
  deps: Deps,
  direct: DirectDelivery | undefined,
  input: { organisationId: string; from: string; subject: string; mail: SubmittedMail; addresses: string[] },
): Promise<DirectOutcome[]> {
  if (!direct || !isAligned(input.from, direct.dkim.domain)) return [];
  const byDomain = new Map<string, string[]>();
  for (const address of input.addresses)
    byDomain.set(domainOf(address), [...(byDomain.get(domainOf(address)) ?? []), address]);
  const delivered: DirectOutcome[] = [];
  for (const [domain, to] of byDomain) {
    const decision = await decideDelivery(deps, input.organisationId, domain);
    if (decision === 'secure_link') continue;
    const data = await composeSigned(
      input.mail,
      { from: input.from, subject: input.subject, to, loopHeader: loopHeaderValue(deps.config.secret) },
      direct.dkim,
    );
    const result = await deliverDirect({
      domain,
      decision,
      message: { from: input.mail.envelopeFrom || input.from, to, data: data.toString('utf8') },
      context: direct.context,
    });
    if (result.status === 'delivered')
      for (const address of to)
        delivered.push({ address, route: result.mode === 'dane' ? 'direct_dane' : 'direct_mta_sts' });
  }
  return delivered;
}
