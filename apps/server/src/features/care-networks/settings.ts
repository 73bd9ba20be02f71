import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { selectSettings, upsertSettings } from './store.ts';

/** The open week and the consent request's lifetime when an organisation has set nothing. */
export const defaultCareSettings = { openDays: 7, requestDays: 14 } as const;

export interface CareSettings {
  openDays: number;
  requestDays: number;
}

/** An organisation's care-network settings (the host's apply to its networks). */
export async function careSettings(deps: Pick<Deps, 'db'>, organisationId: string): Promise<CareSettings> {
  const row = await selectSettings(deps.db, organisationId);
  return row ? { openDays: row.open_days, requestDays: row.request_days } : { ...defaultCareSettings };
}

/** An administrator changes their organisation's settings; new networks and requests use them. */
export async function changeCareSettings(
  deps: Pick<Deps, 'db' | 'audit'>,
  actor: Actor,
  settings: CareSettings,
  origin: RequestOrigin,
): Promise<CareSettings> {
  await upsertSettings(deps.db, actor.organisationId, settings.openDays, settings.requestDays);
  await deps.audit.record({
    action: AuditAction.careSettingsUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    details: { ...settings },
  });
  return settings;
}
