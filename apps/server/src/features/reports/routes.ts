import {
  MeldpuntImportRequest,
  MeldpuntList,
  RouteReportRequest,
  RouteReportResponse,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/request-context.ts';
import { originOf, requireAdmin } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { exportMeldpunten, importMeldpunten, listMeldpunten } from './directory.ts';
import { routeReport } from './routing.ts';

/** Police care reports: the meldpunt directory (admin) and routing a report (staff). */
export function registerReportRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/admin/reports/meldpunten',
    { config: { access: 'admin' }, schema: { tags: ['reports'], response: { 200: MeldpuntList } } },
    (request) => listMeldpunten(deps, requireAdmin(request)),
  );
  app.get(
    '/api/admin/reports/meldpunten.csv',
    { config: { access: 'admin' }, schema: { tags: ['reports'] } },
    async (request, reply) => {
      const csv = await exportMeldpunten(deps, requireAdmin(request));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="meldpunten.csv"')
        .send(csv);
    },
  );
  app.post(
    '/api/admin/reports/meldpunten/import',
    {
      config: { access: 'admin' },
      schema: { tags: ['reports'], body: MeldpuntImportRequest, response: { 200: MeldpuntList } },
    },
    (request) => importMeldpunten(deps, requireAdmin(request), request.body.csv, originOf(request)),
  );
  app.post(
    '/api/reports/route',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['reports'], body: RouteReportRequest, response: { 200: RouteReportResponse } },
    },
    (request) => routeReport(deps, actorOf(request), request.body, originOf(request)),
  );
}
