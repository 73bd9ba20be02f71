import type { UnlockedKeys } from './key-store.ts';

/** Holder id → private key: my own and those of my teams, as `openItem` wants them. */
export function toPrivateKeyMap(keys: UnlockedKeys): Map<string, Uint8Array> {
  const map = new Map<string, Uint8Array>([[keys.userId, keys.privateKey]]);
  for (const [teamId, team] of keys.teams) map.set(teamId, team.privateKey);
  return map;
}
