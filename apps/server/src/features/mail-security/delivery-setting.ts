import type { MailSecuritySettings } from '@zegel/protocol/api';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { changeMessageDefaults, findOrganisation } from '../accounts/index.ts';
import { normalizeDomainName } from './domain-name.ts';
import { selectLatestCheck } from './store.ts';

async function isDirectDeliveryAllowed(deps: Deps, organisationId: string): Promise<boolean> {
  return (await findOrganisation(deps, organisationId))?.allow_direct_delivery ?? false;
}

/** How long a check counts as fresh enough to send content by ordinary e-mail on its strength. */
export const FRESH_CHECK_MS = 24 * 60 * 60 * 1000;

/** How content for one recipient domain travels. */
export type DeliveryRoute = 'secure_link' | 'dane' | 'mta-sts';

/**
 * Where message content for `domain` may go. `secure_link` (content stays in Zegel behind the
 * guest's verification) unless the organisation allows direct delivery and its newest check of
 * the domain, at most FRESH_CHECK_MS old and complete, says `dane` or `mta-sts`. Direct delivery
 * itself (`deliverDirect`) verifies DANE or MTA-STS again on the wire and never falls back.
 */
export async function decideDelivery(
  deps: Deps,
  organisationId: string,
  domain: string,
): Promise<DeliveryRoute> {
  if (!(await isDirectDeliveryAllowed(deps, organisationId))) return 'secure_link';
  const normalized = normalizeDomainName(domain);
  if (!normalized.ok) return 'secure_link';
  const latest = await selectLatestCheck(deps.db, organisationId, normalized.domain);
  if (!latest?.complete) return 'secure_link';
  const age = deps.clock.now().getTime() - latest.checked_at.getTime();
  if (age < 0 || age > FRESH_CHECK_MS) return 'secure_link';
  return latest.delivery === 'none' ? 'secure_link' : latest.delivery;
}

export async function getMailSecuritySettings(deps: Deps, actor: Actor): Promise<MailSecuritySettings> {
  return { allowDirectDelivery: await isDirectDeliveryAllowed(deps, actor.organisationId) };
}

export async function updateMailSecuritySettings(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  settings: MailSecuritySettings,
): Promise<MailSecuritySettings> {
  const before = await isDirectDeliveryAllowed(deps, actor.organisationId);
  await changeMessageDefaults(deps, actor.organisationId, {
    allow_direct_delivery: settings.allowDirectDelivery,
  });
  if (before !== settings.allowDirectDelivery) {
    await deps.audit.record({
      action: AuditAction.mailSecuritySettingsUpdated,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      object: { type: 'organisation', id: actor.organisationId },
      details: { allowDirectDelivery: settings.allowDirectDelivery },
    });
  }
  return getMailSecuritySettings(deps, actor);
}
