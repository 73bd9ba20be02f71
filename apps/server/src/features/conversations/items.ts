import type { Item } from '@zegel/protocol/api';
import { toBase64Url } from '@zegel/protocol/crypto';
import type { Deps } from '../../deps.ts';
import { findPeople, findTeams } from '../accounts/index.ts';
import { listAttachmentsOfItems, listFilesOfItems } from '../files/index.ts';
import type { ParticipantView } from './participants.ts';
import { selectItemKeys, selectItemRows } from './store.ts';

/**
 * Items with the wrapped keys of the given holders, their attachments and their large files;
 * author names come from the people, teams and guest participants behind them.
 */
export async function loadItems(
  deps: Deps,
  conversationIds: string[],
  holderIds: string[],
  participants: ParticipantView[],
  onlyFirst = false,
): Promise<(Item & { conversationId: string })[]> {
  const items = await selectItemRows(deps.db, conversationIds, onlyFirst);
  const ids = items.map((i) => i.id);
  const [keys, attachments, files, authors, teams] = await Promise.all([
    selectItemKeys(deps.db, ids, holderIds),
    listAttachmentsOfItems(deps, ids),
    listFilesOfItems(deps, ids),
    findPeople(
      deps,
      items.flatMap((i) => (i.author_user_id ? [i.author_user_id] : [])),
    ),
    findTeams(
      deps,
      items.flatMap((i) => (i.on_behalf_of_team_id ? [i.on_behalf_of_team_id] : [])),
    ),
  ]);
  return items.map((i) => {
    const name =
      i.author_kind === 'user'
        ? (authors.find((a) => a.id === i.author_user_id)?.name ?? '')
        : (participants.find((p) => p.id === i.author_participant_id)?.address ?? '');
    const team = i.on_behalf_of_team_id ? teams.find((t) => t.id === i.on_behalf_of_team_id) : undefined;
    return {
      conversationId: i.conversation_id,
      id: i.id,
      author: {
        kind: i.author_kind,
        id: (i.author_user_id ?? i.author_participant_id) as string,
        name,
        ...(i.on_behalf_of_team_id ? { team: { id: i.on_behalf_of_team_id, name: team?.name ?? '' } } : {}),
      },
      createdAt: i.created_at.toISOString(),
      ciphertext: toBase64Url(i.ciphertext),
      wrappedKeys: keys
        .filter((k) => k.item_id === i.id)
        .map((k) => ({ holderId: k.holder_id, wrappedKey: toBase64Url(k.wrapped_key) })),
      attachments: attachments.filter((a) => a.itemId === i.id).map((a) => ({ id: a.id, size: a.size })),
      files: files.filter((f) => f.itemId === i.id).map((f) => ({ id: f.id, size: f.size })),
    };
  });
}
