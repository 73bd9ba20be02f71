import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { changeMessageDefaults, findOrganisation } from '../accounts/index.ts';

export async function getMessageSettings(deps: Deps, organisationId: string) {
  const row = await findOrganisation(deps, organisationId);
  if (!row) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  return {
    defaultExpiryDays: row.message_expiry_days,
    allowEmailOnly: row.allow_email_only,
    guestRememberDays: row.guest_remember_days,
  };
}

export async function changeMessageSettings(
  deps: Deps,
  actor: Actor,
  patch: { defaultExpiryDays?: number; allowEmailOnly?: boolean; guestRememberDays?: number },
  origin: RequestOrigin,
) {
  await changeMessageDefaults(deps, actor.organisationId, {
    ...(patch.defaultExpiryDays === undefined ? {} : { message_expiry_days: patch.defaultExpiryDays }),
    ...(patch.allowEmailOnly === undefined ? {} : { allow_email_only: patch.allowEmailOnly }),
    ...(patch.guestRememberDays === undefined ? {} : { guest_remember_days: patch.guestRememberDays }),
  });
  await deps.audit.record({
    action: AuditAction.messageSettingsUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'organisation', id: actor.organisationId },
    details: { changed: Object.keys(patch) },
  });
  return getMessageSettings(deps, actor.organisationId);
}
