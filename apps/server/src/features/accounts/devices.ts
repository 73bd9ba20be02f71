import { ErrorCode } from '@zegel/protocol/errors';
import { parseUserAgent } from '@zegel/protocol/user-agent';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { revokeTrustedDeviceRow, selectTrustedDevicesOfUser } from './session-store.ts';
import type { SessionContext } from './sessions.ts';

export async function listTrustedDevices(deps: Deps, session: SessionContext) {
  const rows = await selectTrustedDevicesOfUser(deps.db, session.actor.userId, deps.clock.now());
  return rows.map((d) => ({
    id: d.id,
    label: d.label,
    createdAt: d.created_at.toISOString(),
    lastUsedAt: d.last_used_at.toISOString(),
    expiresAt: d.expires_at.toISOString(),
  }));
}

/** After revoking, the next sign-in from that browser asks for the code again. */
export async function revokeTrustedDevice(
  deps: Deps,
  session: SessionContext,
  deviceId: string,
  origin: RequestOrigin,
) {
  const result = await revokeTrustedDeviceRow(deps.db, session.actor.userId, deviceId, deps.clock.now());
  if (result.numUpdatedRows !== 1n) throw new AppError(ErrorCode.notFound, 'No such trusted device.');
  await deps.audit.record({
    action: AuditAction.deviceRevoked,
    outcome: 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
    object: { type: 'trusted_device', id: deviceId },
  });
}

/** A short, human label for a browser from its user agent, e.g. "Chrome on Linux". */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const { browser, system } = parseUserAgent(userAgent);
  return `${browser ?? 'Browser'} on ${system ?? 'unknown system'}`;
}
