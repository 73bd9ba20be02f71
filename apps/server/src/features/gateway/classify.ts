import { type DlpPolicy, scanText } from '@zegel/protocol/dlp';

/** What the organisation set for its gateway (defaults when it set nothing). */
export interface GatewaySettings {
  alwaysSecure: boolean;
  subjectTags: readonly string[];
}

export const defaultGatewaySettings: GatewaySettings = {
  alwaysSecure: false,
  subjectTags: ['[vertrouwelijk]', '[secure]'],
};

/** `Sensitivity` header values (RFC 2156; Outlook) that ask for protection. */
const protectingSensitivity = new Set(['private', 'company-confidential', 'personal', 'confidential']);

export interface Classification {
  protect: boolean;
  /** Why, as rule names and counts, never the values that fired a rule. */
  reasons: Record<string, number>;
  /** The subject with the tag removed, for delivery. */
  subject: string;
}

/** Removes every configured tag from the subject (case-insensitively), counting how many it found. */
export function stripSubjectTags(subject: string, tags: readonly string[]) {
  let cleaned = subject;
  let found = 0;
  for (const tag of tags) {
    if (!tag) continue;
    const pattern = new RegExp(tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    cleaned = cleaned.replace(pattern, () => {
      found += 1;
      return '';
    });
  }
  return { subject: cleaned.replace(/\s{2,}/g, ' ').trim(), found };
}

/**
 * Decides whether a submitted mail needs protection: a subject tag, a `Sensitivity` header,
 * the organisation's "always secure", or a content rule of its leak-prevention policy that does
 * more than audit (the same detectors the composer runs, over the body and attachment texts).
 */
export function classifyMail(input: {
  subject: string;
  sensitivity: string | undefined;
  texts: readonly string[];
  policy: DlpPolicy;
  settings: GatewaySettings;
}): Classification {
  const reasons: Record<string, number> = {};
  const tagged = stripSubjectTags(input.subject, input.settings.subjectTags);
  if (tagged.found > 0) reasons.subject_tag = tagged.found;
  if (input.sensitivity && protectingSensitivity.has(input.sensitivity.trim().toLowerCase()))
    reasons.sensitivity_header = 1;
  if (input.settings.alwaysSecure) reasons.always_secure = 1;
  for (const text of [tagged.subject, ...input.texts]) {
    for (const finding of scanText(text)) {
      const action = input.policy.rules[finding.type] ?? 'off';
      if (action === 'off' || action === 'audit') continue;
      reasons[finding.type] = (reasons[finding.type] ?? 0) + 1;
    }
  }
  return { protect: Object.keys(reasons).length > 0, reasons, subject: tagged.subject };
}
