// The shop's side (/api/merchants/:merchantId/distribution/...): promoters (invite, approve/reject/
// suspend, level and recruiter), commissions, withdrawals with approval, and a ranking. Settings,
// levels and per-product rates are in routes-shop-config.ts. Reads for any member; changes for owners and staff.
import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, MerchantParams, Page, Strict } from '../../platform/http/schemas.ts';
import { promoterView, type PromoterAction } from './promoter-service.ts';
import {
  CommissionQuery,
  CommissionT,
  DecisionBody,
  InviteBody,
  PromoterPatch,
  PromoterQuery,
  PromoterT,
  RankingQuery,
  RankingT,
  RejectBody,
  security,
  WithdrawalQuery,
  WithdrawalT,
} from './schemas.ts';
import type { CommissionStatus, PromoterStatus, WithdrawalStatus } from './tables.ts';

type P = { merchantId: number; levelId: number; productId: number; promoterId: number; withdrawalId: number };
type PageQ = { page?: number; pageSize?: number };
const paging = <Q extends PageQ>(q: Q) => ({ ...q, page: q.page ?? 1, pageSize: q.pageSize ?? 20 });
const params = (extra: Record<string, typeof IdParam> = {}) => Strict({ merchantId: IdParam, ...extra });

export function shopRoutes(app: Http, ctx: AppContext): void {
  const s = ctx.services;
  const base = '/api/merchants/:merchantId/distribution';
  const tags = ['distribution'];
  const read = { access: ANY_MEMBER };
  const write = { access: OPERATORS };

  app.get(`${base}/promoters`, {
    config: read,
    schema: {
      tags,
      summary: "The shop's promoters and applications",
      security,
      params: MerchantParams,
      querystring: PromoterQuery,
      response: { 200: Page(PromoterT), ...errorResponses },
    },
    handler: (req) =>
      s.promoters.list(
        req.actor!,
        (req.params as P).merchantId,
        paging(req.query as PageQ & { status?: PromoterStatus }),
      ),
  });
  app.post(`${base}/promoters/invite`, {
    config: write,
    schema: {
      tags,
      summary: "Invite one of the shop's customers to be a promoter (CUSTOMER_NOT_FOUND, PROMOTER_EXISTS)",
      security,
      params: MerchantParams,
      body: InviteBody,
      response: { 200: PromoterT, ...errorResponses },
    },
    handler: async (req) =>
      promoterView(
        await s.promoters.invite(req.actor!, (req.params as P).merchantId, (req.body as { userId: number }).userId),
      ),
  });
  app.post(`${base}/promoters/:promoterId/decision`, {
    config: write,
    schema: {
      tags,
      summary: 'Approve, reject, suspend or reinstate a promoter (PROMOTER_STATE)',
      security,
      params: params({ promoterId: IdParam }),
      body: DecisionBody,
      response: { 200: PromoterT, ...errorResponses },
    },
    handler: async (req) => {
      const p = req.params as P;
      const { action } = req.body as { action: PromoterAction };
      return promoterView(await s.promoters.decide(req.actor!, p.merchantId, p.promoterId, action));
    },
  });
  app.patch(`${base}/promoters/:promoterId`, {
    config: write,
    schema: {
      tags,
      summary: "A promoter's level and recruiter (a recruit's recruit is DISTRIBUTION_MAX_TWO_LEVELS)",
      security,
      params: params({ promoterId: IdParam }),
      body: PromoterPatch,
      response: { 200: PromoterT, ...errorResponses },
    },
    handler: async (req) => {
      const p = req.params as P;
      return promoterView(await s.promoters.update(req.actor!, p.merchantId, p.promoterId, req.body as never));
    },
  });

  app.get(`${base}/commissions`, {
    config: read,
    schema: {
      tags,
      summary: 'Commissions by order, tier and state',
      security,
      params: MerchantParams,
      querystring: CommissionQuery,
      response: { 200: Page(CommissionT), ...errorResponses },
    },
    handler: (req) =>
      s.commissionReads.listForShop(
        req.actor!,
        (req.params as P).merchantId,
        paging(req.query as PageQ & { status?: CommissionStatus; promoterId?: number }),
      ),
  });
  app.get(`${base}/withdrawals`, {
    config: read,
    schema: {
      tags,
      summary: 'Withdrawals by state',
      security,
      params: MerchantParams,
      querystring: WithdrawalQuery,
      response: { 200: Page(WithdrawalT), ...errorResponses },
    },
    handler: (req) =>
      s.withdrawals.listForShop(
        req.actor!,
        (req.params as P).merchantId,
        paging(req.query as PageQ & { status?: WithdrawalStatus }),
      ),
  });
  app.post(`${base}/withdrawals/:withdrawalId/approve`, {
    config: { access: { merchant: ['merchant_owner'] } },
    schema: {
      tags,
      summary: 'Approve a withdrawal: it is paid out (商家转账到零钱) by a job (WITHDRAWAL_STATE)',
      security,
      params: params({ withdrawalId: IdParam }),
      response: { 200: WithdrawalT, ...errorResponses },
    },
    handler: (req) => {
      const p = req.params as P;
      return s.withdrawals.approve(req.actor!, p.merchantId, p.withdrawalId);
    },
  });
  app.post(`${base}/withdrawals/:withdrawalId/reject`, {
    config: write,
    schema: {
      tags,
      summary: 'Reject a withdrawal: the money goes back to the balance (WITHDRAWAL_STATE)',
      security,
      params: params({ withdrawalId: IdParam }),
      body: RejectBody,
      response: { 200: WithdrawalT, ...errorResponses },
    },
    handler: (req) => {
      const p = req.params as P;
      return s.withdrawals.reject(req.actor!, p.merchantId, p.withdrawalId, (req.body as { note?: string }).note ?? '');
    },
  });
  app.get(`${base}/ranking`, {
    config: read,
    schema: {
      tags,
      summary: 'Promoters ranked by commission earned (after refunds) in the last days',
      security,
      params: MerchantParams,
      querystring: RankingQuery,
      response: { 200: Type.Array(RankingT), ...errorResponses },
    },
    handler: (req) => {
      const q = req.query as { days?: number; limit?: number };
      return s.commissionReads.ranking(req.actor!, (req.params as P).merchantId, {
        days: q.days ?? 30,
        limit: q.limit ?? 20,
      });
    },
  });
}
