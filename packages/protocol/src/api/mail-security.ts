import { type Static, Type } from 'typebox';
import { BoundedInteger, Cursor, MultilineText, strict, Text, Timestamp, Uuid } from './common.ts';

/** Limits of the mail-security API, shared so the web app can say them before sending. */
export const MailSecurityLimits = {
  /** Most distinct domains in one bulk check. */
  bulkMaxDomains: 500,
  /** Most characters of CSV text in one bulk check. */
  bulkMaxCsvChars: 200_000,
  /** Most DKIM selectors given with one check. */
  maxSelectors: 10,
  /** Most history entries in one page. */
  historyMaxLimit: 100,
} as const;

export const MailCheckStatus = Type.Union([
  Type.Literal('pass'),
  Type.Literal('fail'),
  Type.Literal('warning'),
  Type.Literal('info'),
  Type.Literal('not_tested'),
  Type.Literal('error'),
]);
export type MailCheckStatus = Static<typeof MailCheckStatus>;

/** How content may reach a domain as ordinary e-mail: only over DANE or MTA-STS verified TLS. */
export const MailDeliveryDecision = Type.Union([
  Type.Literal('dane'),
  Type.Literal('mta-sts'),
  Type.Literal('none'),
]);
export type MailDeliveryDecision = Static<typeof MailDeliveryDecision>;

export const MailCheckResult = Type.Object({
  id: Type.String(),
  status: MailCheckStatus,
  detail: Type.String(),
});
export type MailCheckResult = Static<typeof MailCheckResult>;

export const MailCheckAdvice = Type.Object({ id: Type.String(), nl: Type.String(), en: Type.String() });
export type MailCheckAdvice = Static<typeof MailCheckAdvice>;

export const MailServerResult = Type.Object({
  host: Type.String(),
  preference: Type.Integer(),
  address: Type.Union([Type.String(), Type.Null()]),
  checks: Type.Array(MailCheckResult),
});

/** One stored check of one domain, as admins see it. */
export const MailDomainCheck = Type.Object({
  id: Uuid,
  /** A-label form (an IDN is checked as xn--…). */
  domain: Type.String(),
  /** What was typed, when it differs from `domain`. */
  input: Type.String(),
  checkedAt: Timestamp,
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  delivery: MailDeliveryDecision,
  deliveryReason: Type.String(),
  /** False when a time limit cut checks short (those show `error`). */
  complete: Type.Boolean(),
  /** Ready for content by ordinary e-mail: DANE or MTA-STS verified delivery is possible. */
  isReady: Type.Boolean(),
  checks: Type.Array(MailCheckResult),
  mx: Type.Array(MailServerResult),
  advice: Type.Array(MailCheckAdvice),
  requestedBy: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  bulkId: Type.Union([Uuid, Type.Null()]),
});
export type MailDomainCheck = Static<typeof MailDomainCheck>;

/** A DKIM selector: one or more DNS labels. */
export const DkimSelector = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$',
});

export const CheckMailDomainRequest = Type.Object(
  {
    domain: Text({ minLength: 1, maxLength: 300 }),
    selectors: Type.Optional(Type.Array(DkimSelector, { maxItems: MailSecurityLimits.maxSelectors })),
  },
  strict,
);
export type CheckMailDomainRequest = Static<typeof CheckMailDomainRequest>;

export const MailCheckHistoryQuery = Type.Object(
  {
    domain: Type.Optional(Text({ minLength: 1, maxLength: 300 })),
    /** Cursor from `nextBefore` of the previous page. */
    before: Type.Optional(Cursor),
    limit: Type.Optional(BoundedInteger(1, MailSecurityLimits.historyMaxLimit)),
  },
  strict,
);
export type MailCheckHistoryQuery = Static<typeof MailCheckHistoryQuery>;

export const MailCheckHistoryPage = Type.Object({
  checks: Type.Array(MailDomainCheck),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type MailCheckHistoryPage = Static<typeof MailCheckHistoryPage>;

export const BulkCheckRequest = Type.Object(
  { csv: MultilineText({ maxLength: MailSecurityLimits.bulkMaxCsvChars }) },
  strict,
);
export type BulkCheckRequest = Static<typeof BulkCheckRequest>;

/**
 * One line of a bulk check: `ready` / `not_ready` from a finished check, `error` when the check
 * could not finish in time or failed, `invalid` when the line is not a domain name (see `error`).
 */
export const BulkRowStatus = Type.Union([
  Type.Literal('ready'),
  Type.Literal('not_ready'),
  Type.Literal('error'),
  Type.Literal('invalid'),
]);
export type BulkRowStatus = Static<typeof BulkRowStatus>;

export const BulkCheckRow = Type.Object({
  /** Line number in the CSV text (1-based). */
  line: Type.Integer(),
  input: Type.String(),
  domain: Type.Union([Type.String(), Type.Null()]),
  status: BulkRowStatus,
  score: Type.Union([Type.Integer(), Type.Null()]),
  delivery: Type.Union([MailDeliveryDecision, Type.Null()]),
  /** Ids of scored checks that failed or could not be completed. */
  failing: Type.Array(Type.String()),
  error: Type.Union([Type.String(), Type.Null()]),
  checkId: Type.Union([Uuid, Type.Null()]),
});
export type BulkCheckRow = Static<typeof BulkCheckRow>;

export const BulkCheck = Type.Object({
  id: Uuid,
  createdAt: Timestamp,
  /** False when the overall time limit stopped the run: unfinished rows show `error`. */
  complete: Type.Boolean(),
  counts: Type.Object({
    ready: Type.Integer(),
    notReady: Type.Integer(),
    error: Type.Integer(),
    invalid: Type.Integer(),
  }),
  rows: Type.Array(BulkCheckRow),
});
export type BulkCheck = Static<typeof BulkCheck>;

export const MailSecuritySettings = Type.Object({
  /** Content may go as ordinary e-mail to domains whose fresh check says DANE or MTA-STS. */
  allowDirectDelivery: Type.Boolean(),
});
export type MailSecuritySettings = Static<typeof MailSecuritySettings>;
export const UpdateMailSecuritySettingsRequest = Type.Object({ allowDirectDelivery: Type.Boolean() }, strict);
