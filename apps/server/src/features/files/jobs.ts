import type { Deps } from '../../deps.ts';
import { purgeStaleAttachments } from './attachments.ts';
import { selectAbandonedUploads } from './store.ts';
import { deleteFile } from './uploads.ts';

const MAINTENANCE_JOB = 'files-maintenance';
const MAINTENANCE_INTERVAL_MS = 15 * 60_000;

/**
 * Deletes unfinished uploads untouched for `uploadAbandonHours` (and not being written now), and
 * complete files not sent with a message within that time after completion: their segment blobs,
 * any half-written blob, the row, and their quota reservation. Files of messages are deleted by
 * the conversation core (revoke, expiry).
 */
export async function purgeAbandonedUploads(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - deps.config.uploadAbandonHours * 3600_000);
  let purged = 0;
  for (const file of await selectAbandonedUploads(deps.db, before, now)) {
    if (await deleteFile(deps, file)) purged++;
  }
  return purged;
}

/** The sweep as a recurring job on the shared queue: one run at a time across all processes. */
export function defineFileJobs(deps: Deps): void {
  deps.jobs.define(MAINTENANCE_JOB, {
    async handler() {
      await purgeAbandonedUploads(deps);
      await purgeStaleAttachments(deps);
      await deps.jobs.enqueue(
        MAINTENANCE_JOB,
        {},
        { runAt: new Date(deps.clock.now().getTime() + MAINTENANCE_INTERVAL_MS) },
      );
    },
  });
}

/** Makes sure the sweep is scheduled (each server start; duplicates are harmless). */
export async function scheduleFileMaintenance(deps: Deps): Promise<void> {
  await deps.jobs.ensureScheduled(MAINTENANCE_JOB);
}
