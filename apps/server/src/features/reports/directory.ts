import type { Meldpunt, MeldpuntList } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findTeams } from '../accounts/index.ts';
import { directoryToCsv, parseDirectoryCsv } from './directory-csv.ts';
import { type MeldpuntRow, replaceMeldpunten, selectMeldpunten } from './directory-store.ts';
import { canManageDirectory } from './policy.ts';

/** A directory row as the API shows it. */
export function presentMeldpunt(row: MeldpuntRow): Meldpunt {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation_name,
    gemeentecodes: row.gemeentecodes,
    openingHours: row.opening_hours,
    separatePoliceRoute: row.separate_police_route,
    channels: row.channels,
  };
}

function requireManager(actor: Actor): void {
  if (!canManageDirectory(actor))
    throw new AppError(ErrorCode.forbidden, 'Only an administrator manages the meldpunt directory.');
}

export async function listMeldpunten(deps: Deps, actor: Actor): Promise<MeldpuntList> {
  requireManager(actor);
  return { meldpunten: (await selectMeldpunten(deps.db, actor.organisationId)).map(presentMeldpunt) };
}

export async function exportMeldpunten(deps: Deps, actor: Actor): Promise<string> {
  requireManager(actor);
  return directoryToCsv(await selectMeldpunten(deps.db, actor.organisationId));
}

/** Team channels must name teams on this installation; returns the lines that do not. */
async function unknownTeams(deps: Deps, entries: (MeldpuntRow & { line: number })[]) {
  const ids = [
    ...new Set(entries.flatMap((e) => e.channels.flatMap((c) => (c.kind === 'team' ? [c.teamId] : [])))),
  ];
  const known = new Set((await findTeams(deps, ids)).map((t) => t.id));
  return entries.flatMap((e) =>
    e.channels
      .filter((c) => c.kind === 'team' && !known.has(c.teamId))
      .map((c) => ({
        line: e.line,
        error: `no team ${c.kind === 'team' ? c.teamId : ''} on this installation`,
      })),
  );
}

/**
 * Replaces the organisation's directory with a CSV. Any problem on any line refuses the whole
 * file (`400` with every line's problem in `details.lines`): the directory is never half-imported.
 */
export async function importMeldpunten(
  deps: Deps,
  actor: Actor,
  csv: string,
  origin: RequestOrigin,
): Promise<MeldpuntList> {
  requireManager(actor);
  const parsed = parseDirectoryCsv(csv);
  const lines = parsed.ok ? await unknownTeams(deps, parsed.entries) : parsed.lines;
  if (!parsed.ok || lines.length)
    throw new AppError(ErrorCode.validationFailed, 'The directory was not imported: fix the lines listed.', {
      lines,
    });
  await inTransaction(deps, (tx) => replaceMeldpunten(tx.db, actor.organisationId, parsed.entries));
  await deps.audit.record({
    action: AuditAction.reportDirectoryImported,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'organisation', id: actor.organisationId },
    details: { meldpunten: parsed.entries.length },
  });
  return listMeldpunten(deps, actor);
}
