import { fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findPeople } from '../accounts/index.ts';
import { openConversation } from '../conversations/index.ts';
import { requireMember } from './access.ts';
import { insertKey, insertWraps, selectKeys, selectWraps, setConversation } from './key-store.ts';
import { selectPublicKeysByEmail } from './personal-store.ts';
import { type CareActor, isActive } from './policy.ts';
import { lockNetwork, type MemberRow, selectMembers, selectNetwork } from './store.ts';

type KeyWrapInput = { memberId: string; wrappedPrivateKey: string };

/** Each active member's own public key (staff: their account key; people: their personal account's). */
export async function memberPublicKeys(deps: Deps, members: MemberRow[]): Promise<Map<string, string>> {
  const staffIds = members.flatMap((m) => (m.user_id ? [m.user_id] : []));
  const emails = members.flatMap((m) => (m.person_email ? [m.person_email] : []));
  const [people, accounts] = await Promise.all([
    findPeople(deps, staffIds),
    selectPublicKeysByEmail(deps.db, emails),
  ]);
  const keys = new Map<string, string>();
  for (const m of members) {
    const key = m.user_id
      ? people.find((p) => p.id === m.user_id)?.public_key
      : accounts.find((a) => a.email === m.person_email)?.public_key;
    if (key) keys.set(m.id, key);
  }
  return keys;
}

/** The network key as one member sees it: the current key, the wraps they hold, who still lacks one. */
export async function getNetworkKeys(deps: Deps, who: CareActor, networkId: string) {
  const { members, me } = await requireMember(deps, who, networkId);
  const now = deps.clock.now();
  const keys = await selectKeys(deps.db, networkId);
  const wraps = await selectWraps(
    deps.db,
    keys.map((k) => k.id),
  );
  const current = keys.find((k) => k.retired_at === null) ?? null;
  const active = members.filter((m) => isActive(m, now));
  const publicKeys = await memberPublicKeys(deps, active);
  return {
    current: current ? { id: current.id, epoch: current.epoch, publicKey: current.public_key } : null,
    mine: wraps
      .filter((w) => w.member_id === me.id)
      .map((w) => {
        const key = keys.find((k) => k.id === w.key_id);
        return {
          keyId: w.key_id,
          epoch: key?.epoch ?? 0,
          publicKey: key?.public_key ?? '',
          wrappedPrivateKey: toBase64Url(w.wrapped_private_key),
        };
      }),
    members: active.map((m) => ({
      memberId: m.id,
      publicKey: publicKeys.get(m.id) ?? null,
      hasCurrentKey: current ? wraps.some((w) => w.key_id === current.id && w.member_id === m.id) : false,
    })),
  };
}

/** Wraps must go to exactly the expected members, once each. */
function checkWraps(wraps: KeyWrapInput[], expected: ReadonlySet<string>) {
  const ids = wraps.map((w) => w.memberId);
  const exact =
    ids.length === expected.size && new Set(ids).size === ids.length && ids.every((id) => expected.has(id));
  if (!exact)
    throw new AppError(
      ErrorCode.recipientsIncomplete,
      'The network key must be wrapped to exactly the members who have a key and lack it.',
      { expected: [...expected] },
    );
  return wraps.map((w) => ({ memberId: w.memberId, wrappedPrivateKey: fromBase64Url(w.wrappedPrivateKey) }));
}

/**
 * A member's browser makes the network's next key: the first one, or the one after a member left
 * (the old key was retired then). It must be wrapped to every active member who has a key of
 * their own, and to nobody else. The network conversation is opened with the first key.
 */
export async function createNetworkKey(
  deps: Deps,
  who: CareActor,
  networkId: string,
  input: { keyId: string; publicKey: string; wraps: KeyWrapInput[] },
): Promise<{ keyId: string; epoch: number }> {
  const { me } = await requireMember(deps, who, networkId);
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    await lockNetwork(tx.db, networkId);
    const members = (await selectMembers(tx.db, networkId)).filter((m) => isActive(m, now));
    const expected = new Set((await memberPublicKeys(tx, members)).keys());
    if (!expected.has(me.id)) throw new AppError(ErrorCode.keysMissing, 'Make your own key pair first.');
    const wraps = checkWraps(input.wraps, expected);
    const keys = await selectKeys(tx.db, networkId);
    const epoch = (keys.at(-1)?.epoch ?? 0) + 1;
    const key = {
      id: input.keyId,
      network_id: networkId,
      epoch,
      public_key: input.publicKey,
      created_at: now,
      created_by: me.id,
    };
    if (!(await insertKey(tx.db, key, wraps)))
      throw new AppError(
        ErrorCode.conflict,
        'The network has a current key already, or this key id is used.',
      );
    if (keys.length === 0) await openNetworkConversation(tx, networkId, now);
    return { keyId: input.keyId, epoch };
  });
}

async function openNetworkConversation(tx: Deps, networkId: string, now: Date) {
  const network = await selectNetwork(tx.db, networkId);
  if (!network || network.conversation_id) return;
  const conversationId = crypto.randomUUID();
  await openConversation(tx, {
    id: conversationId,
    organisationId: network.organisation_id,
    kind: 'care_network',
    ownerId: networkId,
    senderUserId: network.created_by,
    createdAt: now,
    // A network has no expiry: closing and shredding it is the network's lifecycle (not built yet).
    expiresAt: new Date(now.getTime() + 100 * 365 * 86_400_000),
    participants: [],
  });
  await setConversation(tx.db, networkId, conversationId);
}

/**
 * A member who holds the current key wraps it to members who joined (or made their personal
 * account) since: only to active members with a key who lack this one.
 */
export async function addKeyWraps(
  deps: Deps,
  who: CareActor,
  networkId: string,
  input: { keyId: string; wraps: KeyWrapInput[] },
): Promise<{ ok: true }> {
  const { me } = await requireMember(deps, who, networkId);
  const now = deps.clock.now();
  await inTransaction(deps, async (tx) => {
    await lockNetwork(tx.db, networkId);
    const current = (await selectKeys(tx.db, networkId)).find((k) => k.retired_at === null);
    if (!current || current.id !== input.keyId)
      throw new AppError(ErrorCode.conflict, 'This is not the network’s current key.');
    const held = await selectWraps(tx.db, [current.id]);
    if (!held.some((w) => w.member_id === me.id))
      throw new AppError(ErrorCode.forbidden, 'Only a member who holds the key can pass it on.');
    const members = (await selectMembers(tx.db, networkId)).filter((m) => isActive(m, now));
    const withKeys = await memberPublicKeys(tx, members);
    const lacking = new Set([...withKeys.keys()].filter((id) => !held.some((w) => w.member_id === id)));
    await insertWraps(tx.db, current.id, checkWraps(input.wraps, lacking));
  });
  return { ok: true };
}
