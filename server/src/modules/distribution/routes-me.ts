// The shopper's side (/api/me/distribution/...): apply or accept an invitation, and the promoter
// centre of one shop: overview with earnings by state, customers, commissioned orders, ledger, withdrawals.
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, MerchantParams, Page } from '../../platform/http/schemas.ts';
import {
  ApplyBody,
  CentreT,
  CommissionT,
  CustomerT,
  LedgerT,
  MyCommissionQuery,
  PageQuery,
  PromoterT,
  security,
  WithdrawalT,
  WithdrawBody,
} from './schemas.ts';
import { promoterView } from './promoter-service.ts';
import type { CommissionStatus } from './tables.ts';

type ShopParams = { merchantId: number };
type PageQ = { page?: number; pageSize?: number };
const paging = (q: PageQ) => [q.page ?? 1, q.pageSize ?? 20] as const;

export function meRoutes(app: Http, ctx: AppContext): void {
  const { promoters, promoterCentre: centre, withdrawals } = ctx.services;
  const base = '/api/me/distribution/merchants/:merchantId';
  const tags = ['distribution'];
  const me = (req: { actor?: { userId: number } | undefined }) => req.actor!.userId;

  app.get('/api/me/distribution', {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'The shops I am (or applied to be) a promoter of',
      security,
      response: { 200: Type.Array(PromoterT), ...errorResponses },
    },
    handler: (req) => promoters.mine(me(req)),
  });
  app.post(`${base}/apply`, {
    config: { access: 'user', rateLimit: { bucket: 'distribution-apply', max: 10, windowSec: 60, by: 'user' } },
    schema: {
      tags,
      summary:
        "Apply to be the shop's promoter (推广员), optionally under a recruiter (RECRUITER_NOT_PROMOTER, " +
        'DISTRIBUTION_MAX_TWO_LEVELS when the recruiter is a recruit, PROMOTER_EXISTS)',
      security,
      params: MerchantParams,
      body: ApplyBody,
      response: { 200: PromoterT, ...errorResponses },
    },
    handler: async (req) => {
      const { merchantId } = req.params as ShopParams;
      return promoterView(await promoters.apply(me(req), merchantId, req.body as { recruiterUserId?: number }));
    },
  });
  app.post(`${base}/accept`, {
    config: { access: 'user' },
    schema: {
      tags,
      summary: "Accept the shop's invitation to be its promoter (PROMOTER_INVITE_NOT_FOUND)",
      security,
      params: MerchantParams,
      response: { 200: PromoterT, ...errorResponses },
    },
    handler: async (req) => {
      return promoterView(await promoters.acceptInvite(me(req), (req.params as ShopParams).merchantId));
    },
  });
  app.get(base, {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'My promoter centre in the shop: status, link, customers and earnings by state (PROMOTER_NOT_FOUND)',
      security,
      params: MerchantParams,
      response: { 200: CentreT, ...errorResponses },
    },
    handler: (req) => centre.overview(me(req), (req.params as ShopParams).merchantId),
  });
  app.get(`${base}/customers`, {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'Customers bound to me in the shop',
      security,
      params: MerchantParams,
      querystring: PageQuery,
      response: { 200: Page(CustomerT), ...errorResponses },
    },
    handler: (req) => centre.customers(me(req), (req.params as ShopParams).merchantId, ...paging(req.query as PageQ)),
  });
  app.get(`${base}/commissions`, {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'Orders I earn commission on in the shop, by state',
      security,
      params: MerchantParams,
      querystring: MyCommissionQuery,
      response: { 200: Page(CommissionT), ...errorResponses },
    },
    handler: (req) => {
      const q = req.query as PageQ & { status?: CommissionStatus };
      const [page, pageSize] = paging(q);
      return centre.commissions(me(req), (req.params as ShopParams).merchantId, { ...q, page, pageSize });
    },
  });
  app.get(`${base}/ledger`, {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'My balance entries in the shop (settled commissions, reversals, withdrawals)',
      security,
      params: MerchantParams,
      querystring: PageQuery,
      response: { 200: Type.Array(LedgerT), ...errorResponses },
    },
    handler: (req) => centre.ledger(me(req), (req.params as ShopParams).merchantId, ...paging(req.query as PageQ)),
  });
  app.get(`${base}/withdrawals`, {
    config: { access: 'user' },
    schema: {
      tags,
      summary: 'My withdrawals from the shop',
      security,
      params: MerchantParams,
      querystring: PageQuery,
      response: { 200: Page(WithdrawalT), ...errorResponses },
    },
    handler: (req) => centre.withdrawals(me(req), (req.params as ShopParams).merchantId, ...paging(req.query as PageQ)),
  });
  app.post(`${base}/withdrawals`, {
    config: { access: 'user', rateLimit: { bucket: 'distribution-withdraw', max: 100, windowSec: 60, by: 'user' } },
    schema: {
      tags,
      summary:
        'Withdraw from my settled balance (WITHDRAWAL_INSUFFICIENT_BALANCE, WITHDRAWAL_BELOW_MINIMUM); ' +
        'the same idempotencyKey answers the first request',
      security,
      params: MerchantParams,
      body: WithdrawBody,
      response: { 200: WithdrawalT, ...errorResponses },
    },
    handler: (req) =>
      withdrawals.request(
        me(req),
        (req.params as ShopParams).merchantId,
        req.body as { amountFen: number; idempotencyKey: string },
      ),
  });
}
