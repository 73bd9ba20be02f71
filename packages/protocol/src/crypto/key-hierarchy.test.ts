import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.ts';
import { KeyUnwrapError } from './errors.ts';
import { generateKeyPair, unwrapContentKey, wrapContentKey } from './hpke.ts';
import {
  createTeamKeys,
  recoverPrivateKey,
  rewrapTeamPrivateKey,
  unwrapTeamPrivateKey,
  wrapPrivateKeyForRecovery,
} from './key-hierarchy.ts';

describe('team keys', () => {
  it('lets every member open the team key, and a newcomer after an existing member re-wraps it', async () => {
    const alice = await generateKeyPair();
    const bob = await generateKeyPair();
    const carol = await generateKeyPair();
    const team = await createTeamKeys('team-1', [
      { userId: 'alice', publicKey: alice.publicKey },
      { userId: 'bob', publicKey: bob.publicKey },
    ]);
    const forBob = team.wrappedKeys.find((w) => w.userId === 'bob')!;
    const teamPrivate = await unwrapTeamPrivateKey(
      forBob.wrappedPrivateKey,
      bob.privateKey,
      'team-1',
      team.keyPair.publicKey,
    );
    expect(toHex(teamPrivate)).toBe(toHex(team.keyPair.privateKey));

    const forAlice = team.wrappedKeys.find((w) => w.userId === 'alice')!;
    const [forCarol] = await rewrapTeamPrivateKey({
      teamId: 'team-1',
      teamPublicKey: team.keyPair.publicKey,
      wrappedForMe: forAlice.wrappedPrivateKey,
      myPrivateKey: alice.privateKey,
      newMembers: [{ userId: 'carol', publicKey: carol.publicKey }],
    });
    expect(forCarol?.userId).toBe('carol');
    // Carol can now read content wrapped to the team before she joined.
    const contentKey = crypto.getRandomValues(new Uint8Array(32));
    const wrappedContent = await wrapContentKey(contentKey, team.keyPair.publicKey, 'msg-9');
    const carolsTeamKey = await unwrapTeamPrivateKey(
      forCarol!.wrappedPrivateKey,
      carol.privateKey,
      'team-1',
      team.keyPair.publicKey,
    );
    expect(toHex(await unwrapContentKey(wrappedContent, carolsTeamKey, 'msg-9'))).toBe(toHex(contentKey));
  });

  it('refuses a non-member, another team id, and a wrap of an older team key', async () => {
    const alice = await generateKeyPair();
    const mallory = await generateKeyPair();
    const members = [{ userId: 'alice', publicKey: alice.publicKey }];
    const old = await createTeamKeys('team-1', members);
    const rotated = await createTeamKeys('team-1', members);
    const wrapped = old.wrappedKeys[0]!.wrappedPrivateKey;
    await expect(
      unwrapTeamPrivateKey(wrapped, mallory.privateKey, 'team-1', old.keyPair.publicKey),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
    await expect(
      unwrapTeamPrivateKey(wrapped, alice.privateKey, 'team-2', old.keyPair.publicKey),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
    await expect(
      unwrapTeamPrivateKey(wrapped, alice.privateKey, 'team-1', rotated.keyPair.publicKey),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
  });
});

describe('organisation recovery', () => {
  it('recovers a user private key with the recovery private key, checked against the user public key', async () => {
    const recovery = await generateKeyPair();
    const user = await generateKeyPair();
    const wrapped = await wrapPrivateKeyForRecovery(user.privateKey, recovery.publicKey, 'user-7');
    expect(toHex(await recoverPrivateKey(wrapped, recovery.privateKey, 'user-7', user.publicKey))).toBe(
      toHex(user.privateKey),
    );
    await expect(
      recoverPrivateKey(wrapped, recovery.privateKey, 'user-8', user.publicKey),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
    await expect(
      recoverPrivateKey(wrapped, user.privateKey, 'user-7', user.publicKey),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
    const other = await generateKeyPair();
    await expect(
      recoverPrivateKey(wrapped, recovery.privateKey, 'user-7', other.publicKey),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
  });
});
