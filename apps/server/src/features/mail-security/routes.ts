import {
  BulkCheck,
  BulkCheckRequest,
  CheckMailDomainRequest,
  IdParams,
  MailCheckHistoryPage,
  MailCheckHistoryQuery,
  MailDomainCheck,
  MailSecuritySettings,
  UpdateMailSecuritySettingsRequest,
} from '@zegel/protocol/api';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { originOf, requireAdmin } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { exportBulkCheckCsv, exportLatestChecksCsv, getBulkCheck, runBulkCheck } from './bulk-check.ts';
import { getMailSecuritySettings, updateMailSecuritySettings } from './delivery-setting.ts';
import { checkDomainForOrganisation, listCheckHistory } from './run-check.ts';

const admin = { access: 'admin' } as const;
const tags = ['admin', 'mail-security'];
const base = '/api/admin/mail-security';

/** Domain checks, history, bulk checks of partner lists and the direct-delivery setting (admins). */
export function registerMailSecurityRoutes(app: TypedApp, deps: Deps): void {
  app.post(
    `${base}/checks`,
    { config: admin, schema: { tags, body: CheckMailDomainRequest, response: { 200: MailDomainCheck } } },
    (request) => checkDomainForOrganisation(deps, requireAdmin(request), originOf(request), request.body),
  );

  app.get(
    `${base}/checks`,
    {
      config: admin,
      schema: { tags, querystring: MailCheckHistoryQuery, response: { 200: MailCheckHistoryPage } },
    },
    (request) => listCheckHistory(deps, requireAdmin(request), request.query),
  );

  app.post(
    `${base}/bulk`,
    { config: admin, schema: { tags, body: BulkCheckRequest, response: { 200: BulkCheck } } },
    (request) => runBulkCheck(deps, requireAdmin(request), originOf(request), request.body.csv),
  );

  app.get(
    `${base}/bulk/:id`,
    { config: admin, schema: { tags, params: IdParams, response: { 200: BulkCheck } } },
    (request) => getBulkCheck(deps, requireAdmin(request), request.params.id),
  );

  app.get(
    `${base}/bulk/:id.csv`,
    { config: admin, schema: { tags, params: IdParams } },
    async (request, reply) => {
      const csv = await exportBulkCheckCsv(deps, requireAdmin(request), originOf(request), request.params.id);
      return sendCsv(reply, `zegel-maildomeinen-${request.params.id.slice(0, 8)}.csv`, csv);
    },
  );

  app.get(`${base}/export.csv`, { config: admin, schema: { tags } }, async (request, reply) => {
    const csv = await exportLatestChecksCsv(deps, requireAdmin(request), originOf(request));
    return sendCsv(reply, `zegel-maildomeinen-${new Date().toISOString().slice(0, 10)}.csv`, csv);
  });

  app.get(
    `${base}/settings`,
    { config: admin, schema: { tags, response: { 200: MailSecuritySettings } } },
    (request) => getMailSecuritySettings(deps, requireAdmin(request)),
  );

  app.patch(
    `${base}/settings`,
    {
      config: admin,
      schema: { tags, body: UpdateMailSecuritySettingsRequest, response: { 200: MailSecuritySettings } },
    },
    (request) => updateMailSecuritySettings(deps, requireAdmin(request), originOf(request), request.body),
  );
}

function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  void reply.header('content-disposition', `attachment; filename="${filename}"`);
  return reply.type('text/csv; charset=utf-8').send(csv);
}
