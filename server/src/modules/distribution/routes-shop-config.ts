// The shop's distribution configuration (/api/merchants/:merchantId/distribution/...): settings,
// promoter levels and per-product rates. Reads for any member; changes for owners and staff.
import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, MerchantParams, Ok, Strict } from '../../platform/http/schemas.ts';
import { LevelBody, LevelPatch, LevelT, Rates, RuleT, security, SettingsBody, SettingsT } from './schemas.ts';

type P = { merchantId: number; levelId: number; productId: number };
const params = (extra: Record<string, typeof IdParam> = {}) => Strict({ merchantId: IdParam, ...extra });

export function shopConfigRoutes(app: Http, ctx: AppContext): void {
  const s = ctx.services;
  const base = '/api/merchants/:merchantId/distribution';
  const tags = ['distribution'];
  const read = { access: ANY_MEMBER };
  const write = { access: OPERATORS };

  app.get(`${base}/settings`, {
    config: read,
    schema: {
      tags,
      summary: 'Distribution settings',
      security,
      params: MerchantParams,
      response: { 200: SettingsT, ...errorResponses },
    },
    handler: (req) => s.distributionSettings.get(req.actor!, (req.params as P).merchantId),
  });
  app.put(`${base}/settings`, {
    config: write,
    schema: {
      tags,
      summary:
        'Change distribution settings: levels and rates (a third level is DISTRIBUTION_MAX_TWO_LEVELS), binding ' +
        'period and first/last wins, self-purchase, auto-approval, least withdrawal',
      security,
      params: MerchantParams,
      body: SettingsBody,
      response: { 200: SettingsT, ...errorResponses },
    },
    handler: (req) => s.distributionSettings.update(req.actor!, (req.params as P).merchantId, req.body as never),
  });

  app.get(`${base}/levels`, {
    config: read,
    schema: {
      tags,
      summary: 'Promoter levels',
      security,
      params: MerchantParams,
      response: { 200: Type.Array(LevelT), ...errorResponses },
    },
    handler: (req) => s.distributionSettings.levels(req.actor!, (req.params as P).merchantId),
  });
  app.post(`${base}/levels`, {
    config: write,
    schema: {
      tags,
      summary: 'Add a promoter level (普通/高级) with its rates (DISTRIBUTION_LEVEL_EXISTS)',
      security,
      params: MerchantParams,
      body: LevelBody,
      response: { 201: LevelT, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return s.distributionSettings.createLevel(req.actor!, (req.params as P).merchantId, req.body as never);
    },
  });
  app.patch(`${base}/levels/:levelId`, {
    config: write,
    schema: {
      tags,
      summary: 'Change a promoter level',
      security,
      params: params({ levelId: IdParam }),
      body: LevelPatch,
      response: { 200: LevelT, ...errorResponses },
    },
    handler: (req) => {
      const p = req.params as P;
      return s.distributionSettings.updateLevel(req.actor!, p.merchantId, p.levelId, req.body as never);
    },
  });
  app.delete(`${base}/levels/:levelId`, {
    config: write,
    schema: {
      tags,
      summary: 'Remove a promoter level nobody is at (DISTRIBUTION_LEVEL_IN_USE)',
      security,
      params: params({ levelId: IdParam }),
      response: { 200: Ok, ...errorResponses },
    },
    handler: async (req) => {
      const p = req.params as P;
      await s.distributionSettings.deleteLevel(req.actor!, p.merchantId, p.levelId);
      return { ok: true as const };
    },
  });

  app.get(`${base}/rules`, {
    config: read,
    schema: {
      tags,
      summary: 'Per-product commission rates',
      security,
      params: MerchantParams,
      response: { 200: Type.Array(RuleT), ...errorResponses },
    },
    handler: (req) => s.distributionSettings.rules(req.actor!, (req.params as P).merchantId),
  });
  app.put(`${base}/rules/:productId`, {
    config: write,
    schema: {
      tags,
      summary: "A product's own commission rates, over the levels' and the shop's (PRODUCT_NOT_IN_SHOP)",
      security,
      params: params({ productId: IdParam }),
      body: Strict({ rates: Rates }),
      response: { 200: RuleT, ...errorResponses },
    },
    handler: (req) => {
      const p = req.params as P;
      return s.distributionSettings.putRule(
        req.actor!,
        p.merchantId,
        p.productId,
        (req.body as { rates: number[] }).rates,
      );
    },
  });
  app.delete(`${base}/rules/:productId`, {
    config: write,
    schema: {
      tags,
      summary: "Remove a product's own rates",
      security,
      params: params({ productId: IdParam }),
      response: { 200: Ok, ...errorResponses },
    },
    handler: async (req) => {
      const p = req.params as P;
      await s.distributionSettings.deleteRule(req.actor!, p.merchantId, p.productId);
      return { ok: true as const };
    },
  });
}
