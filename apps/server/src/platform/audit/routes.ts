import { AuditExportQuery, AuditPage, AuditQuery } from '@zegel/protocol/api';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { originOf, requireAdmin } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { presentAuditRow, toCsv } from './present.ts';
import { AuditAction, auditActor } from './service.ts';

const MAX_EXPORT_ROWS = 100_000;

interface Filters {
  from?: string | undefined;
  to?: string | undefined;
  userId?: string | undefined;
  subject?: string | undefined;
  action?: string | undefined;
}

function queryOf(actor: Actor, filters: Filters, limit: number, before?: number) {
  return {
    organisationId: actor.organisationId,
    from: filters.from ? new Date(filters.from) : undefined,
    to: filters.to ? new Date(filters.to) : undefined,
    actorUserId: filters.userId,
    subjectPerson: filters.subject,
    action: filters.action,
    beforeSeq: before,
    limit,
  };
}

/** Reading the trail is itself recorded (NEN 7513 requires the log's own use to be logged). */
function recordRead(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  action: AuditAction,
  filters: Filters,
  rows: number,
) {
  return deps.audit.record({
    action,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'audit_trail', id: actor.organisationId },
    details: {
      filters: Object.fromEntries(
        Object.entries(filters).filter(([k, v]) => v !== undefined && k !== 'subject'),
      ),
      rows,
    },
  });
}

export function registerAuditRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/admin/audit',
    {
      config: { access: 'admin' },
      schema: { tags: ['admin'], querystring: AuditQuery, response: { 200: AuditPage } },
    },
    async (request) => {
      const actor = requireAdmin(request);
      const limit = request.query.limit ?? 100;
      const rows = await deps.audit.list(queryOf(actor, request.query, limit, request.query.before));
      await recordRead(deps, actor, originOf(request), AuditAction.auditRead, request.query, rows.length);
      return {
        events: rows.map(presentAuditRow),
        nextBefore: rows.length === limit ? (rows[rows.length - 1]?.seq ?? null) : null,
      };
    },
  );

  app.get(
    '/api/admin/audit/export',
    { config: { access: 'admin' }, schema: { tags: ['admin'], querystring: AuditExportQuery } },
    async (request, reply) => {
      const actor = requireAdmin(request);
      const { format, ...filters } = request.query;
      const rows = (await deps.audit.list(queryOf(actor, filters, MAX_EXPORT_ROWS))).map(presentAuditRow);
      await recordRead(deps, actor, originOf(request), AuditAction.auditExported, filters, rows.length);
      const stamp = new Date().toISOString().slice(0, 10);
      void reply.header('content-disposition', `attachment; filename="zegel-audit-${stamp}.${format}"`);
      if (format === 'json')
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(rows, null, 2));
      return reply.type('text/csv; charset=utf-8').send(toCsv(rows));
    },
  );
}
