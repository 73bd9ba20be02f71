import type { AppPasswordSummary } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { createToken, hashToken } from '../../adapters/tokens.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import type { Limit } from '../../platform/throttle/index.ts';
import { findPeopleByEmail } from '../accounts/index.ts';
import {
  insertAppPassword,
  markAppPasswordUsed,
  revokeAppPasswordRow,
  selectAppPasswordByHash,
  selectAppPasswords,
} from './store.ts';

/** Wrong SMTP passwords, counted like sign-in: per account and per network address, in the database. */
export const smtpAuthLimits = {
  perAccount: { max: 10, windowMs: 15 * 60_000 } satisfies Limit,
  perAddress: { max: 50, windowMs: 15 * 60_000 } satisfies Limit,
} as const;

const summary = (row: {
  id: string;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
}): AppPasswordSummary => ({
  id: row.id,
  label: row.label,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

/** A new app password for a mail client: 256 random bits, shown once, stored as its SHA-256. */
export async function createAppPassword(
  deps: Deps,
  actor: Actor,
  label: string,
  origin: RequestOrigin | null,
): Promise<{ appPassword: AppPasswordSummary; password: string }> {
  const password = createToken();
  const now = deps.clock.now();
  const row = {
    id: crypto.randomUUID(),
    organisation_id: actor.organisationId,
    user_id: actor.userId,
    label: label.trim().slice(0, 80) || 'mail client',
    secret_hash: hashToken(password),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await insertAppPassword(deps.db, row);
  await deps.audit.record({
    action: AuditAction.gatewayAppPasswordCreated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'app_password', id: row.id },
  });
  return { appPassword: summary(row), password };
}

export async function listAppPasswords(deps: Deps, actor: Actor): Promise<AppPasswordSummary[]> {
  return (await selectAppPasswords(deps.db, actor.userId)).map(summary);
}

export async function revokeAppPassword(deps: Deps, actor: Actor, id: string, origin: RequestOrigin) {
  if (!(await revokeAppPasswordRow(deps.db, actor.userId, id, deps.clock.now())))
    throw new AppError(ErrorCode.notFound, 'There is no such app password.');
  await deps.audit.record({
    action: AuditAction.gatewayAppPasswordRevoked,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'app_password', id },
  });
}

/** Why SMTP AUTH failed: a wrong user or password, or too many attempts. */
export type SmtpAuthResult = { ok: true; actor: Actor } | { ok: false; reason: 'wrong' | 'limited' };

/**
 * Checks an SMTP AUTH user name (the e-mail address) and app password. Each attempt is counted
 * before it is checked, per account and per address, in the database (so the limit holds across
 * processes); a success takes its hit back.
 */
export async function checkSmtpLogin(
  deps: Deps,
  username: string,
  password: string,
  origin: RequestOrigin,
): Promise<SmtpAuthResult> {
  const email = username.trim().toLowerCase();
  const keys = [
    [`smtp-auth:account:${email}`, smtpAuthLimits.perAccount],
    [`smtp-auth:address:${origin.ip}`, smtpAuthLimits.perAddress],
  ] as const;
  for (const [key, limit] of keys)
    if (!(await deps.throttle.hit(key, limit)).allowed) return { ok: false, reason: 'limited' };
  const row = await selectAppPasswordByHash(deps.db, hashToken(password));
  const [user] = row ? await findPeopleByEmail(deps, [email]) : [];
  if (!row || !user || user.id !== row.user_id || user.status !== 'active') {
    await deps.audit.record({
      action: AuditAction.signIn,
      outcome: 'failure',
      organisationId: user?.organisation_id ?? null,
      actor: null,
      accessPoint: origin,
      details: { channel: 'smtp', reason: 'wrong_app_password' },
    });
    return { ok: false, reason: 'wrong' };
  }
  for (const [key] of keys) await deps.throttle.release(key);
  await markAppPasswordUsed(deps.db, row.id, deps.clock.now());
  return {
    ok: true,
    actor: { userId: user.id, organisationId: user.organisation_id, name: user.name, role: user.role },
  };
}
