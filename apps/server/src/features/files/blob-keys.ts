import type { Deps } from '../../deps.ts';

/**
 * Every blob key this feature's rows point at (small attachments and the segments of large
 * files), for `zegel backup`: the blob store is copied by these keys, so it needs no listing.
 */
export async function listFileBlobKeys(deps: Pick<Deps, 'db'>): Promise<string[]> {
  const attachments = await deps.db.selectFrom('attachments').select('blob_key').execute();
  const segments = await deps.db.selectFrom('file_segments').select('blob_key').execute();
  return [...attachments, ...segments].map((row) => row.blob_key);
}
