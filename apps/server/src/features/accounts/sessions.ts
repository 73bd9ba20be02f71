import { ErrorCode } from '@zegel/protocol/errors';
import { createToken, hashToken } from '../../adapters/tokens.ts';
import type { SessionStage } from '../../db/schema.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  deleteSession,
  deleteSessionOfUser,
  deleteSessionsOfUser,
  insertSession,
  selectSessionsOfUser,
  selectSessionWithProfile,
  selectSessionWithUser,
  updateSessionRow,
} from './session-store.ts';

/** An authenticated request's session. */
export interface SessionContext {
  sessionId: string;
  stage: SessionStage;
  actor: Actor;
  email: string;
  /** Present when the lookup was asked for it (`GET /api/me`). */
  profile?: SessionProfile;
}

/** Sessions in the first steps of sign-in live only this long. */
const PARTIAL_SESSION_MS = 10 * 60 * 1000;
/** Writing last_seen on every request would cost a write per read; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export async function startSession(deps: Deps, userId: string, stage: SessionStage, origin: RequestOrigin) {
  const now = deps.clock.now();
  const token = createToken();
  const lifetime = stage === 'full' ? deps.config.sessionAbsoluteHours * 3600_000 : PARTIAL_SESSION_MS;
  await insertSession(deps.db, {
    id: crypto.randomUUID(),
    tokenHash: hashToken(token),
    userId,
    stage,
    now,
    expiresAt: new Date(now.getTime() + lifetime),
    ip: origin.ip,
    userAgent: origin.userAgent?.slice(0, 300) ?? null,
  });
  return { token };
}

/**
 * Moves a session to its next stage under a new token, so a token seen before the second
 * factor (session fixation) is worthless afterwards.
 */
export async function promoteSession(deps: Deps, sessionId: string, stage: SessionStage) {
  const token = createToken();
  const now = deps.clock.now();
  await updateSessionRow(deps.db, sessionId, {
    stage,
    token_hash: hashToken(token),
    last_seen_at: now,
    // A full session's absolute lifetime starts when it becomes full.
    ...(stage === 'full'
      ? { expires_at: new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3600_000) }
      : {}),
  });
  return { token };
}

/** What `GET /api/me` shows besides the session, read together with it. */
export interface SessionProfile {
  organisation: {
    name: string;
    slug: string;
    branding: Record<string, string>;
    hasLogo: boolean;
    trustedDeviceDays: number;
  };
  teams: { id: string; name: string; role: 'member' | 'admin' }[];
}

/**
 * Resolves a session token. Expired (idle or absolute) sessions and sessions of deactivated
 * users are deleted on sight and count as no session. This runs on every request, so
 * revocation and deactivation take effect at the next one; `withProfile` reads the
 * organisation and teams in the same query, for the one route that shows them.
 */
export async function authenticateSession(
  deps: Deps,
  token: string,
  options: { withProfile?: boolean } = {},
): Promise<SessionContext | undefined> {
  const tokenHash = hashToken(token);
  if (!options.withProfile) return checkSession(deps, await selectSessionWithUser(deps.db, tokenHash));
  const row = await selectSessionWithProfile(deps.db, tokenHash);
  const session = await checkSession(deps, row);
  return session && row && { ...session, profile: profileOf(row) };
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof selectSessionWithUser>>>;

/** The checks every request makes: absolute and idle expiry, and that the user is still active. */
async function checkSession(deps: Deps, row: SessionRow | undefined): Promise<SessionContext | undefined> {
  if (!row) return undefined;
  const now = deps.clock.now();
  const idleLimit = row.stage === 'full' ? deps.config.sessionIdleMinutes * 60_000 : PARTIAL_SESSION_MS;
  const expired = row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > idleLimit;
  if (expired || row.status !== 'active') {
    await deleteSession(deps.db, row.session_id);
    return undefined;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await updateSessionRow(deps.db, row.session_id, { last_seen_at: now });
  }
  return {
    sessionId: row.session_id,
    stage: row.stage,
    email: row.email,
    actor: { userId: row.user_id, organisationId: row.organisation_id, name: row.name, role: row.role },
  };
}

function profileOf(row: NonNullable<Awaited<ReturnType<typeof selectSessionWithProfile>>>): SessionProfile {
  return {
    organisation: {
      name: row.organisation_name,
      slug: row.organisation_slug,
      branding: row.organisation_branding,
      hasLogo: row.organisation_has_logo,
      trustedDeviceDays: row.trusted_device_days,
    },
    teams: row.teams,
  };
}

/** The signed-in user as `GET /api/me` shows them; the profile came with the session lookup. */
export function describeSignedInUser(session: SessionContext) {
  const { actor, profile } = session;
  if (!profile) throw new Error('the route must declare config.sessionProfile to read the profile');
  return {
    id: actor.userId,
    email: session.email,
    name: actor.name,
    role: actor.role,
    stage: session.stage,
    organisation: { id: actor.organisationId, ...profile.organisation },
    teams: profile.teams,
  };
}

export async function signOut(deps: Deps, session: SessionContext, origin: RequestOrigin) {
  await deleteSession(deps.db, session.sessionId);
  await deps.audit.record({
    action: AuditAction.signOut,
    outcome: 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
  });
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(deps: Deps, session: SessionContext, origin: RequestOrigin) {
  await deleteSessionsOfUser(deps.db, session.actor.userId);
  await deps.audit.record({
    action: AuditAction.signOutEverywhere,
    outcome: 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
  });
}

export async function listSessions(deps: Deps, session: SessionContext) {
  const rows = await selectSessionsOfUser(deps.db, session.actor.userId);
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    isCurrent: row.id === session.sessionId,
  }));
}

export async function revokeSession(
  deps: Deps,
  session: SessionContext,
  sessionId: string,
  origin: RequestOrigin,
) {
  const result = await deleteSessionOfUser(deps.db, session.actor.userId, sessionId);
  if (result.numDeletedRows !== 1n) throw new AppError(ErrorCode.notFound, 'No such session.');
  await deps.audit.record({
    action: AuditAction.sessionRevoked,
    outcome: 'success',
    organisationId: session.actor.organisationId,
    actor: auditActor(session.actor),
    accessPoint: origin,
    object: { type: 'session', id: sessionId },
  });
}
