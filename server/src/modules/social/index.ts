// Social: favourites (收藏) and follows (关注).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { Module } from '../../platform/context.ts';
import { DateTime, errorResponses, IdParam, Strict } from '../../platform/http/schemas.ts';
import { SocialService } from './social-service.ts';
import { SOCIAL_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    social: SocialService;
  }
}

const security = [{ bearer: [] }];
const SavedProduct = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  title: Type.String(),
  coverUrl: Type.Union([Type.String(), Type.Null()]),
  minPriceFen: Type.Integer(),
  maxPriceFen: Type.Integer(),
  originalPriceFen: Type.Integer(),
  onShelf: Type.Boolean(),
  stock: Type.Integer(),
  sales: Type.Integer(),
});

export const socialModule: Module = {
  name: 'social',
  events: SOCIAL_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.social = new SocialService(ctx);
  },
  routes(app, ctx) {
    const social = ctx.services.social;
    for (const [method, on] of [
      ['PUT', true],
      ['DELETE', false],
    ] as const) {
      app.route({
        method,
        url: '/api/me/favourites/:productId',
        config: { access: 'user' },
        schema: {
          tags: ['social'],
          summary: on ? 'Save a product (收藏)' : 'Remove a saved product',
          security,
          params: Strict({ productId: IdParam }),
          response: { 200: Type.Object({ favourite: Type.Boolean() }), ...errorResponses },
        },
        handler: async (req) =>
          social.favourite(req.actor!.userId, (req.params as { productId: number }).productId, on),
      });
      app.route({
        method,
        url: '/api/me/follows/:merchantId',
        config: { access: 'user' },
        schema: {
          tags: ['social'],
          summary: on ? 'Follow a shop (关注)' : 'Unfollow a shop',
          security,
          params: Strict({ merchantId: IdParam }),
          response: { 200: Type.Object({ following: Type.Boolean(), followers: Type.Integer() }), ...errorResponses },
        },
        handler: async (req) => social.follow(req.actor!.userId, (req.params as { merchantId: number }).merchantId, on),
      });
    }
    app.get(
      '/api/me/favourites',
      {
        config: { access: 'user' },
        schema: {
          tags: ['social'],
          summary: 'My saved products',
          security,
          response: { 200: Type.Array(SavedProduct), ...errorResponses },
        },
      },
      async (req) => social.favourites(req.actor!.userId),
    );
    app.get(
      '/api/me/follows',
      {
        config: { access: 'user' },
        schema: {
          tags: ['social'],
          summary: 'Shops I follow',
          security,
          response: {
            200: Type.Array(
              Type.Object({
                merchantId: Type.Integer(),
                name: Type.String(),
                logoUrl: Type.Union([Type.String(), Type.Null()]),
                since: DateTime,
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (req) => social.follows(req.actor!.userId),
    );
    app.get(
      '/api/merchants/:merchantId/followers',
      {
        config: { access: 'public' },
        schema: {
          tags: ['social'],
          summary: "A shop's follower count, and whether I follow it",
          params: Strict({ merchantId: IdParam }),
          response: { 200: Type.Object({ followers: Type.Integer(), following: Type.Boolean() }), ...errorResponses },
        },
      },
      async (req) => ({
        followers: await social.followers(req.params.merchantId),
        following: req.actor ? await social.isFollowing(req.actor.userId, req.params.merchantId) : false,
      }),
    );
    app.get(
      '/api/products/:productId/favourite',
      {
        config: { access: 'user' },
        schema: {
          tags: ['social'],
          summary: 'Whether I saved this product',
          security,
          params: Strict({ productId: IdParam }),
          response: { 200: Type.Object({ favourite: Type.Boolean() }), ...errorResponses },
        },
      },
      async (req) => ({ favourite: await social.isFavourite(req.actor!.userId, req.params.productId) }),
    );
  },
};
