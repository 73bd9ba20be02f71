import type { Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { addToRefusalTally, selectRefusalTallies } from './sign-in-store.ts';
import type { UserRow } from './store.ts';

/** Why a sign-in attempt was refused before its password was checked (audit detail). */
export type RefusalReason = 'delayed' | 'proof_of_work_required' | 'address_limit';

const HOUR = 3_600_000;
const hourOf = (now: Date) => new Date(Math.floor(now.getTime() / HOUR) * HOUR);

/** Writes a refused attempt to the audit trail (never the secret) and to the account's tally. */
export function recordRefusedSignIn(
  deps: Deps,
  user: UserRow | undefined,
  origin: RequestOrigin,
  reason: RefusalReason,
): Promise<void> {
  return recordSignInFailure(deps, user, origin, 'refused', { reason, refused: true });
}

/** Writes a wrong password to the audit trail (never the secret) and to the account's tally. */
export function recordFailedSignIn(
  deps: Deps,
  user: UserRow | undefined,
  origin: RequestOrigin,
  device: 'known' | 'unknown',
): Promise<void> {
  return recordSignInFailure(deps, user, origin, 'failed', {
    reason: user ? 'wrong_password' : 'unknown_account',
    device,
  });
}

async function recordSignInFailure(
  deps: Deps,
  user: UserRow | undefined,
  origin: RequestOrigin,
  kind: 'failed' | 'refused',
  details: Record<string, unknown>,
) {
  await deps.audit.record({
    action: AuditAction.signIn,
    outcome: 'failure',
    organisationId: user?.organisation_id ?? null,
    actor: user ? { userId: user.id, name: user.name, role: user.role } : null,
    accessPoint: origin,
    details,
  });
  if (user) await tally(deps, user, kind);
}

function tally(deps: Deps, user: UserRow, kind: 'failed' | 'refused') {
  return addToRefusalTally(deps.db, {
    userId: user.id,
    organisationId: user.organisation_id,
    hour: hourOf(deps.clock.now()),
    kind,
  });
}

/**
 * Lock-out storms for the administrator: accounts of the organisation with failed or refused
 * sign-ins in the current and the previous clock hour, busiest first.
 */
export async function listSignInStorms(deps: Deps, organisationId: string) {
  const since = new Date(hourOf(deps.clock.now()).getTime() - HOUR);
  const rows = await selectRefusalTallies(deps.db, organisationId, since);
  return {
    since: since.toISOString(),
    accounts: rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      failed: Number(r.failed),
      refused: Number(r.refused),
    })),
  };
}
