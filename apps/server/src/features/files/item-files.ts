import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { type FileContent, openFileContent, parseRange } from './download.ts';
import {
  type FileRow,
  linkFilesToItemRow,
  selectFilesByIds,
  selectFilesOfItems,
  selectLinkedFile,
} from './store.ts';
import { deleteFile } from './uploads.ts';

/**
 * Large files of conversation items. The conversation core authorises readers (conversation
 * access, a wrapped item key) and calls these to link complete uploads to an item when it is
 * stored, list an item's files, open a linked file for a download, and delete an item's files on
 * revoke and expiry. See docs/files.md, "Who may download".
 */

export type { FileRow };

/** Whose uploads may be linked: the author of the item (a staff user). */
export interface FileOwner {
  organisationId: string;
  userId: string;
}

function refuse(message: string, fileId: string): AppError {
  return new AppError(ErrorCode.validationFailed, message, { fileId });
}

/**
 * Checks that every id is a complete upload of this user, in this organisation, not linked to an
 * item yet. Anything else is `validation_failed` with `details.fileId` (a forged id and another
 * user's upload get the same answer: never "exists but not yours").
 */
export async function requireLinkableFiles(deps: Deps, owner: FileOwner, ids: string[]): Promise<FileRow[]> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw refuse('A file is listed twice.', id);
    seen.add(id);
  }
  const rows = await selectFilesByIds(deps.db, ids);
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row || row.user_id !== owner.userId || row.organisation_id !== owner.organisationId)
      throw refuse('A file is unknown.', id);
    if (!row.completed_at) throw refuse('A file has not been uploaded completely.', id);
    if (row.item_id !== null) throw refuse('A file is already part of a message.', id);
  }
  return ids.map((id) => rows.find((r) => r.id === id) as FileRow);
}

/**
 * Links the files to the item inside the caller's transaction. The update repeats every check as
 * its condition, so of two sends racing for one file only one links it; the other gets
 * `validation_failed` and its transaction (the whole send) rolls back.
 */
export async function linkFilesToItem(
  deps: Pick<Deps, 'db'>,
  owner: FileOwner,
  itemId: string,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  const linked = await linkFilesToItemRow(deps.db, owner, itemId, ids);
  const missing = ids.find((id) => !linked.includes(id));
  if (missing) throw refuse('A file is unknown, incomplete or already part of a message.', missing);
}

/** The files linked to these items: id, item and ciphertext size. */
export async function listFilesOfItems(
  deps: Deps,
  itemIds: string[],
): Promise<{ id: string; itemId: string; size: number }[]> {
  const rows = await selectFilesOfItems(deps.db, itemIds);
  return rows.map((r) => ({ id: r.id, itemId: r.item_id as string, size: Number(r.length) }));
}

/** The item a complete file belongs to (undefined for uploads, unknown ids and deleted files). */
export async function findItemOfFile(deps: Deps, fileId: string): Promise<string | undefined> {
  return (await selectLinkedFile(deps.db, fileId))?.item_id ?? undefined;
}

/** Opens a linked file's ciphertext (the caller has checked the reader may open its item). */
export async function openItemFile(
  deps: Deps,
  fileId: string,
  rangeHeader: string | undefined,
): Promise<FileContent> {
  const file = await selectLinkedFile(deps.db, fileId);
  if (!file) throw new AppError(ErrorCode.notFound, 'No such file.');
  return openFileContent(deps, file, parseRange(rangeHeader, Number(file.length)));
}

/**
 * Deletes the files of these items: segments' blobs, rows, and their quota. The caller has
 * already deleted the key material (crypto-shredding first, then the bytes). Returns how many.
 */
export async function deleteFilesOfItems(deps: Deps, itemIds: string[]): Promise<number> {
  let deleted = 0;
  for (const file of await selectFilesOfItems(deps.db, itemIds)) {
    if (await deleteFile(deps, file)) deleted++;
  }
  return deleted;
}
