import type { GatewayOverview, GatewaySettings, UpdateGatewaySettingsRequest } from '@zegel/protocol/api';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findPeople } from '../accounts/index.ts';
import { selectRecentSubmissions, upsertSettings } from './store.ts';
import { gatewaySettings } from './submit.ts';

const RECENT_DECISIONS = 50;

/** The organisation's gateway rules and its most recent decisions with their reasons. */
export async function getGatewayOverview(
  deps: Deps,
  admin: Actor,
  origin: RequestOrigin,
): Promise<GatewayOverview> {
  const settings = await gatewaySettings(deps, admin.organisationId);
  const { submissions, recipients } = await selectRecentSubmissions(
    deps.db,
    admin.organisationId,
    RECENT_DECISIONS,
  );
  const people = new Map(
    (
      await findPeople(
        deps,
        submissions.map((s) => s.user_id),
      )
    ).map((p) => [p.id, p]),
  );
  await deps.audit.record({
    action: AuditAction.gatewayDecisionsRead,
    outcome: 'success',
    organisationId: admin.organisationId,
    actor: auditActor(admin),
    accessPoint: origin,
    object: { type: 'gateway_submissions', id: admin.organisationId },
    details: { count: submissions.length },
  });
  return {
    settings: { alwaysSecure: settings.alwaysSecure, subjectTags: [...settings.subjectTags] },
    decisions: submissions.map((s) => ({
      id: s.id,
      receivedAt: s.received_at.toISOString(),
      sender: people.get(s.user_id)?.email ?? '',
      outcome: s.outcome,
      reasons: s.reasons,
      recipients: recipients
        .filter((r) => r.submission_id === s.id)
        .map((r) => ({ address: r.address, route: r.route, reason: r.reason })),
    })),
  };
}

/** Changes "always secure" and the subject tags; the audit record names what changed. */
export async function changeGatewaySettings(
  deps: Deps,
  admin: Actor,
  input: UpdateGatewaySettingsRequest,
  origin: RequestOrigin,
): Promise<GatewaySettings> {
  const current = await gatewaySettings(deps, admin.organisationId);
  const next: GatewaySettings = {
    alwaysSecure: input.alwaysSecure ?? current.alwaysSecure,
    subjectTags: (input.subjectTags ?? [...current.subjectTags]).map((tag) => tag.trim()).filter(Boolean),
  };
  await upsertSettings(deps.db, {
    organisation_id: admin.organisationId,
    always_secure: next.alwaysSecure,
    subject_tags: next.subjectTags,
    updated_at: deps.clock.now(),
  });
  await deps.audit.record({
    action: AuditAction.gatewaySettingsUpdated,
    outcome: 'success',
    organisationId: admin.organisationId,
    actor: auditActor(admin),
    accessPoint: origin,
    object: { type: 'gateway_settings', id: admin.organisationId },
    details: { alwaysSecure: next.alwaysSecure, subjectTags: next.subjectTags.length },
  });
  return next;
}
