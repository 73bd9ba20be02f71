import type { Actor } from '../../deps.ts';

/**
 * Who may do what with police care reports — the rulebook. The meldpunt directory belongs to an
 * organisation: its admins manage it, its staff route reports with it. Nobody sees another
 * organisation's directory.
 */

/** An admin of the organisation manages its directory (list, import, export). */
export function canManageDirectory(actor: Actor): boolean {
  return actor.role === 'admin';
}

/** Staff of the organisation may look up where a report goes, with their own organisation's directory. */
export function canRouteReports(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'member';
}
