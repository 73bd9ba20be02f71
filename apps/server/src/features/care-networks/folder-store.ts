import type { Kysely } from 'kysely';
import type { CareRole, DB } from '../../db/schema.ts';

/** The folder tables (owned by care networks). */
type FolderDb = Kysely<Pick<DB, 'care_folders' | 'care_folder_rights'>>;

export type FolderRow = Awaited<ReturnType<typeof selectFolders>>[number];
export type RightRow = Awaited<ReturnType<typeof selectRights>>[number];

/** Stores a folder with its rights; false when the network has a folder of this name. */
export async function insertFolder(
  db: FolderDb,
  folder: {
    id: string;
    network_id: string;
    name: string;
    conversation_id: string;
    created_at: Date;
    created_by: string;
  },
  rights: { role: CareRole | null; member_id: string | null; access: 'reader' | 'uploader' }[],
): Promise<boolean> {
  const stored = await db
    .insertInto('care_folders')
    .values(folder)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!stored) return false;
  if (rights.length)
    await db
      .insertInto('care_folder_rights')
      .values(rights.map((r) => ({ ...r, folder_id: folder.id })))
      .execute();
  return true;
}

export function selectFolders(db: FolderDb, networkId: string) {
  return db
    .selectFrom('care_folders')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('name')
    .execute();
}

export function selectRights(db: FolderDb, folderIds: readonly string[]) {
  if (folderIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('care_folder_rights').selectAll().where('folder_id', 'in', folderIds).execute();
}
