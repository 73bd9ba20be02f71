import type { TeamContactSettings, UpdateTeamContactSettingsRequest } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { assertCanManageTeam, findTeams, updateTeam } from '../accounts/index.ts';
import {
  type SettingsValues,
  selectContactSettings,
  selectTeamNotifyAddress,
  upsertTeamContactSettings,
} from './store.ts';

type Settings = NonNullable<Awaited<ReturnType<typeof selectContactSettings>>>;
type Row = { id: string; name: string; description: string } & { [K in keyof Settings]: Settings[K] | null };

const NO_SETTINGS = {
  accepts_new: null,
  region: null,
  response_time: null,
  auto_reply: null,
  office_hours: null,
  guest_verification: null,
  notify: null,
  notify_address: null,
  updated_at: null,
} as const;

/** One team of an organisation with its contact settings (null: never saved); undefined if no such team. */
export async function teamWithSettings(
  deps: Deps,
  organisationId: string,
  teamId: string,
): Promise<Row | undefined> {
  const [team] = await findTeams(deps, [teamId]);
  if (!team || team.organisation_id !== organisationId) return undefined;
  const settings = await selectContactSettings(deps.db, teamId);
  return { id: team.id, name: team.name, description: team.description, ...NO_SETTINGS, ...settings };
}

function present(row: Row): TeamContactSettings {
  return {
    teamId: row.id,
    acceptsNewConversations: row.accepts_new ?? false,
    description: row.description,
    region: row.region ?? '',
    responseTime: row.response_time ?? '',
    autoReply: row.auto_reply ?? '',
    officeHours: row.office_hours ?? '',
    guestVerification: row.guest_verification ?? 'email',
    notify: row.notify ?? 'members',
    notifyAddress: row.notify_address ?? null,
    updatedAt: row.updated_at ? row.updated_at.toISOString() : null,
  };
}

async function requireTeamRow(deps: Deps, organisationId: string, teamId: string): Promise<Row> {
  const row = await teamWithSettings(deps, organisationId, teamId);
  if (!row) throw new AppError(ErrorCode.notFound, 'No such team.');
  return row;
}

/** Any staff member of the organisation may read a team's contact settings. */
export async function getTeamContactSettings(deps: Deps, actor: Actor, teamId: string) {
  return present(await requireTeamRow(deps, actor.organisationId, teamId));
}

/**
 * Organisation admins and the team's own admins change the settings. The audit record names the
 * fields that changed, never their values (an auto-reply may hold anything).
 */
export async function changeTeamContactSettings(
  deps: Deps,
  actor: Actor,
  teamId: string,
  patch: UpdateTeamContactSettingsRequest,
  origin: RequestOrigin,
): Promise<TeamContactSettings> {
  await assertCanManageTeam(deps, actor, teamId);
  const current = present(await requireTeamRow(deps, actor.organisationId, teamId));
  const next = { ...current, ...patch };
  if (next.notify === 'address' && !next.notifyAddress) {
    throw new AppError(ErrorCode.validationFailed, 'Notifications to a team address need that address.');
  }
  if (patch.description !== undefined && patch.description.trim() !== current.description) {
    await updateTeam(deps, actor, teamId, { description: patch.description }, origin);
  }
  const values: SettingsValues = {
    accepts_new: next.acceptsNewConversations,
    region: next.region.trim(),
    response_time: next.responseTime.trim(),
    auto_reply: next.autoReply.trim(),
    office_hours: next.officeHours.trim(),
    guest_verification: next.guestVerification,
    notify: next.notify,
    notify_address: next.notifyAddress ? next.notifyAddress.trim().toLowerCase() : null,
    updated_at: deps.clock.now(),
    updated_by: actor.userId,
  };
  await upsertTeamContactSettings(deps.db, teamId, values);
  await deps.audit.record({
    action: AuditAction.teamContactSettingsUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
    details: { fields: Object.keys(patch).sort(), acceptsNewConversations: values.accepts_new },
  });
  return present(await requireTeamRow(deps, actor.organisationId, teamId));
}

/** Where the team's notifications go instead of to every member (null: to the members). */
export function teamNotifyAddress(deps: Deps, teamId: string): Promise<string | null> {
  return selectTeamNotifyAddress(deps.db, teamId);
}
