import { type Static, Type } from 'typebox';
import { PolicyAction, type PolicyRuleName } from '../dlp/policy.ts';
import { RecipientRule } from '../dlp/recipients.ts';
import { findingTypes } from '../dlp/types.ts';
import { strict, Uuid } from './common.ts';

/** Every rule an organisation's leak-prevention policy sets: finding types, then recipient rules. */
export const dlpRuleNames: readonly PolicyRuleName[] = [...findingTypes, ...Object.values(RecipientRule)];

const Action = Type.Unsafe<PolicyAction>(Type.Union(Object.values(PolicyAction).map((a) => Type.Literal(a))));
/** Actions the composer can report having applied (never `off`). */
const FiredAction = Type.Unsafe<Exclude<PolicyAction, 'off'>>(
  Type.Union(
    Object.values(PolicyAction)
      .filter((a) => a !== 'off')
      .map((a) => Type.Literal(a)),
  ),
);
const RuleName = Type.Unsafe<PolicyRuleName>(Type.Union(dlpRuleNames.map((r) => Type.Literal(r))));

/**
 * A domain name in lower case (A-label form). No run of five digits anywhere, so a domain can
 * never carry a BSN, an account number or a phone number into the audit trail.
 */
export const DlpDomain = Type.String({
  minLength: 3,
  maxLength: 253,
  pattern: '^(?!.*[0-9]{5})(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}$',
});

const ruleProperties = Object.fromEntries(dlpRuleNames.map((r) => [r, Action])) as Record<
  PolicyRuleName,
  typeof Action
>;
export const DlpRules = Type.Object(ruleProperties, strict);
export type DlpRules = Static<typeof DlpRules>;

/** The organisation's policy as the composer and the admin page read it. */
export const DlpPolicyResponse = Type.Object({
  rules: DlpRules,
  exemptDomains: Type.Array(Type.String()),
  /** The organisation's own mail domains: recipients there are internal. */
  internalDomains: Type.Array(Type.String()),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type DlpPolicyResponse = Static<typeof DlpPolicyResponse>;

export const UpdateDlpPolicyRequest = Type.Object(
  {
    rules: Type.Optional(Type.Partial(DlpRules, { ...strict, minProperties: 1 })),
    exemptDomains: Type.Optional(Type.Array(DlpDomain, { maxItems: 100, uniqueItems: true })),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateDlpPolicyRequest = Static<typeof UpdateDlpPolicyRequest>;

/**
 * What the composer reports after the policy fired: that the sender sent anyway after a
 * warning (`overridden`), was stopped (`blocked`), or sent with audit-only findings
 * (`audited`). Only rule names, actions, counts and recipient domains: every field is an
 * enumeration, a small number or a constrained domain, so no free text (and no BSN) fits.
 */
export const DlpEventRequest = Type.Object(
  {
    outcome: Type.Union([Type.Literal('overridden'), Type.Literal('blocked'), Type.Literal('audited')]),
    conversationId: Type.Optional(Uuid),
    rules: Type.Array(
      Type.Object(
        {
          rule: RuleName,
          action: FiredAction,
          count: Type.Integer({ minimum: 1, maximum: 10_000 }),
        },
        strict,
      ),
      { minItems: 1, maxItems: dlpRuleNames.length },
    ),
    recipientDomains: Type.Array(DlpDomain, { maxItems: 200, uniqueItems: true }),
    /** Attachments that could not be scanned (a count, never names). */
    unscannedAttachments: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  strict,
);
export type DlpEventRequest = Static<typeof DlpEventRequest>;
