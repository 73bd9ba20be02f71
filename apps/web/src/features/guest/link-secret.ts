import { parseLinkSecret } from '@zegel/protocol/crypto';

const secrets = new Map<string, Uint8Array | null>();

/**
 * Reads the link secret from the address bar's `#fragment` once per recipient, keeps it in
 * memory only, and removes it from the address bar (and so from history) at once. The fragment
 * never reaches the server: browsers do not send it, and nothing here does either.
 * Returns null when the link has no fragment or a damaged one.
 */
export function takeLinkSecret(recipientId: string): Uint8Array | null {
  const known = secrets.get(recipientId);
  if (known !== undefined) return known;
  const hash = window.location.hash;
  let secret: Uint8Array | null = null;
  if (hash.length > 1) {
    try {
      secret = parseLinkSecret(hash);
    } catch {
      secret = null;
    }
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  secrets.set(recipientId, secret);
  return secret;
}
