/** Reads the token from the link's #fragment: fragments never reach the server or its logs. */
export function readLinkToken(): string | null {
  const token = window.location.hash.replace(/^#/, '');
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

/** Removes the token from the address bar once read, so it is not left in history or shown over a shoulder. */
export function clearLinkToken(): void {
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
}
