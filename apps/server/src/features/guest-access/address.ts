/**
 * An external e-mail address, trimmed and lower-cased, or undefined when it is not one we will
 * send to: one @, a dotted domain, no spaces, quotes, angle brackets or control characters
 * (which could smuggle a second recipient or header into a mail).
 */
export function normaliseAddress(input: string): string | undefined {
  const address = input.trim().toLowerCase();
  if (address.length < 3 || address.length > 254) return undefined;
  if (
    !/^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(
      address,
    )
  )
    return undefined;
  const [local] = address.split('@');
  if (!local || local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return undefined;
  return address;
}

/**
 * A hint as the guest page will show it: bidirectional-override and invisible formatting
 * characters removed (they can make text read differently from what it is), whitespace trimmed.
 */
export function cleanHint(input: string | undefined): string | null {
  const cleaned = (input ?? '').replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '').trim();
  return cleaned === '' ? null : cleaned;
}
