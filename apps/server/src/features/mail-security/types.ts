/** Statuses of one check, as the CLI's JSON and (later) the API show them. */
export const CheckStatus = {
  pass: 'pass',
  fail: 'fail',
  warning: 'warning',
  info: 'info',
  notTested: 'not_tested',
  error: 'error',
} as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** Every check id a report can contain; the first sixteen are promised by issue 7. */
export const checkIds = [
  'dnssec',
  'dnssec_mx',
  'spf',
  'spf_policy',
  'dkim',
  'dmarc',
  'dmarc_policy',
  'mx',
  'starttls',
  'tls_version',
  'tls_ciphers',
  'tls_key_exchange',
  'certificate',
  'cert_trust',
  'dane_exists',
  'dane_valid',
  'dane_rollover',
  'mta_sts',
  'tls_rpt',
] as const;
export type CheckId = (typeof checkIds)[number];

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  detail: string;
}

/** A check with the points it earns; scoring only, never shown as such. */
export interface ScoredCheck extends CheckResult {
  points: number;
  maxPoints: number;
}

/** Where a message with content may go as ordinary e-mail (issue 7, "the delivery decision"). */
export const DeliveryDecision = { dane: 'dane', mtaSts: 'mta-sts', none: 'none' } as const;
export type DeliveryDecision = (typeof DeliveryDecision)[keyof typeof DeliveryDecision];

export interface CheckAdvice {
  id: CheckId;
  nl: string;
  en: string;
}

/** The per-MX part of a report. */
export interface MailServerReport {
  host: string;
  preference: number;
  address: string | undefined;
  checks: CheckResult[];
}

/** What `checkMailDomain` returns; stable enough to store as history later. */
export interface MailDomainReport {
  domain: string;
  /** The name as the user typed it when it differs (an IDN in U-label form). */
  input: string;
  checkedAt: string;
  score: number;
  delivery: DeliveryDecision;
  deliveryReason: string;
  checks: CheckResult[];
  mx: MailServerReport[];
  advice: CheckAdvice[];
  /** False when a time limit cut a check short: some statuses are `error` for that reason. */
  complete: boolean;
}

/** DNSSEC state of one answer, with internet.nl's meaning (reference §1.2). */
export type DnssecState = 'secure' | 'insecure' | 'bogus' | 'error';
