import { domainToASCII } from 'node:url';

export type DomainNameResult = { ok: true; domain: string } | { ok: false; reason: string };

/**
 * Turns what a user typed into the A-label form the checks use. IDNs are converted with the WHATWG
 * (UTS #46) mapping that browsers use; anything that is not a plausible mail domain is refused
 * with a reason, before any DNS query is made.
 */
export function normalizeDomainName(input: string): DomainNameResult {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '') return { ok: false, reason: 'empty domain name' };
  if (/[\s/@:]/.test(trimmed))
    return { ok: false, reason: `"${input}" is not a domain name (no spaces, @, / or :)` };
  const ascii = domainToASCII(trimmed);
  if (ascii === '') return { ok: false, reason: `"${input}" is not a valid domain name` };
  if (ascii.length > 253) return { ok: false, reason: 'domain name longer than 253 characters' };
  const labels = ascii.split('.');
  if (labels.length < 2)
    return { ok: false, reason: `"${input}" has no dot; give a full domain such as example.nl` };
  if (/^[0-9.]+$/.test(ascii)) return { ok: false, reason: `"${input}" is an IP address, not a domain name` };
  for (const label of labels) {
    if (label.length === 0 || label.length > 63)
      return { ok: false, reason: `label "${label}" must be 1 to 63 characters` };
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) {
      return { ok: false, reason: `label "${label}" may hold only letters, digits and inner hyphens` };
    }
  }
  return { ok: true, domain: ascii };
}
