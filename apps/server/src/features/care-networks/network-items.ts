import type { Item } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { appendItem, loadItems } from '../conversations/index.ts';
import { auditMember, clientSubject, requireMember } from './access.ts';
import { selectKeys, selectWraps } from './key-store.ts';
import type { CareActor } from './policy.ts';
import { lockNetwork, selectNetwork } from './store.ts';

/** The network conversation, once its first key exists. */
async function conversationOf(deps: Pick<Deps, 'db'>, networkId: string): Promise<string> {
  const network = await selectNetwork(deps.db, networkId);
  if (!network?.conversation_id)
    throw new AppError(ErrorCode.keysMissing, 'The network has no key yet; a member must make it first.');
  return network.conversation_id;
}

/**
 * A member adds an item to the network conversation through the core's `appendItem`: encrypted in
 * their browser, its content key wrapped to the network's current key and nothing else. With the
 * network row locked, so a removal (which retires the key) and an append never interleave; after
 * a removal nothing is accepted until the next key exists.
 */
export async function postNetworkItem(
  deps: Deps,
  who: CareActor,
  networkId: string,
  input: {
    itemId: string;
    item: string;
    wrappedKeys: { holderId: string; wrappedKey: string }[];
    attachments: unknown[];
    files?: unknown[] | undefined;
  },
  origin: RequestOrigin,
) {
  const access = await requireMember(deps, who, networkId);
  const { network } = access;
  if (who.kind !== 'staff')
    throw new AppError(ErrorCode.forbidden, 'Writing with a personal account is not built yet.');
  if (input.attachments.length || input.files?.length)
    throw new AppError(
      ErrorCode.validationFailed,
      'Attachments in a network conversation are not built yet.',
    );
  const conversationId = await conversationOf(deps, networkId);
  const stored = await appendItem(deps, {
    conversationId,
    itemId: input.itemId,
    author: {
      kind: 'user',
      organisationId: who.actor.organisationId,
      userId: who.actor.userId,
      onBehalfOfTeamId: null,
    },
    createdAt: deps.clock.now(),
    item: input.item,
    wrappedKeys: input.wrappedKeys,
    attachmentIds: [],
    fileIds: [],
    before: (tx) => lockNetwork(tx.db, network.id).then(() => undefined),
    expectedHolders: async (tx) => {
      const current = (await selectKeys(tx.db, networkId)).find((k) => k.retired_at === null);
      if (!current)
        throw new AppError(ErrorCode.keysMissing, 'A member left: the network key must be renewed first.');
      return new Set([current.id]);
    },
    wrongWrapping: () =>
      new AppError(ErrorCode.recipientsIncomplete, 'Wrap the content key to the network’s current key only.'),
    notify: [],
    events: [],
  });
  await deps.audit.record({
    action: AuditAction.careItemAdded,
    outcome: 'success',
    organisationId: network.organisation_id,
    actor: auditMember(access.me, who, access.client),
    accessPoint: origin,
    subjectPerson: clientSubject(access.client),
    object: { type: 'care_item', id: stored.itemId },
  });
  return stored;
}

/**
 * The network conversation for a member: every item, with the content keys wrapped to the network
 * keys this member holds. A key made after they left is not theirs, so its items stay closed.
 */
export async function readNetworkItems(
  deps: Deps,
  who: CareActor,
  networkId: string,
  origin: RequestOrigin,
): Promise<{ items: Item[] }> {
  const { me, client, network } = await requireMember(deps, who, networkId);
  if (!network.conversation_id) return { items: [] };
  const keys = await selectKeys(deps.db, networkId);
  const held = (
    await selectWraps(
      deps.db,
      keys.map((k) => k.id),
    )
  ).filter((w) => w.member_id === me.id);
  const items = await loadItems(
    deps,
    [network.conversation_id],
    held.map((w) => w.key_id),
    [],
  );
  await deps.audit.record({
    action: AuditAction.careConversationRead,
    outcome: 'success',
    organisationId: network.organisation_id,
    actor: auditMember(me, who, client),
    accessPoint: origin,
    subjectPerson: clientSubject(client),
    object: { type: 'care_network', id: networkId },
    details: { memberId: me.id },
  });
  return { items: items.map(({ conversationId: _, ...item }) => item) };
}
