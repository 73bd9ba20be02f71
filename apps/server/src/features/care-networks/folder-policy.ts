import type { RightRow } from './folder-store.ts';
import type { MemberRow } from './store.ts';

export type FolderAccess = 'reader' | 'uploader' | 'manager';

/**
 * What a member may do with a folder: the coordinator manages every folder; the client and a
 * representative read every folder (it is the client's data); anyone else has the right given to
 * them as a member, else the right given to their role, else none (the folder is not theirs).
 */
export function folderAccess(me: MemberRow, rights: RightRow[]): FolderAccess | null {
  if (me.role === 'coordinator') return 'manager';
  if (me.role === 'client' || me.role === 'representative') return 'reader';
  const own = rights.find((r) => r.member_id === me.id);
  if (own) return own.access;
  return rights.find((r) => r.role === me.role)?.access ?? null;
}

export function canUpload(access: FolderAccess | null): boolean {
  return access === 'uploader' || access === 'manager';
}
