import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { type FileContent, openFileContent, parseRange } from '../files/download.ts';
import { deleteFilesOfItems, findLinkedFile } from '../files/message-files.ts';
import {
  selectItemConversationId,
  selectItemIds,
  selectItemKeys,
  selectPurgedItemsWithFiles,
} from './store.ts';

/**
 * Large files (the `files` feature's tus uploads) as part of messages: the reader is authorised
 * here exactly as for an attachment (the file's item is in this conversation and the reader
 * holds a wrapped key to it), then the files feature streams the ciphertext.
 */

/**
 * Opens a large file of a conversation for a reader holding one of `holderIds`. A file that is
 * not in this conversation, not linked to an item, or whose item the reader cannot open is
 * "not found" (never "exists but not yours").
 */
export async function openConversationFile(
  deps: Deps,
  conversationId: string,
  fileId: string,
  holderIds: string[],
  rangeHeader: string | undefined,
): Promise<FileContent> {
  const file = await findLinkedFile(deps, fileId);
  const itemId = file?.item_id ?? undefined;
  if (!file || !itemId || (await selectItemConversationId(deps.db, itemId)) !== conversationId)
    throw new AppError(ErrorCode.notFound, 'No such file.');
  const keys = await selectItemKeys(deps.db, [itemId], holderIds);
  if (keys.length === 0) throw new AppError(ErrorCode.notFound, 'No such file.');
  return openFileContent(deps, file, parseRange(rangeHeader, Number(file.length)));
}

/** Deletes the large files of a conversation (after its key material is gone). */
export async function deleteConversationFiles(deps: Deps, conversationId: string): Promise<number> {
  return deleteFilesOfItems(deps, await selectItemIds(deps.db, conversationId));
}

/** Deletes files an earlier expiry run left behind (keys shredded, then the deletion failed). */
export async function deleteLeftoverFilesOfPurgedConversations(deps: Deps): Promise<number> {
  return deleteFilesOfItems(deps, await selectPurgedItemsWithFiles(deps.db, 500));
}
