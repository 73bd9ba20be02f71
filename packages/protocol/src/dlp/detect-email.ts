import type { TextIndex } from './text-index.ts';
import type { Finding } from './types.ts';

const LOCAL_CHAR = /[A-Za-z0-9._%+'-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/**
 * Reports e-mail addresses. Instead of one big regular expression (the classic source of
 * catastrophic backtracking) it finds each "@" and walks outwards at most 64 characters to the
 * left and 253 to the right, the RFC 5321 limits, so each "@" costs a bounded amount of work.
 */
export function detectEmail(index: TextIndex): Finding[] {
  const { text } = index;
  const findings: Finding[] = [];
  let lastEnd = 0;
  for (const at of index.atSigns) {
    index.counter.steps++;
    let start = at;
    while (start > lastEnd && at - start < MAX_LOCAL && LOCAL_CHAR.test(text[start - 1]!)) {
      index.counter.steps++;
      start--;
    }
    if (start > 0 && LOCAL_CHAR.test(text[start - 1]!) && start !== lastEnd) continue;
    while (text[start] === '.') start++;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && DOMAIN_CHAR.test(text[end]!)) {
      index.counter.steps++;
      end++;
    }
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end);
    if (local === '' || local.endsWith('.') || !isHostName(domain)) continue;
    findings.push({ type: 'email', start, end, confidence: 0.99, rule: 'email.address' });
    lastEnd = end;
  }
  return findings;
}

/** Labels of letters, digits and inner hyphens, at least two of them, the last (TLD) alphabetic. */
export function isHostName(domain: string): boolean {
  if (domain.length > MAX_DOMAIN) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
  }
  return /^[A-Za-z]{2,24}$/.test(labels[labels.length - 1]!) || /^xn--[a-z0-9-]{1,59}$/i.test(labels.at(-1)!);
}
