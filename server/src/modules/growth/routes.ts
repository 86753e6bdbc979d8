// Growth's HTTP routes: shares and visits (public: an anonymous viewer shares and visits with the
// visitor key), sign-in linking, the shop's share analytics and invitation settings, my invitations.
// How the shop uses them: docs/growth.md.
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, MerchantParams, Pagination, Strict } from '../../platform/http/schemas.ts';
import {
  CreateShareBody,
  InvitationT,
  InviteSettingsBody,
  InviteSettingsT,
  LinkBody,
  RoomLiveT,
  ShareT,
  SpreadQuery,
  SpreadT,
  StatsQuery,
  StatsT,
  TokenParams,
  VisitBody,
  VisitT,
} from './schemas.ts';

const tags = ['growth'];
const security = [{ bearer: [] }];
const shopRoles = { merchant: ['merchant_owner', 'merchant_staff', 'anchor'] as const };
const writers = { merchant: ['merchant_owner', 'merchant_staff'] as const };

export function growthRoutes(app: Http, ctx: AppContext): void {
  const growth = () => ctx.services.growth;
  app.post(
    '/api/shares',
    {
      config: { access: 'public', rateLimit: { bucket: 'growth.shares', max: 60, windowSec: 60, by: 'ip' } },
      schema: {
        tags,
        summary:
          'Share a room, product, group-buy (group id), bargain, poster, promoter link or invitation (shop id): ' +
          'the token and the link; sharing the same thing again returns the same token. Anonymous: send visitorKey',
        body: CreateShareBody,
        response: { 201: ShareT, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await growth().shares.create(req.actor ?? null, req.body)),
  );
  app.get(
    '/api/shares/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'What a share token names',
        params: TokenParams,
        response: { 200: ShareT, ...errorResponses },
      },
    },
    async (req) => growth().shareByToken(req.params.token),
  );
  app.post(
    '/api/shares/:token/visits',
    {
      config: { access: 'public', rateLimit: { bucket: 'growth.visits', max: 120, windowSec: 60, by: 'ip' } },
      schema: {
        tags,
        summary:
          'A visit through a share (the shop page was opened with ?share=); with roomId, a room entry. ' +
          'Signed in with visitorKey: the device’s earlier touches are linked first. The sharer’s own visit is ignored',
        params: TokenParams,
        body: VisitBody,
        response: { 200: VisitT, ...errorResponses },
      },
    },
    async (req) => growth().touches.visit(req.actor ?? null, req.params.token, req.body),
  );
  app.post(
    '/api/me/share-visitor',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary:
          'After sign-in: this device’s anonymous share touches (and shares) become mine; a new account signs up',
        security,
        body: LinkBody,
        response: { 200: Type.Object({ linked: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => ({ linked: await growth().touches.link(req.body.visitorKey, req.actor!.userId) }),
  );
  app.get(
    '/api/me/shares',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'My shares, newest first',
        security,
        querystring: Strict({ merchantId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(ShareT), ...errorResponses },
      },
    },
    async (req) => growth().shares.mine(req.actor!.userId, req.query.merchantId),
  );
  app.get(
    '/api/me/invitations',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Invitations I sent and accepted, with my rewards',
        security,
        response: {
          200: Type.Object({ sent: Type.Array(InvitationT), received: Type.Array(InvitationT) }),
          ...errorResponses,
        },
      },
    },
    async (req) => growth().invitations.mine(req.actor!.userId),
  );
  shopRoutes(app, ctx);
}

function shopRoutes(app: Http, ctx: AppContext): void {
  const growth = () => ctx.services.growth;
  const base = '/api/merchants/:merchantId/growth';
  app.get(
    `${base}/shares`,
    {
      config: { access: shopRoles },
      schema: {
        tags,
        summary: 'Share analytics per share, sharer, room or product over a date range (default: the last 30 days)',
        security,
        params: MerchantParams,
        querystring: StatsQuery,
        response: { 200: StatsT, ...errorResponses },
      },
    },
    async (req) => growth().stats.report(req.actor!, req.params.merchantId, req.query),
  );
  app.get(
    `${base}/spread`,
    {
      config: { access: shopRoles },
      schema: {
        tags,
        summary: 'The spread tree (who reached whom, depth) and the fission coefficient K by level with its decay',
        security,
        params: MerchantParams,
        querystring: SpreadQuery,
        response: { 200: SpreadT, ...errorResponses },
      },
    },
    async (req) => growth().stats.spread(req.actor!, req.params.merchantId, req.query),
  );
  app.get(
    `${base}/rooms/:roomId/live`,
    {
      config: { access: shopRoles },
      schema: {
        tags,
        summary: 'A room’s share numbers (also in its live-metrics frame): shares, visits, attributed orders',
        security,
        params: Strict({ merchantId: IdParam, roomId: IdParam }),
        response: { 200: RoomLiveT, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.services.merchants.requireRole(req.actor!, req.params.merchantId);
      await ctx.services.live.requireOwnRoom(ctx.db, req.params.merchantId, req.params.roomId);
      return growth().roomLive(ctx.db, req.params.roomId);
    },
  );
  app.get(
    `${base}/invite-settings`,
    {
      config: { access: shopRoles },
      schema: {
        tags,
        summary: 'The invitation reward (邀请有礼) of the shop',
        security,
        params: MerchantParams,
        response: { 200: InviteSettingsT, ...errorResponses },
      },
    },
    async (req) => growth().invitations.settings(req.actor!, req.params.merchantId),
  );
  app.put(
    `${base}/invite-settings`,
    {
      config: { access: writers },
      schema: {
        tags,
        summary:
          'Set the invitation reward: coupon templates of the shop (channel "invite") and/or points, for the ' +
          'inviter and the new shopper; granted on the new shopper’s first paid order (INVITE_COUPON_CHANNEL)',
        security,
        params: MerchantParams,
        body: InviteSettingsBody,
        response: { 200: InviteSettingsT, ...errorResponses },
      },
    },
    async (req) => growth().invitations.configure(req.actor!, req.params.merchantId, req.body),
  );
  app.get(
    `${base}/invitations`,
    {
      config: { access: shopRoles },
      schema: {
        tags,
        summary: 'The shop’s invitations with their rewards, newest first',
        security,
        params: MerchantParams,
        querystring: Pagination,
        response: { 200: Type.Array(InvitationT), ...errorResponses },
      },
    },
    async (req) =>
      growth().invitations.forShop(req.actor!, req.params.merchantId, {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );
}
