import type { AdminTeamKeysResponse } from '@zegel/protocol/api';
import { createTeamKeys, fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import { api } from '../../api/index.ts';

type TeamKeyStatus = AdminTeamKeysResponse['teams'][number];

/**
 * Makes a team's key pair in this browser and wraps it to every member who has an account key,
 * so the team can receive from the moment it has a member (an admin adding the first member, or
 * creating a team with members). The private key is only kept wrapped; this browser forgets it.
 * Returns false when no member has a key yet (nothing to wrap to).
 */
export async function makeTeamKey(team: TeamKeyStatus): Promise<boolean> {
  const members = team.members.flatMap((m) =>
    m.publicKey ? [{ userId: m.userId, publicKey: fromBase64Url(m.publicKey) }] : [],
  );
  if (team.hasKey || members.length === 0) return false;
  const created = await createTeamKeys(team.teamId, members);
  created.keyPair.privateKey.fill(0);
  await api.put(`/api/teams/${team.teamId}/keys`, {
    publicKey: toBase64Url(created.keyPair.publicKey),
    wraps: created.wrappedKeys.map((wrap) => ({
      userId: wrap.userId,
      wrappedPrivateKey: toBase64Url(wrap.wrappedPrivateKey),
    })),
  });
  return true;
}
