import type { Finding } from '@zegel/protocol/dlp';

/** Vocabulary findings name a term (a diagnosis, a religion), not a person: shown as written. */
const termTypes = new Set<Finding['type']>(['health', 'special_category']);

/**
 * What the composer shows of a finding: identifiers as their last three characters behind
 * dots (`••••••782`), so the sender recognises the place without the value being repeated on
 * screen (or in a screen share).
 */
export function maskFinding(text: string, finding: Finding): string {
  const value = text.slice(finding.start, finding.end);
  if (termTypes.has(finding.type)) return value.slice(0, 40);
  const compact = value.replace(/[^\p{L}\p{N}]/gu, '');
  const visible = compact.length > 6 ? 3 : compact.length > 3 ? 2 : 0;
  return `${'•'.repeat(Math.min(12, Math.max(3, compact.length - visible)))}${compact.slice(compact.length - visible)}`;
}

/** The text of the editor's HTML, with a line break per block so words do not run together. */
export function htmlToText(html: string): string {
  if (html === '') return '';
  const withBreaks = html.replace(/<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/blockquote)\b[^>]*>/gi, '$&\n');
  return new DOMParser().parseFromString(withBreaks, 'text/html').body.textContent ?? '';
}
