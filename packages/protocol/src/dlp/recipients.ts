import { findLookalikeDomain } from './lookalike.ts';

export interface Recipient {
  address: string;
  field: 'to' | 'cc' | 'bcc';
  /**
   * Whether the recipient must prove who they are before the message opens (an SMS code or an
   * access code agreed with the sender). `false` for a guest whom the link alone lets in; an
   * account holder (a colleague) leaves it out.
   */
  isVerified?: boolean;
}

/** The names of the recipient checks; policy rules use the same names. */
export const RecipientRule = {
  firstTimeRecipient: 'first_time_recipient',
  lookalikeDomain: 'lookalike_domain',
  mixedInternalExternal: 'mixed_internal_external',
  manyVisibleExternal: 'many_visible_external',
  freeMailSensitive: 'free_mail_sensitive',
} as const;
export type RecipientRule = (typeof RecipientRule)[keyof typeof RecipientRule];

export interface RecipientIssue {
  rule: RecipientRule;
  /** The addresses the issue is about (lower case). */
  addresses: string[];
  /** For a look-alike: the usual domain it resembles. */
  similarTo?: string;
}

export interface RecipientContext {
  /** The organisation's own domains. */
  internalDomains: readonly string[];
  /** Domains this sender or organisation usually writes to (partners, municipalities, care providers). */
  usualDomains?: readonly string[];
  /** Addresses this sender has sent to before. */
  knownAddresses?: ReadonlySet<string>;
  /** Free-mail providers; `freeMailDomains` below unless given. */
  freeMailDomains?: readonly string[];
  /** More visible (To/Cc) external addresses than this suggests Bcc; 5 unless given. */
  maxVisibleExternal?: number;
}

/** Consumer mail providers common in the Netherlands. */
export const freeMailDomains: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'hotmail.com',
  'hotmail.nl',
  'outlook.com',
  'outlook.nl',
  'live.com',
  'live.nl',
  'msn.com',
  'yahoo.com',
  'yahoo.nl',
  'icloud.com',
  'me.com',
  'ziggo.nl',
  'kpnmail.nl',
  'kpnplanet.nl',
  'planet.nl',
  'home.nl',
  'hetnet.nl',
  'xs4all.nl',
  'chello.nl',
  'casema.nl',
  'quicknet.nl',
  'upcmail.nl',
  'telfort.nl',
  'tele2.nl',
  'online.nl',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'aol.com',
  'mail.com',
  'zonnet.nl',
  'freeler.nl',
  'tiscali.nl',
  'solcon.nl',
  'caiway.nl',
  'delta.nl',
];

/** The domain part of an address, lower case; '' when there is no "@". */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, '');
}

function isInDomains(domain: string, domains: readonly string[]): boolean {
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * Looks for the recipient mistakes behind most Dutch data-leak notifications. Checks that only
 * matter for sensitive content (a first-time recipient, a free-mail address) run only when
 * `hasSensitiveContent` is true; look-alike domains, mixed internal/external and many visible
 * external addresses are mistakes whatever the content.
 */
export function checkRecipients(
  recipients: readonly Recipient[],
  context: RecipientContext,
  hasSensitiveContent: boolean,
): RecipientIssue[] {
  const issues: RecipientIssue[] = [];
  const internal = context.internalDomains.map((d) => d.toLowerCase());
  const freeMail = context.freeMailDomains ?? freeMailDomains;
  const usual = [...internal, ...(context.usualDomains ?? []), ...freeMail];
  const known = new Set([...(context.knownAddresses ?? [])].map((a) => a.toLowerCase()));
  const normalised = recipients.map((r) => ({ ...r, address: r.address.trim().toLowerCase() }));
  const external = normalised.filter((r) => !isInDomains(domainOf(r.address), internal));

  const lookalikes = new Map<string, { addresses: string[]; similarTo: string }>();
  for (const r of external) {
    const domain = domainOf(r.address);
    if (isInDomains(domain, usual)) continue;
    const match = findLookalikeDomain(domain, usual);
    if (match === undefined) continue;
    const entry = lookalikes.get(domain) ?? { addresses: [], similarTo: match.similarTo };
    entry.addresses.push(r.address);
    lookalikes.set(domain, entry);
  }
  for (const { addresses, similarTo } of lookalikes.values()) {
    issues.push({ rule: 'lookalike_domain', addresses, similarTo });
  }

  if (external.length > 0 && external.length < normalised.length) {
    issues.push({ rule: 'mixed_internal_external', addresses: external.map((r) => r.address) });
  }
  const visibleExternal = external.filter((r) => r.field !== 'bcc');
  if (visibleExternal.length > (context.maxVisibleExternal ?? 5)) {
    issues.push({ rule: 'many_visible_external', addresses: visibleExternal.map((r) => r.address) });
  }
  if (hasSensitiveContent) {
    const firstTime = external.filter((r) => !known.has(r.address)).map((r) => r.address);
    if (firstTime.length > 0) issues.push({ rule: 'first_time_recipient', addresses: firstTime });
    const free = external.filter((r) => isInDomains(domainOf(r.address), freeMail)).map((r) => r.address);
    if (free.length > 0) issues.push({ rule: 'free_mail_sensitive', addresses: free });
  }
  return issues;
}
