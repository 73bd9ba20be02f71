import type { Deps } from '../../deps.ts';
import { defineJob, enqueueJob } from '../../platform/jobs/index.ts';
import { loadConversation } from './conversation-view.ts';
import { purgeExpiredConversations } from './expiry.ts';
import { maintenanceJob, notifyRecipientJob, notifySenderJob } from './job-types.ts';
import { type ConversationHooks, markBounced, notifyRecipient, notifySender } from './notify.ts';
import { selectParticipantRow } from './store.ts';

const MAINTENANCE_INTERVAL_MS = 15 * 60_000;

/** Registers the conversation core's jobs with the queue (called once by createDeps). */
export function defineConversationJobs(deps: Deps, hooks: ConversationHooks): void {
  defineJob(deps.jobs, notifyRecipientJob, {
    handler: (payload, job) => notifyRecipient(deps, hooks, payload, job),
    // Given up after every retry: the recipient counts as bounced and the sender hears of it.
    async onFailure(payload) {
      const loaded = await loadConversationOf(deps, payload.participantId);
      if (!loaded || loaded.participant.bounced_at) return;
      await markBounced(deps, loaded.participant, loaded.conversation, 'not delivered after retries');
    },
  });
  defineJob(deps.jobs, notifySenderJob, {
    handler: (payload) =>
      notifySender(deps, payload, (participantId) =>
        enqueueJob(deps.jobs, notifyRecipientJob, { participantId }),
      ),
  });
  defineJob(deps.jobs, maintenanceJob, {
    async handler() {
      await purgeExpiredConversations(deps);
      await enqueueJob(
        deps.jobs,
        maintenanceJob,
        {},
        { runAt: new Date(deps.clock.now().getTime() + MAINTENANCE_INTERVAL_MS) },
      );
    },
  });
}

async function loadConversationOf(deps: Deps, participantId: string) {
  const row = await selectParticipantRow(deps.db, participantId);
  const loaded = row ? await loadConversation(deps, row.conversation_id) : undefined;
  const participant = loaded?.participants.find((p) => p.id === participantId);
  return loaded && participant ? { conversation: loaded.conversation, participant } : undefined;
}

/** Makes sure one maintenance job is scheduled (each server start; duplicates are harmless). */
export async function scheduleConversationMaintenance(deps: Deps): Promise<void> {
  await deps.jobs.ensureScheduled(maintenanceJob.kind);
}
