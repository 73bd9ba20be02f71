import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { appendItem } from '../conversations/index.ts';
import { selectKeys } from './key-store.ts';
import { lockNetwork } from './store.ts';

export interface NetworkItemInput {
  itemId: string;
  item: string;
  wrappedKeys: { holderId: string; wrappedKey: string }[];
}

/**
 * Appends a staff member's item to one of the network's conversations (the network's own, or a
 * folder's) through the core's `appendItem`: its content key wrapped to the network's current
 * key and nothing else. The network row is locked first, so a removal (which retires the key)
 * and an append never interleave; after a removal nothing is accepted until the next key exists.
 */
export function appendToNetwork(
  deps: Deps,
  actor: Actor,
  target: { networkId: string; conversationId: string },
  input: NetworkItemInput,
  fileIds: string[],
) {
  return appendItem(deps, {
    conversationId: target.conversationId,
    itemId: input.itemId,
    author: {
      kind: 'user',
      organisationId: actor.organisationId,
      userId: actor.userId,
      onBehalfOfTeamId: null,
    },
    createdAt: deps.clock.now(),
    item: input.item,
    wrappedKeys: input.wrappedKeys,
    attachmentIds: [],
    fileIds,
    before: (tx) => lockNetwork(tx.db, target.networkId).then(() => undefined),
    expectedHolders: async (tx) => {
      const current = (await selectKeys(tx.db, target.networkId)).find((k) => k.retired_at === null);
      if (!current)
        throw new AppError(
          ErrorCode.keysMissing,
          'The network key must be made, or renewed after a member left.',
        );
      return new Set([current.id]);
    },
    wrongWrapping: () =>
      new AppError(ErrorCode.recipientsIncomplete, 'Wrap the content key to the network’s current key only.'),
    notify: [],
    events: [],
  });
}
