import { domainOf, type Recipient, type RecipientIssue, type RecipientRule } from './recipients.ts';
import type { Finding, FindingType } from './types.ts';

/**
 * What the composer does when a rule fires, mildest first: `audit` records it silently,
 * `suggest` offers secure sending, `warn` asks the sender to confirm, `block` refuses plain
 * sending. `off` disables the rule.
 */
export const PolicyAction = {
  off: 'off',
  audit: 'audit',
  suggest: 'suggest',
  warn: 'warn',
  block: 'block',
} as const;
export type PolicyAction = (typeof PolicyAction)[keyof typeof PolicyAction];
const severity: Record<PolicyAction, number> = { off: 0, audit: 1, suggest: 2, warn: 3, block: 4 };

export type PolicyRuleName = FindingType | RecipientRule;

export interface DlpPolicy {
  rules: Partial<Record<PolicyRuleName, PolicyAction>>;
  /**
   * Recipient domains the organisation trusts for sensitive content (a care partner on a
   * secured connection): content rules are skipped when every external recipient is in one,
   * and recipient rules ignore these addresses.
   */
  exemptDomains: readonly string[];
}

/** A cautious default for a Dutch care or public organisation; each organisation tunes its own. */
export const defaultPolicy: DlpPolicy = {
  rules: {
    bsn: 'block',
    iban: 'warn',
    phone: 'audit',
    postcode: 'audit',
    email: 'off',
    date_of_birth: 'suggest',
    id_document: 'warn',
    care_id: 'suggest',
    health: 'warn',
    special_category: 'warn',
    first_time_recipient: 'warn',
    lookalike_domain: 'warn',
    mixed_internal_external: 'suggest',
    many_visible_external: 'warn',
    free_mail_sensitive: 'warn',
  },
  exemptDomains: [],
};

/** Short Dutch explanation per rule, shown next to the highlight. */
export const ruleMessages: Record<PolicyRuleName, string> = {
  bsn: 'Dit bericht bevat een burgerservicenummer (BSN).',
  iban: 'Dit bericht bevat een rekeningnummer (IBAN).',
  phone: 'Dit bericht bevat een telefoonnummer.',
  postcode: 'Dit bericht bevat een adres (postcode en huisnummer).',
  email: 'Dit bericht bevat een e-mailadres.',
  date_of_birth: 'Dit bericht bevat een geboortedatum.',
  id_document: 'Dit bericht bevat een paspoort- of identiteitskaartnummer.',
  care_id: 'Dit bericht bevat een AGB-, UZI- of BIG-nummer.',
  health: 'Dit bericht lijkt gezondheidsgegevens te bevatten.',
  special_category: 'Dit bericht lijkt bijzondere persoonsgegevens te bevatten (AVG art. 9/10).',
  first_time_recipient: 'U stuurt gevoelige gegevens voor het eerst naar deze ontvanger.',
  lookalike_domain: 'Dit adres lijkt op een bekend domein, maar is het niet. Klopt het adres?',
  mixed_internal_external: 'Er staan interne en externe ontvangers in hetzelfde bericht.',
  many_visible_external: 'Veel externe adressen zijn voor elkaar zichtbaar. Gebruik Bcc.',
  free_mail_sensitive: 'U stuurt gevoelige gegevens naar een gratis e-maildienst.',
};

export interface VerdictItem {
  rule: PolicyRuleName;
  action: Exclude<PolicyAction, 'off'>;
  message: string;
  /** Where in the text (positions only, never the values). */
  findings: Finding[];
  addresses: string[];
  similarTo?: string;
}

export interface Verdict {
  /** Sending is refused: a `block` rule fired (content only blocks plain sending). */
  isBlocked: boolean;
  /** The strongest action that fired; `off` when nothing did. */
  highestAction: PolicyAction;
  /** What the composer shows: every item whose action is suggest, warn or block. */
  shown: VerdictItem[];
  /** Every item that fired, including audit-only ones. */
  items: VerdictItem[];
  /**
   * Content the policy would show, but which goes end-to-end encrypted to verified recipients
   * the sender knows: shown as a note that asks nothing of the sender (and audited).
   */
  notes: VerdictItem[];
}

export interface EvaluateInput {
  findings: readonly Finding[];
  recipients: readonly Recipient[];
  recipientIssues: readonly RecipientIssue[];
  policy: DlpPolicy;
  internalDomains: readonly string[];
  /**
   * `secure` is Zegel's end-to-end encrypted delivery: content never blocks there. Content that
   * goes to verified recipients the sender knows is only audited (with a note); to a first-time,
   * look-alike or link-only recipient, a `block` or `warn` rule asks the sender to confirm.
   * Recipient mistakes apply on both channels, as encryption to the wrong person is still a
   * leak. `plain` (the gateway, direct delivery) applies the levels as set.
   */
  channel: 'plain' | 'secure';
}

