import {
  type DlpEventRequest,
  type DlpPolicyResponse,
  type DlpRules,
  dlpRuleNames,
  type UpdateDlpPolicyRequest,
} from '@zegel/protocol/api';
import { defaultPolicy, type PolicyAction } from '@zegel/protocol/dlp';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { getOrganisation } from '../accounts/index.ts';
import { selectDlpPolicy, upsertDlpPolicy } from './store.ts';

const actions: readonly string[] = ['off', 'audit', 'suggest', 'warn', 'block'];

/** The stored choices over the defaults; a rule added after the admin saved starts at its default. */
function mergeRules(stored: Record<string, string> | undefined): DlpRules {
  const rules = {} as Record<string, PolicyAction>;
  for (const rule of dlpRuleNames) {
    const chosen = stored?.[rule];
    rules[rule] =
      chosen !== undefined && actions.includes(chosen)
        ? (chosen as PolicyAction)
        : (defaultPolicy.rules[rule] ?? 'off');
  }
  return rules as DlpRules;
}

/** The organisation's leak-prevention policy with its own mail domains, for the composer and admins. */
export async function getDlpPolicy(deps: Deps, organisationId: string): Promise<DlpPolicyResponse> {
  const [row, organisation] = await Promise.all([
    selectDlpPolicy(deps.db, organisationId),
    getOrganisation(deps, organisationId),
  ]);
  return {
    rules: mergeRules(row?.rules),
    exemptDomains: row?.exempt_domains ?? [...defaultPolicy.exemptDomains],
    internalDomains: organisation.mailDomains,
    updatedAt: row ? row.updated_at.toISOString() : null,
  };
}

/** Changes levels and exempt domains; the audit record names what changed and how. */
export async function changeDlpPolicy(
  deps: Deps,
  actor: Actor,
  patch: UpdateDlpPolicyRequest,
  origin: RequestOrigin,
): Promise<DlpPolicyResponse> {
  const current = await getDlpPolicy(deps, actor.organisationId);
  const rules = { ...current.rules, ...patch.rules };
  const exemptDomains = patch.exemptDomains ?? current.exemptDomains;
  await upsertDlpPolicy(deps.db, {
    organisationId: actor.organisationId,
    rules,
    exemptDomains,
    updatedAt: deps.clock.now(),
    updatedBy: actor.userId,
  });
  const changedRules = Object.fromEntries(
    Object.entries(patch.rules ?? {}).filter(
      ([rule, action]) => current.rules[rule as keyof DlpRules] !== action,
    ),
  );
  await deps.audit.record({
    action: AuditAction.dlpPolicyUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'organisation', id: actor.organisationId },
    details: {
      rules: changedRules,
      ...(patch.exemptDomains === undefined ? {} : { exemptDomains }),
    },
  });
  return getDlpPolicy(deps, actor.organisationId);
}

/** A composer reports a few events per message; more than this per user is not a person sending. */
export const dlpEventLimit = { max: 120, windowMs: 60 * 60 * 1000 } as const;

const eventActions = {
  overridden: AuditAction.dlpOverride,
  blocked: AuditAction.dlpBlocked,
  audited: AuditAction.dlpAudited,
} as const;

/**
 * Records what the composer reports: a sender overrode a warning, was stopped, or sent with
 * audit-only findings. The schema admits only rule names, actions, counts and domains, so the
 * record cannot hold a found value.
 */
export async function recordDlpEvent(
  deps: Deps,
  actor: Actor,
  event: DlpEventRequest,
  origin: RequestOrigin,
): Promise<void> {
  const limit = await deps.throttle.hit(`dlp-events:${actor.userId}`, dlpEventLimit);
  if (!limit.allowed)
    throw new AppError(ErrorCode.rateLimited, 'Too many leak-prevention reports; try again later.', {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  await deps.audit.record({
    action: eventActions[event.outcome],
    outcome: event.outcome === 'blocked' ? 'failure' : 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: event.conversationId === undefined ? null : { type: 'conversation', id: event.conversationId },
    details: {
      rules: event.rules.map((r) => ({ rule: r.rule, action: r.action, count: r.count })),
      recipientDomains: [...event.recipientDomains].sort(),
      ...(event.unscannedAttachments === undefined
        ? {}
        : { unscannedAttachments: event.unscannedAttachments }),
    },
  });
}
