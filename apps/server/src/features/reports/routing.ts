import type { RouteReportRequest, RouteReportResponse } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { presentMeldpunt } from './directory.ts';
import { selectMeldpuntFor } from './directory-store.ts';
import { findMunicipality } from './locatieserver.ts';
import { canRouteReports } from './policy.ts';

/**
 * Where a report about someone at this address goes: the municipality (from the PDOK
 * Locatieserver, for the officer to confirm) and the meldpunt of the organisation's directory
 * that covers it. No meldpunt is `422 meldpunt_not_found` with the municipality named — never a
 * silent default.
 */
export async function routeReport(
  deps: Deps,
  actor: Actor,
  request: RouteReportRequest,
  origin: RequestOrigin,
): Promise<RouteReportResponse> {
  if (!canRouteReports(actor)) throw new AppError(ErrorCode.forbidden, 'You may not send care reports.');
  const found = await findMunicipality(deps.config.locatieserverUrl, request);
  const meldpunt = await selectMeldpuntFor(deps.db, actor.organisationId, found.gemeentecode);
  if (!meldpunt)
    throw new AppError(
      ErrorCode.meldpuntNotFound,
      `Er staat geen meldpunt voor de gemeente ${found.gemeentenaam} (${found.gemeentecode}) in de lijst van meldpunten. Vraag uw beheerder om het meldpunt toe te voegen. / No meldpunt covers ${found.gemeentenaam} in your directory.`,
      { municipality: { code: found.gemeentecode, name: found.gemeentenaam } },
    );
  // The address itself stays out of the trail: the lookup is recorded by municipality only.
  await deps.audit.record({
    action: AuditAction.reportRouted,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'meldpunt', id: meldpunt.id },
    details: { gemeentecode: found.gemeentecode },
  });
  return {
    municipality: { code: found.gemeentecode, name: found.gemeentenaam },
    address: found.weergavenaam,
    meldpunt: presentMeldpunt(meldpunt),
  };
}
