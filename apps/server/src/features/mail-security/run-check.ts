import type { MailCheckHistoryPage, MailDomainCheck } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findPeople } from '../accounts/index.ts';
import { buildAdvice } from './advice.ts';
import { InvalidDomainError } from './check-mail-domain.ts';
import type { MailDomainChecker } from './checker.ts';
import { normalizeDomainName } from './domain-name.ts';
import { scoredCheckIds } from './score.ts';
import { type CheckRow, insertCheck, selectCheckPage } from './store.ts';

/** A stored check with the name of the staff member who asked for it. */
export type NamedCheckRow = CheckRow & { requested_by_name: string | null };

async function withRequesterNames(deps: Deps, rows: CheckRow[]): Promise<NamedCheckRow[]> {
  const people = await findPeople(
    deps,
    rows.flatMap((r) => (r.requested_by ? [r.requested_by] : [])),
  );
  return rows.map((r) => ({
    ...r,
    requested_by_name: people.find((p) => p.id === r.requested_by)?.name ?? null,
  }));
}

import { type CheckResult, checkIds, type MailDomainReport } from './types.ts';

/**
 * Runs the checker with a hard time limit. The engine gets a slightly shorter deadline so it can
 * report partial results itself; should it still be busy at the limit (a DNS phase that stalls),
 * the caller gets a report with every check `error` and `complete: false`, never a hang.
 */
export async function runCheckWithin(
  checker: MailDomainChecker,
  input: string,
  domain: string,
  options: { selectors?: string[] | undefined; budgetMs: number },
): Promise<MailDomainReport> {
  const budgetMs = Math.max(1, options.budgetMs);
  const engineDeadlineMs = Math.max(1, budgetMs - Math.min(5000, Math.floor(budgetMs / 5)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<MailDomainReport>((resolve) => {
    timer = setTimeout(
      () => resolve(errorReport(domain, input, `not finished within ${Math.ceil(budgetMs / 1000)} s`)),
      budgetMs,
    );
  });
  const work = checker
    .check(input, { selectors: options.selectors, deadlineMs: engineDeadlineMs })
    .catch((error: unknown) => {
      if (error instanceof InvalidDomainError) throw error;
      return errorReport(domain, input, `the check failed: ${(error as Error)?.message ?? String(error)}`);
    });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A report for a check that could not run or finish: every check `error`, so nothing is "ready". */
export function errorReport(domain: string, input: string, reason: string): MailDomainReport {
  const checks: CheckResult[] = checkIds.map((id) => ({ id, status: 'error', detail: reason }));
  return {
    domain,
    input,
    checkedAt: new Date().toISOString(),
    score: 0,
    delivery: 'none',
    deliveryReason: 'the checks could not finish, so no secure delivery path is known',
    checks,
    mx: [],
    advice: buildAdvice(checks.slice(0, 1)),
    complete: false,
  };
}

/** Stores a report as history of the organisation and records it in the audit trail. */
export async function storeCheck(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  report: MailDomainReport,
  bulkId: string | null,
): Promise<NamedCheckRow> {
  const row = {
    id: crypto.randomUUID(),
    organisation_id: actor.organisationId,
    domain: report.domain,
    input: report.input,
    checked_at: deps.clock.now(),
    score: Math.round(report.score),
    delivery: report.delivery,
    delivery_reason: report.deliveryReason,
    complete: report.complete,
    checks: JSON.stringify(report.checks),
    mx: JSON.stringify(
      report.mx.map((m) => ({
        host: m.host,
        preference: m.preference,
        address: m.address ?? null,
        checks: m.checks,
      })),
    ),
    advice: JSON.stringify(report.advice),
    requested_by: actor.userId,
    bulk_id: bulkId,
  };
  await insertCheck(deps.db, row);
  await deps.audit.record({
    action: AuditAction.mailSecurityChecked,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'mail_domain_check', id: row.id },
    details: {
      domain: report.domain,
      score: row.score,
      delivery: report.delivery,
      complete: report.complete,
      ...(bulkId ? { bulkId } : {}),
    },
  });
  return {
    ...row,
    seq: 0,
    checks: report.checks,
    mx: JSON.parse(row.mx),
    advice: report.advice,
    requested_by_name: actor.name,
  };
}

/** Checks one domain for an admin (with the time limit of the checker) and keeps it as history. */
export async function checkDomainForOrganisation(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  request: { domain: string; selectors?: string[] | undefined },
): Promise<MailDomainCheck> {
  const normalized = normalizeDomainName(request.domain);
  if (!normalized.ok)
    throw new AppError(ErrorCode.validationFailed, `Not a domain name: ${normalized.reason}.`, {
      field: 'domain',
    });
  const checker = deps.mailCheck;
  let report: MailDomainReport;
  try {
    report = await runCheckWithin(checker, request.domain.trim(), normalized.domain, {
      selectors: request.selectors,
      budgetMs: checker.domainTimeoutMs,
    });
  } catch (error) {
    if (error instanceof InvalidDomainError)
      throw new AppError(ErrorCode.validationFailed, `Not a domain name: ${error.message}.`, {
        field: 'domain',
      });
    throw error;
  }
  return presentCheck(await storeCheck(deps, actor, origin, report, null));
}

/** History of the organisation's checks, newest first, optionally of one domain. */
export async function listCheckHistory(
  deps: Deps,
  actor: Actor,
  query: { domain?: string | undefined; before?: number | undefined; limit?: number | undefined },
): Promise<MailCheckHistoryPage> {
  let domain: string | undefined;
  if (query.domain !== undefined) {
    const normalized = normalizeDomainName(query.domain);
    if (!normalized.ok)
      throw new AppError(ErrorCode.validationFailed, `Not a domain name: ${normalized.reason}.`, {
        field: 'domain',
      });
    domain = normalized.domain;
  }
  const limit = query.limit ?? 20;
  const rows = await selectCheckPage(deps.db, {
    organisationId: actor.organisationId,
    domain,
    beforeSeq: query.before,
    limit,
  });
  return {
    checks: (await withRequesterNames(deps, rows)).map(presentCheck),
    nextBefore: rows.length === limit ? Number(rows[rows.length - 1]?.seq ?? 0) || null : null,
  };
}

/** Scored checks that failed or could not finish: what keeps a partner from passing. */
export function failingCheckIds(checks: { id: string; status: string }[]): string[] {
  return checks
    .filter((c) => scoredCheckIds.has(c.id as never) && (c.status === 'fail' || c.status === 'error'))
    .map((c) => c.id);
}

export function presentCheck(row: NamedCheckRow): MailDomainCheck {
  return {
    id: row.id,
    domain: row.domain,
    input: row.input,
    checkedAt: row.checked_at.toISOString(),
    score: row.score,
    delivery: row.delivery,
    deliveryReason: row.delivery_reason,
    complete: row.complete,
    isReady: row.delivery !== 'none',
    checks: row.checks as MailDomainCheck['checks'],
    mx: row.mx as MailDomainCheck['mx'],
    advice: row.advice,
    requestedBy:
      row.requested_by && row.requested_by_name
        ? { id: row.requested_by, name: row.requested_by_name }
        : null,
    bulkId: row.bulk_id,
  };
}
