import { equalBytes } from './bytes.ts';
import { KeyUnwrapError } from './errors.ts';
import {
  generateKeyPair,
  getPublicKey,
  type KeyPair,
  openWithPrivateKey,
  sealToPublicKey,
  WrapPurpose,
} from './hpke.ts';

/**
 * Teams and the organisation recovery key, built from HPKE wrapping (hpke.ts). A team has its own
 * X25519 key pair; content for the team is wrapped to the team public key, and the team private
 * key is wrapped to each member's public key. The recovery key pair belongs to the organisation;
 * its private key lives offline (see docs/security.md, "Organisation recovery").
 */

/** A member (or prospective member) of a team, by the public key the server holds for them. */
export interface MemberPublicKey {
  userId: string;
  publicKey: Uint8Array;
}

/** The team private key wrapped for one member; the server stores one per member. */
export interface WrappedTeamKey {
  userId: string;
  wrappedPrivateKey: Uint8Array<ArrayBuffer>;
}

async function checkPublicKey(privateKey: Uint8Array, expectedPublicKey: Uint8Array): Promise<void> {
  // A wrap that opens but holds another key pair (an old team key, a swapped record) must not be used.
  if (!equalBytes(await getPublicKey(privateKey), expectedPublicKey)) {
    throw new KeyUnwrapError('the unwrapped private key does not match the expected public key');
  }
}

export async function wrapTeamPrivateKey(
  teamPrivateKey: Uint8Array,
  memberPublicKey: Uint8Array,
  teamId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return sealToPublicKey(teamPrivateKey, memberPublicKey, {
    purpose: WrapPurpose.teamPrivateKey,
    id: teamId,
  });
}

/** Opens a member's copy of the team private key and checks it against the team's current public key. */
export async function unwrapTeamPrivateKey(
  wrapped: Uint8Array,
  memberPrivateKey: Uint8Array,
  teamId: string,
  teamPublicKey: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const privateKey = await openWithPrivateKey(wrapped, memberPrivateKey, {
    purpose: WrapPurpose.teamPrivateKey,
    id: teamId,
  });
  await checkPublicKey(privateKey, teamPublicKey);
  return privateKey;
}

/**
 * Makes a team key pair and wraps its private key to every member. Used when a team is created,
 * and again when a member leaves (rotation): content sent after that goes to the new public key,
 * which the departed member never saw.
 */
export async function createTeamKeys(
  teamId: string,
  members: readonly MemberPublicKey[],
): Promise<{ keyPair: KeyPair; wrappedKeys: WrappedTeamKey[] }> {
  if (members.length === 0) throw new RangeError('a team key needs at least one member');
  const keyPair = await generateKeyPair();
  const wrappedKeys = await wrapForMembers(keyPair.privateKey, teamId, members);
  return { keyPair, wrappedKeys };
}

/**
 * When members join, an existing member's browser unwraps the team private key with its own
 * private key and wraps it again to the newcomers' public keys. The server cannot do this: it
 * never holds the team private key.
 */
export async function rewrapTeamPrivateKey(options: {
  teamId: string;
  teamPublicKey: Uint8Array;
  wrappedForMe: Uint8Array;
  myPrivateKey: Uint8Array;
  newMembers: readonly MemberPublicKey[];
}): Promise<WrappedTeamKey[]> {
  const teamPrivateKey = await unwrapTeamPrivateKey(
    options.wrappedForMe,
    options.myPrivateKey,
    options.teamId,
    options.teamPublicKey,
  );
  return wrapForMembers(teamPrivateKey, options.teamId, options.newMembers);
}

async function wrapForMembers(
  teamPrivateKey: Uint8Array,
  teamId: string,
  members: readonly MemberPublicKey[],
): Promise<WrappedTeamKey[]> {
  return Promise.all(
    members.map(async (member) => ({
      userId: member.userId,
      wrappedPrivateKey: await wrapTeamPrivateKey(teamPrivateKey, member.publicKey, teamId),
    })),
  );
}

/**
 * Wraps a user's private key a second time, to the organisation recovery public key, when the
 * organisation has one. Done in the user's browser at key creation; the server stores the result.
 */
export async function wrapPrivateKeyForRecovery(
  userPrivateKey: Uint8Array,
  recoveryPublicKey: Uint8Array,
  userId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return sealToPublicKey(userPrivateKey, recoveryPublicKey, {
    purpose: WrapPurpose.recoveryPrivateKey,
    id: userId,
  });
}

/**
 * Recovers a user's private key with the organisation recovery private key (offline procedure,
 * docs/security.md) and checks it against the user's public key before it is re-wrapped.
 */
export async function recoverPrivateKey(
  wrapped: Uint8Array,
  recoveryPrivateKey: Uint8Array,
  userId: string,
  userPublicKey: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const privateKey = await openWithPrivateKey(wrapped, recoveryPrivateKey, {
    purpose: WrapPurpose.recoveryPrivateKey,
    id: userId,
  });
  await checkPublicKey(privateKey, userPublicKey);
  return privateKey;
}
