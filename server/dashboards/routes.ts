import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parsePeriodKey } from '../../shared/domain/periods.ts';
import { shanghaiDate } from '../../shared/domain/rectification.ts';
import { translate } from '../../shared/i18n/index.ts';
import { type Period, periodContaining, previousPeriod } from '../../shared/quality/compliance.ts';
import { idParams } from '../../shared/schemas/common.ts';
import {
  accessLogPage,
  accessLogQuery,
  branchDashboard as branchDashboardSchema,
  committeeDashboard as committeeDashboardSchema,
  periodQuery,
  quarterQuery,
} from '../../shared/schemas/dashboards.ts';
import { authorize } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { badRequest } from '../http/errors.ts';
import { requestLocale } from '../http/locale.ts';
import { contentDisposition } from '../minutes/attachments.ts';
import { listAccessLog, recordView } from './access-log.ts';
import { branchContext, branchDashboard } from './branch.ts';
import { committeeDashboard } from './committee.ts';
import { branchAggregatesCsv, committeeAggregatesCsv, ledgerWorkbook } from './exports.ts';
import { authorizeBranchDashboard, authorizeCommitteeDashboard, viewerScope } from './scope.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Today in the branches' calendar, and the period asked for (the current quarter by default). */
function when(key: string | undefined) {
  const asOf = shanghaiDate(new Date());
  const period: Period = key ? parsePeriodKey(key)! : periodContaining(asOf, 'quarter');
  return { asOf, period };
}

function sendFile(reply: FastifyReply, type: string, fileName: string, body: Buffer) {
  return reply
    .type(type)
    .header('content-disposition', contentDisposition(fileName))
    .header('cache-control', 'private, no-store')
    .send(body);
}

/**
 * The branch and committee dashboards, the printable quarterly report, the exports (ledger XLSX,
 * aggregates CSV) and the committee's access log. Every look from a committee at a branch's or its
 * own figures is written to the access log after the figures were built.
 */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['dashboards'];

  app.get(
    '/api/organizations/:id/dashboard',
    {
      schema: { tags, params: idParams, querystring: periodQuery, response: { 200: branchDashboardSchema } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const branch = await authorizeBranchDashboard(app.db, principal, request.params.id);
      const context = await branchContext(app.db, branch.id, viewerScope(principal, branch.id));
      const { asOf, period } = when(request.query.period);
      const result = await branchDashboard(app.db, context, period, asOf);
      if (context.scope === 'committee')
        await recordView(app.db, principal.accountId, branch.id, 'branchDashboard');
      return result;
    },
  );

  app.get(
    '/api/organizations/:id/committee-dashboard',
    {
      schema: {
        tags,
        params: idParams,
        querystring: periodQuery,
        response: { 200: committeeDashboardSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const committee = await authorizeCommitteeDashboard(app.db, principal, request.params.id);
      const { asOf, period } = when(request.query.period);
      const result = await committeeDashboard(app.db, committee, period, asOf);
      await recordView(app.db, principal.accountId, committee.id, 'committeeDashboard');
      return result;
    },
  );

  app.get(
    '/api/organizations/:id/quarterly-report',
    {
      schema: {
        tags,
        params: idParams,
        querystring: quarterQuery,
        response: { 200: committeeDashboardSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const committee = await authorizeCommitteeDashboard(app.db, principal, request.params.id);
      const asOf = shanghaiDate(new Date());
      // A quarterly report is written after the quarter: by default the last one that has ended.
      const period = request.query.period
        ? parsePeriodKey(request.query.period)!
        : previousPeriod(periodContaining(asOf, 'quarter'));
      const result = await committeeDashboard(app.db, committee, period, asOf);
      await recordView(app.db, principal.accountId, committee.id, 'quarterlyReport');
      return result;
    },
  );

  app.get(
    '/api/organizations/:id/dashboard-access-log',
    { schema: { tags, params: idParams, querystring: accessLogQuery, response: { 200: accessLogPage } } },
    async (request) => {
      const committee = await authorizeCommitteeDashboard(
        app.db,
        requirePrincipal(request),
        request.params.id,
      );
      return listAccessLog(app.db, committee.id, request.query);
    },
  );

  app.get(
    '/api/organizations/:id/exports/ledger',
    { schema: { tags, params: idParams, querystring: periodQuery, produces: [xlsxType] } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const branch = await authorizeBranchDashboard(app.db, principal, request.params.id);
      const context = await branchContext(app.db, branch.id, viewerScope(principal, branch.id));
      const { asOf, period } = when(request.query.period);
      const locale = requestLocale(request);
      const dashboard = await branchDashboard(app.db, context, period, asOf);
      const workbook = await ledgerWorkbook(app.db, context, dashboard, locale);
      if (context.scope === 'committee')
        await recordView(app.db, principal.accountId, branch.id, 'ledgerExport');
      const name = translate(locale, 'dashboard.ledger.fileName', {
        name: branch.name,
        period: dashboard.period.key,
      });
      return sendFile(reply, xlsxType, `${name}.xlsx`, workbook);
    },
  );

  app.get(
    '/api/organizations/:id/exports/aggregates',
    { schema: { tags, params: idParams, querystring: periodQuery, produces: ['text/csv'] } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const organization = await authorize(app.db, principal, 'dashboard.view', request.params.id);
      const { asOf, period } = when(request.query.period);
      const locale = requestLocale(request);
      let body: Buffer;
      let key: string;
      if (organization.kind === 'partyBranch') {
        const context = await branchContext(app.db, organization.id, viewerScope(principal, organization.id));
        const dashboard = await branchDashboard(app.db, context, period, asOf);
        body = branchAggregatesCsv(dashboard, locale);
        key = dashboard.period.key;
        if (context.scope === 'committee') {
          await recordView(app.db, principal.accountId, organization.id, 'aggregatesExport');
        }
      } else if (organization.kind === 'partyGroup') {
        throw badRequest('dashboard.notABranch');
      } else {
        const dashboard = await committeeDashboard(app.db, organization, period, asOf);
        body = committeeAggregatesCsv(dashboard, locale);
        key = dashboard.period.key;
        await recordView(app.db, principal.accountId, organization.id, 'aggregatesExport');
      }
      const name = translate(locale, 'dashboard.csv.fileName', { name: organization.name, period: key });
      return sendFile(reply, 'text/csv; charset=utf-8', `${name}.csv`, body);
    },
  );
};
