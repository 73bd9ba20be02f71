import type { CareFolder, CreateCareFolderRequest, Item } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { loadItems, openConversation } from '../conversations/index.ts';
import { recordCareEvent, requireMember } from './access.ts';
import { canUpload, folderAccess } from './folder-policy.ts';
import { insertFolder, selectFolders, selectRights } from './folder-store.ts';
import { selectKeys, selectWraps } from './key-store.ts';
import { appendToNetwork } from './network-append.ts';
import { type CareActor, isActive, requireRole } from './policy.ts';

/** The coordinator creates a folder with its rights; a name used before in this network is 409. */
export async function createFolder(
  deps: Deps,
  who: CareActor,
  networkId: string,
  input: CreateCareFolderRequest,
): Promise<{ id: string }> {
  const { network, members, me } = await requireMember(deps, who, networkId);
  requireRole(me.role === 'coordinator', 'Only the coordinator makes folders.');
  const now = deps.clock.now();
  const rights = input.rights.map((r) => {
    if ((r.role === undefined) === (r.memberId === undefined))
      throw new AppError(ErrorCode.validationFailed, 'A right is for a role or for one member.');
    if (r.memberId && !members.some((m) => m.id === r.memberId && isActive(m, now)))
      throw new AppError(ErrorCode.validationFailed, 'A right names someone who is not a member.');
    return { role: r.role ?? null, member_id: r.memberId ?? null, access: r.access };
  });
  const id = crypto.randomUUID();
  const conversationId = crypto.randomUUID();
  await inTransaction(deps, async (tx) => {
    const folder = {
      id,
      network_id: networkId,
      name: input.name.trim(),
      conversation_id: conversationId,
      created_at: now,
      created_by: me.id,
    };
    if (!(await insertFolder(tx.db, folder, rights)))
      throw new AppError(ErrorCode.conflict, 'This network has a folder of this name already.');
    await openConversation(tx, {
      id: conversationId,
      organisationId: network.organisation_id,
      kind: 'care_folder',
      ownerId: id,
      senderUserId: network.created_by,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 100 * 365 * 86_400_000),
      participants: [],
    });
  });
  return { id };
}

/** The folders a member may see, with what they may do in each. */
export async function listFolders(
  deps: Deps,
  who: CareActor,
  networkId: string,
): Promise<{ folders: CareFolder[] }> {
  const { me } = await requireMember(deps, who, networkId);
  const folders = await selectFolders(deps.db, networkId);
  const rights = await selectRights(
    deps.db,
    folders.map((f) => f.id),
  );
  return {
    folders: folders.flatMap((f) => {
      const mine = rights.filter((r) => r.folder_id === f.id);
      const access = folderAccess(me, mine);
      if (!access) return [];
      return [
        {
          id: f.id,
          name: f.name,
          myAccess: access,
          rights: mine.map((r) => ({ role: r.role, memberId: r.member_id, access: r.access })),
        },
      ];
    }),
  };
}

async function requireFolder(deps: Deps, who: CareActor, networkId: string, folderId: string) {
  const access = await requireMember(deps, who, networkId);
  const folder = (await selectFolders(deps.db, networkId)).find((f) => f.id === folderId);
  const rights = folder ? await selectRights(deps.db, [folder.id]) : [];
  const my = folder ? folderAccess(access.me, rights) : null;
  if (!folder || !my) throw new AppError(ErrorCode.notFound, 'No such folder.');
  return { ...access, folder, my };
}

/** An uploader adds a document (an item, with large files from the files feature) to a folder. */
export async function uploadToFolder(
  deps: Deps,
  who: CareActor,
  networkId: string,
  folderId: string,
  input: {
    itemId: string;
    item: string;
    wrappedKeys: { holderId: string; wrappedKey: string }[];
    files?: { id: string }[] | undefined;
  },
  origin: RequestOrigin,
) {
  const access = await requireFolder(deps, who, networkId, folderId);
  requireRole(canUpload(access.my), 'You may read this folder, not add to it.');
  if (who.kind !== 'staff')
    throw new AppError(ErrorCode.forbidden, 'Uploading with a personal account is not built yet.');
  const target = { networkId, conversationId: access.folder.conversation_id };
  const stored = await appendToNetwork(
    deps,
    who.actor,
    target,
    input,
    (input.files ?? []).map((f) => f.id),
  );
  await recordCareEvent(deps, access, who, {
    action: AuditAction.careDocumentAdded,
    object: { type: 'care_folder', id: folderId },
    origin,
  });
  return stored;
}

/** A reader opens a folder: its documents, with keys for the network keys they hold. Audited. */
export async function openFolder(
  deps: Deps,
  who: CareActor,
  networkId: string,
  folderId: string,
  origin: RequestOrigin,
): Promise<{ items: Item[] }> {
  const access = await requireFolder(deps, who, networkId, folderId);
  const keys = await selectKeys(deps.db, networkId);
  const held = (
    await selectWraps(
      deps.db,
      keys.map((k) => k.id),
    )
  ).filter((w) => w.member_id === access.me.id);
  const items = await loadItems(
    deps,
    [access.folder.conversation_id],
    held.map((w) => w.key_id),
    [],
  );
  await recordCareEvent(deps, access, who, {
    action: AuditAction.careFolderOpened,
    object: { type: 'care_folder', id: folderId },
    origin,
  });
  return { items: items.map(({ conversationId: _, ...item }) => item) };
}
