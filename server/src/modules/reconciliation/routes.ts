import { Type } from 'typebox';
import { OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, MerchantParams, Page, Strict } from '../../platform/http/schemas.ts';
import {
  CheckOutcomeT,
  CheckT,
  PlatformRunListQuery,
  ReportT,
  RunListQuery,
  RunT,
  StartPlatformRunBody,
  StartShopRunBody,
} from './schemas.ts';

const security = [{ bearer: [] }];
const tags = ['reconciliation'];
const run = Type.Ref('ReconciliationRun');
const report = Type.Ref('ReconciliationReport');
const started = Type.Object({ run, checks: Type.Array(CheckOutcomeT) });
const RunParams = Strict({ runId: IdParam });
const ShopRunParams = Strict({ merchantId: IdParam, runId: IdParam });
/** "Run now" with no body at all means everything up to now, like an empty object. */
const emptyBodyIsEmptyObject = async (req: { body: unknown }) => {
  req.body ??= {};
};
const paging = (q: { page?: number; pageSize?: number }) => ({ page: q.page ?? 1, pageSize: q.pageSize ?? 20 });

export function reconciliationRoutes(app: Http, ctx: AppContext): void {
  const svc = ctx.services.reconciliation;
  app.addSchema(RunT);
  app.addSchema(ReportT);

  // ---- platform operators: every shop ----
  app.get(
    '/api/platform/reconciliation/checks',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: 'Every registered reconciliation check',
        response: { 200: Type.Array(CheckT), ...errorResponses },
      },
    },
    async () => svc.checks(),
  );

  app.get(
    '/api/platform/reconciliation/runs',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: 'Reconciliation runs, newest first (all shops, or one)',
        querystring: PlatformRunListQuery,
        response: { 200: Page(run), ...errorResponses },
      },
    },
    async (req) => svc.listForPlatform(req.actor!, { merchantId: req.query.merchantId, ...paging(req.query) }),
  );

  app.post(
    '/api/platform/reconciliation/runs',
    {
      config: { access: 'platform_admin' },
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags,
        security,
        summary: 'Start a run now (queued; the same scope and range already under way is returned instead)',
        body: StartPlatformRunBody,
        response: { 202: started, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.startForPlatform(req.actor!, req.body)),
  );

  app.get(
    '/api/platform/reconciliation/runs/:runId',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: "A run's report: every check, every discrepancy with the rows involved",
        params: RunParams,
        response: { 200: report, ...errorResponses },
      },
    },
    async (req) => svc.reportForPlatform(req.actor!, req.params.runId),
  );

  // ---- a shop: its own books ----
  app.get(
    '/api/merchants/:merchantId/reconciliation/runs',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: "The shop's reconciliation runs and the platform's daily runs, counted for this shop",
        params: MerchantParams,
        querystring: RunListQuery,
        response: { 200: Page(run), ...errorResponses },
      },
    },
    async (req) => svc.listForShop(req.actor!, req.params.merchantId, paging(req.query)),
  );

  app.post(
    '/api/merchants/:merchantId/reconciliation/runs',
    {
      config: { access: OPERATORS },
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags,
        security,
        summary: "Reconcile the shop's books now (queued; the same range already under way is returned instead)",
        params: MerchantParams,
        body: StartShopRunBody,
        response: { 202: started, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.startForShop(req.actor!, req.params.merchantId, req.body)),
  );

  app.get(
    '/api/merchants/:merchantId/reconciliation/runs/:runId',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: "A run's report for this shop: its discrepancies with the rows involved",
        params: ShopRunParams,
        response: { 200: report, ...errorResponses },
      },
    },
    async (req) => svc.reportForShop(req.actor!, req.params.merchantId, req.params.runId),
  );
}
