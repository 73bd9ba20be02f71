import { type BulkCheck, type BulkCheckRow, MailSecurityLimits } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { InvalidDomainError } from './check-mail-domain.ts';
import { type DomainListEntry, parseDomainList, toCsv } from './domain-list.ts';
import { failingCheckIds, runCheckWithin, storeCheck } from './run-check.ts';
import { insertBulkRun, selectBulkRun, selectLatestCheckPerDomain, updateBulkRun } from './store.ts';

/**
 * Checks a list of partner domains (CSV text) with bounded concurrency and an overall time limit,
 * stores every check as history and the table as a bulk run, and returns the table. Domains not
 * started or not finished when the limit is reached get status `error`: the request always ends.
 */
export async function runBulkCheck(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  csv: string,
): Promise<BulkCheck> {
  const parsed = parseDomainList(csv, MailSecurityLimits.bulkMaxDomains);
  if (!parsed.ok)
    throw new AppError(ErrorCode.validationFailed, parsed.reason, {
      field: 'csv',
      ...(parsed.lines ? { lines: parsed.lines } : {}),
    });
  const checker = deps.mailCheck;
  const id = crypto.randomUUID();
  const createdAt = deps.clock.now();
  await insertBulkRun(deps.db, {
    id,
    organisation_id: actor.organisationId,
    requested_by: actor.userId,
    created_at: createdAt,
    complete: false,
    rows: '[]',
  });

  const started = Date.now();
  const rows: BulkCheckRow[] = parsed.entries.map(invalidOrPendingRow);
  const queue = parsed.entries.flatMap((entry, index) => (entry.domain === null ? [] : [{ entry, index }]));
  let isComplete = true;

  async function worker(): Promise<void> {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { entry, index } = next;
      const remaining = checker.bulkTimeoutMs - (Date.now() - started);
      if (remaining <= 0 || entry.domain === null) {
        isComplete = false;
        rows[index] = {
          ...rowBase(entry),
          status: 'error',
          error: 'not checked: the time limit of the bulk check was reached',
        };
        continue;
      }
      try {
        const report = await runCheckWithin(checker, entry.input, entry.domain, {
          budgetMs: Math.min(checker.domainTimeoutMs, remaining),
        });
        const stored = await storeCheck(deps, actor, origin, report, id);
        if (!report.complete) isComplete = false;
        const failing = failingCheckIds(report.checks);
        const isTimedOut = !report.complete && report.checks.every((c) => c.status === 'error');
        rows[index] = {
          ...rowBase(entry),
          status: isTimedOut ? 'error' : report.delivery === 'none' ? 'not_ready' : 'ready',
          score: stored.score,
          delivery: report.delivery,
          failing,
          error: isTimedOut ? (report.checks[0]?.detail ?? 'the check did not finish') : null,
          checkId: stored.id,
        };
      } catch (error) {
        isComplete = false;
        rows[index] = {
          ...rowBase(entry),
          status: error instanceof InvalidDomainError ? 'invalid' : 'error',
          error: (error as Error)?.message ?? String(error),
        };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, checker.bulkConcurrency) }, () => worker()));

  const counts = countRows(rows);
  await updateBulkRun(deps.db, id, { complete: isComplete, rows: JSON.stringify(rows) });
  await deps.audit.record({
    action: AuditAction.mailSecurityBulkChecked,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'mail_security_bulk_run', id },
    details: { ...counts, duplicates: parsed.duplicates, complete: isComplete },
  });
  return { id, createdAt: createdAt.toISOString(), complete: isComplete, counts, rows };
}

function rowBase(entry: DomainListEntry): BulkCheckRow {
  return {
    line: entry.line,
    input: entry.input,
    domain: entry.domain,
    status: 'error',
    score: null,
    delivery: null,
    failing: [],
    error: null,
    checkId: null,
  };
}

function invalidOrPendingRow(entry: DomainListEntry): BulkCheckRow {
  return entry.domain === null
    ? { ...rowBase(entry), status: 'invalid', error: entry.error }
    : { ...rowBase(entry), status: 'error', error: 'not checked' };
}

function countRows(rows: BulkCheckRow[]): BulkCheck['counts'] {
  return {
    ready: rows.filter((r) => r.status === 'ready').length,
    notReady: rows.filter((r) => r.status === 'not_ready').length,
    error: rows.filter((r) => r.status === 'error').length,
    invalid: rows.filter((r) => r.status === 'invalid').length,
  };
}

/** A stored bulk run of the admin's organisation. */
export async function getBulkCheck(deps: Deps, actor: Actor, id: string): Promise<BulkCheck> {
  const run = await selectBulkRun(deps.db, actor.organisationId, id);
  if (!run) throw new AppError(ErrorCode.notFound, 'No such bulk check.');
  const rows = run.rows as BulkCheckRow[];
  return {
    id: run.id,
    createdAt: run.created_at.toISOString(),
    complete: run.complete,
    counts: countRows(rows),
    rows,
  };
}

const bulkCsvHeader = ['line', 'input', 'domain', 'status', 'score', 'delivery', 'failing_checks', 'error'];

/** A bulk run as CSV (one line per partner, as in the table), recorded as an export. */
export async function exportBulkCheckCsv(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  id: string,
): Promise<string> {
  const run = await getBulkCheck(deps, actor, id);
  await recordExport(deps, actor, origin, { type: 'mail_security_bulk_run', id }, run.rows.length);
  return toCsv(
    bulkCsvHeader,
    run.rows.map((r) => [
      r.line,
      r.input,
      r.domain,
      r.status,
      r.score,
      r.delivery,
      r.failing.join(' '),
      r.error,
    ]),
  );
}

const latestCsvHeader = [
  'domain',
  'input',
  'checked_at',
  'status',
  'score',
  'delivery',
  'complete',
  'failing_checks',
];
const MAX_EXPORT_DOMAINS = 10_000;

/** The newest check of every domain the organisation has checked, as CSV. */
export async function exportLatestChecksCsv(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
): Promise<string> {
  const rows = await selectLatestCheckPerDomain(deps.db, actor.organisationId, MAX_EXPORT_DOMAINS);
  await recordExport(deps, actor, origin, { type: 'organisation', id: actor.organisationId }, rows.length);
  return toCsv(
    latestCsvHeader,
    rows.map((r) => [
      r.domain,
      r.input,
      r.checked_at.toISOString(),
      r.delivery === 'none' ? 'not_ready' : 'ready',
      r.score,
      r.delivery,
      r.complete,
      failingCheckIds(r.checks).join(' '),
    ]),
  );
}

function recordExport(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  object: { type: string; id: string },
  rows: number,
) {
  return deps.audit.record({
    action: AuditAction.mailSecurityExported,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object,
    details: { rows },
  });
}
