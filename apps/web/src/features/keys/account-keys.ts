import type { AccountKeysResponse, Me, MyTeamKeysResponse } from '@zegel/protocol/api';
import {
  createTeamKeys,
  fromBase64Url,
  generateKeyPair,
  getPublicKey,
  rewrapTeamPrivateKey,
  toBase64Url,
  unwrapPrivateKey,
  unwrapTeamPrivateKey,
  wrapPrivateKey,
} from '@zegel/protocol/crypto';
import { api } from '../../api/index.ts';
import { setUnlockedKeys, type UnlockedKeys } from './key-store.ts';

/**
 * Opens the account's keys with the key-wrapping key: makes and uploads a key pair the first
 * time, otherwise unwraps the stored one (a wrong password fails here with `KeyUnwrapError`).
 * Then the teams: unwrap my copy of each team key, create a team's key pair if it has none,
 * and wrap the team key for members still waiting for one.
 */
export async function unlockAccountKeys(me: Me, keyWrappingKey: Uint8Array): Promise<UnlockedKeys> {
  const { keys } = await api.get<AccountKeysResponse>('/api/account/keys');
  let publicKey: Uint8Array;
  let privateKey: Uint8Array;
  if (keys) {
    privateKey = await unwrapPrivateKey(fromBase64Url(keys.wrappedPrivateKey), keyWrappingKey, me.id);
    publicKey = fromBase64Url(keys.publicKey);
    const derived = await getPublicKey(privateKey);
    if (toBase64Url(derived) !== keys.publicKey) throw new Error('the stored key pair does not match');
  } else {
    const pair = await generateKeyPair();
    const wrapped = await wrapPrivateKey(pair.privateKey, keyWrappingKey, me.id);
    await api.put('/api/account/keys', {
      publicKey: toBase64Url(pair.publicKey),
      wrappedPrivateKey: toBase64Url(wrapped),
    });
    publicKey = pair.publicKey;
    privateKey = pair.privateKey;
  }
  const unlocked: UnlockedKeys = { userId: me.id, publicKey, privateKey, teams: new Map() };
  await syncTeamKeys(unlocked);
  setUnlockedKeys(unlocked);
  return unlocked;
}

/** Team keys for the unlocked account; failures for one team do not keep the others closed. */
export async function syncTeamKeys(unlocked: UnlockedKeys): Promise<void> {
  const { teams } = await api.get<MyTeamKeysResponse>('/api/account/team-keys');
  await Promise.all(
    teams.map(async (team) => {
      try {
        if (team.publicKey === null) {
          const created = await createTeamKeys(team.teamId, [
            { userId: unlocked.userId, publicKey: unlocked.publicKey },
          ]);
          await api.put(`/api/teams/${team.teamId}/keys`, {
            publicKey: toBase64Url(created.keyPair.publicKey),
            wraps: created.wrappedKeys.map((wrap) => ({
              userId: wrap.userId,
              wrappedPrivateKey: toBase64Url(wrap.wrappedPrivateKey),
            })),
          });
          unlocked.teams.set(team.teamId, created.keyPair);
          return;
        }
        if (team.wrappedPrivateKey === null) return;
        const teamPublicKey = fromBase64Url(team.publicKey);
        const wrappedForMe = fromBase64Url(team.wrappedPrivateKey);
        const privateKey = await unwrapTeamPrivateKey(
          wrappedForMe,
          unlocked.privateKey,
          team.teamId,
          teamPublicKey,
        );
        unlocked.teams.set(team.teamId, { publicKey: teamPublicKey, privateKey });
        if (team.membersWithoutKey.length > 0) {
          const wraps = await rewrapTeamPrivateKey({
            teamId: team.teamId,
            teamPublicKey,
            wrappedForMe,
            myPrivateKey: unlocked.privateKey,
            newMembers: team.membersWithoutKey.map((member) => ({
              userId: member.userId,
              publicKey: fromBase64Url(member.publicKey),
            })),
          });
          await api.post(`/api/teams/${team.teamId}/keys/wraps`, {
            publicKey: team.publicKey,
            wraps: wraps.map((wrap) => ({
              userId: wrap.userId,
              wrappedPrivateKey: toBase64Url(wrap.wrappedPrivateKey),
            })),
          });
        }
      } catch {
        // Another member's browser may have created the key at the same moment (409); the next sync catches up.
      }
    }),
  );
}
