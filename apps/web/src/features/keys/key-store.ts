import { useSyncExternalStore } from 'react';

/**
 * The account's key material for this tab, in memory only (never localStorage or
 * sessionStorage): the key-wrapping key derived at sign-in, and once unlocked the account's
 * private key and the team private keys. A reload forgets all of it; the unlock prompt derives
 * the key-wrapping key again from the password.
 */
export interface UnlockedKeys {
  userId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
  /** Team id → the team's current key pair. */
  teams: Map<string, { publicKey: Uint8Array; privateKey: Uint8Array }>;
}

interface KeyState {
  /** The e-mail address the key-wrapping key was derived for (sign-in knows no user id yet). */
  pending: { email: string; keyWrappingKey: Uint8Array } | null;
  unlocked: UnlockedKeys | null;
}

let state: KeyState = { pending: null, unlocked: null };
const listeners = new Set<() => void>();

function setState(next: KeyState) {
  state = next;
  for (const listener of listeners) listener();
}

/** Called by sign-in (and the unlock prompt) with the freshly derived key-wrapping key. */
export function holdKeyWrappingKey(email: string, keyWrappingKey: Uint8Array): void {
  forgetKeys();
  setState({ pending: { email: email.toLowerCase(), keyWrappingKey }, unlocked: null });
}

/** Takes the held key-wrapping key for this address (once), or null. */
export function takeKeyWrappingKey(email: string): Uint8Array | null {
  const pending = state.pending;
  if (!pending || pending.email !== email.toLowerCase()) return null;
  return pending.keyWrappingKey;
}

export function setUnlockedKeys(keys: UnlockedKeys): void {
  state.pending?.keyWrappingKey.fill(0);
  setState({ pending: null, unlocked: keys });
}

/** Overwrites and drops every key (sign-out, another user, a failed unlock). */
export function forgetKeys(): void {
  state.pending?.keyWrappingKey.fill(0);
  state.unlocked?.privateKey.fill(0);
  for (const team of state.unlocked?.teams.values() ?? []) team.privateKey.fill(0);
  setState({ pending: null, unlocked: null });
}

export function getUnlockedKeys(): UnlockedKeys | null {
  return state.unlocked;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useKeyState(): KeyState {
  return useSyncExternalStore(subscribe, () => state);
}
