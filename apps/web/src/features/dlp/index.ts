/** Leak prevention: the composer's live check and findings, and the organisation's policy. */
export { DlpFindings, type DlpStop } from './dlp-findings.tsx';
export { DlpPolicySection } from './dlp-policy-section.tsx';
export type { DlpRecipient } from './dlp-recipient.ts';
export { type DlpCheck, toDlpEvent, useDlpCheck } from './use-dlp-check.ts';
