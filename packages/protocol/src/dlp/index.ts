/**
 * Leak prevention: detectors for Dutch sensitive data, recipient checks and the organisation's
 * policy, all pure functions so the browser (composer, worker) and the mail gateway run the same
 * engine. Imported as `@zegel/protocol/dlp`; attachments go through `./extract/index.ts`.
 */
export { hasValidIbanChecksum, isValidBsn, isValidIban } from './checksums.ts';
export {
  AttachmentFormat,
  detectFormat,
  type ExtractResult,
  extractAttachmentText,
  MAX_ATTACHMENT_BYTES,
  UnreadableReason,
} from './extract/index.ts';
export { ibanLengths } from './iban-countries.ts';
export { editDistance, findLookalikeDomain, type LookalikeMatch, skeletonOf } from './lookalike.ts';
export {
  type AuditSummary,
  type DlpPolicy,
  defaultPolicy,
  type EvaluateInput,
  evaluatePolicy,
  PolicyAction,
  type PolicyRuleName,
  ruleMessages,
  summarizeForAudit,
  type Verdict,
  type VerdictItem,
} from './policy.ts';
export {
  checkRecipients,
  domainOf,
  freeMailDomains,
  type Recipient,
  type RecipientContext,
  type RecipientIssue,
  RecipientRule,
} from './recipients.ts';
export { resolveOverlaps, scanText } from './scan-text.ts';
export { type Finding, FindingType, findingTypes, type ScanOptions } from './types.ts';
