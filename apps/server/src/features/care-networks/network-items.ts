import type { Item } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { loadItems } from '../conversations/index.ts';
import { recordCareEvent, requireMember } from './access.ts';
import { selectKeys, selectWraps } from './key-store.ts';
import { appendToNetwork } from './network-append.ts';
import type { CareActor } from './policy.ts';
import { selectNetwork } from './store.ts';

/** The network conversation, once its first key exists. */
async function conversationOf(deps: Pick<Deps, 'db'>, networkId: string): Promise<string> {
  const network = await selectNetwork(deps.db, networkId);
  if (!network?.conversation_id)
    throw new AppError(ErrorCode.keysMissing, 'The network has no key yet; a member must make it first.');
  return network.conversation_id;
}

/** A staff member adds an item to the network conversation (personal accounts cannot write yet). */
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
  if (who.kind !== 'staff')
    throw new AppError(ErrorCode.forbidden, 'Writing with a personal account is not built yet.');
  if (input.attachments.length || input.files?.length)
    throw new AppError(
      ErrorCode.validationFailed,
      'Attachments in a network conversation are not built yet.',
    );
  const conversationId = await conversationOf(deps, networkId);
  const stored = await appendToNetwork(deps, who.actor, { networkId, conversationId }, input, []);
  await recordCareEvent(deps, access, who, {
    action: AuditAction.careItemAdded,
    object: { type: 'care_item', id: stored.itemId },
    origin,
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
  await recordCareEvent(deps, { network, me, client }, who, {
    action: AuditAction.careConversationRead,
    object: { type: 'care_network', id: networkId },
    origin,
  });
  return { items: items.map(({ conversationId: _, ...item }) => item) };
}