function isInDomains(domain: string, domains: readonly string[]): boolean {
  return domains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
}

/** Recipient issues that make end-to-end encryption alone not enough for sensitive content. */
const riskyRecipientRules: readonly RecipientRule[] = ['first_time_recipient', 'lookalike_domain'];

/**
 * Whether some external recipient is not a verified one the sender knows: the link alone opens
 * the message for them, or they are new or look like someone else.
 */
function hasRiskyRecipient(input: EvaluateInput, external: readonly Recipient[]): boolean {
  const exempt = (address: string) => isInDomains(domainOf(address), input.policy.exemptDomains);
  if (external.some((r) => r.isVerified === false && !exempt(r.address))) return true;
  return input.recipientIssues.some(
    (issue) => riskyRecipientRules.includes(issue.rule) && issue.addresses.some((a) => !exempt(a)),
  );
}

/** The level a content rule has on the channel used; `lowered` when the secure channel made it a note. */
function contentAction(
  action: PolicyAction,
  channel: EvaluateInput['channel'],
  isRisky: boolean,
): { action: PolicyAction; isLowered: boolean } {
  if (channel === 'plain' || action === 'off' || action === 'audit') return { action, isLowered: false };
  if (isRisky) return { action: action === 'block' ? 'warn' : action, isLowered: false };
  return { action: 'audit', isLowered: true };
}

/** Turns findings, recipients and the organisation's policy into what the composer does. */
export function evaluatePolicy(input: EvaluateInput): Verdict {
  const { policy } = input;
  const externalRecipients = input.recipients.filter(
    (r) => !isInDomains(domainOf(r.address), input.internalDomains),
  );
  const external = externalRecipients.map((r) => domainOf(r.address));
  const allExempt = external.length > 0 && external.every((d) => isInDomains(d, policy.exemptDomains));
  const onlyInternal = input.recipients.length > 0 && external.length === 0;
  const isRisky = hasRiskyRecipient(input, externalRecipients);
  const items: VerdictItem[] = [];
  const notes: VerdictItem[] = [];

  if (!allExempt && !onlyInternal) {
    const byType = new Map<FindingType, Finding[]>();
    for (const finding of input.findings)
      byType.set(finding.type, [...(byType.get(finding.type) ?? []), finding]);
    for (const [type, findings] of byType) {
      const { action, isLowered } = contentAction(policy.rules[type] ?? 'off', input.channel, isRisky);
      if (action === 'off') continue;
      const item = { rule: type, action, message: ruleMessages[type], findings, addresses: [] };
      items.push(item);
      if (isLowered) notes.push(item);
    }
  }
  for (const issue of input.recipientIssues) {
    const addresses = issue.addresses.filter((a) => !isInDomains(domainOf(a), policy.exemptDomains));
    const action = policy.rules[issue.rule] ?? 'off';
    if (addresses.length === 0 || action === 'off') continue;
    items.push({
      rule: issue.rule,
      action,
      message: ruleMessages[issue.rule],
      findings: [],
      addresses,
      ...(issue.similarTo === undefined ? {} : { similarTo: issue.similarTo }),
    });
  }
  items.sort((a, b) => severity[b.action] - severity[a.action]);
  const highestAction = items[0]?.action ?? 'off';
  return {
    isBlocked: highestAction === 'block',
    highestAction,
    shown: items.filter((i) => severity[i.action] >= severity.suggest),
    items,
    notes,
  };
}

export interface AuditSummary {
  outcome: 'sent' | 'blocked' | 'sent_after_override';
  channel: 'plain' | 'secure';
  highestAction: PolicyAction;
  /** Per rule: the action and how often it fired. Counts, never values or positions. */
  rules: { rule: PolicyRuleName; action: PolicyAction; count: number }[];
  /** Recipient domains only: an address can itself be personal data. */
  recipientDomains: string[];
}

/**
 * The record for the audit trail when a sender sends, is blocked or overrides a warning. It is
 * built only from rule names, counts and domains, so it can never contain a BSN, an IBAN or any
 * other value the scanner found.
 */
export function summarizeForAudit(
  verdict: Verdict,
  recipients: readonly Recipient[],
  options: { channel: 'plain' | 'secure'; overridden: boolean },
): AuditSummary {
  return {
    outcome: verdict.isBlocked
      ? 'blocked'
      : options.overridden && verdict.shown.length > 0
        ? 'sent_after_override'
        : 'sent',
    channel: options.channel,
    highestAction: verdict.highestAction,
    rules: verdict.items.map((i) => ({
      rule: i.rule,
      action: i.action,
      count: i.findings.length > 0 ? i.findings.length : i.addresses.length,
    })),
    recipientDomains: [...new Set(recipients.map((r) => domainOf(r.address)).filter((d) => d !== ''))].sort(),
  };
}
