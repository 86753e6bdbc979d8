// Search routes: the shopper's search box (products + rooms), hot words, their history, and the
// shop's synonym groups (console).
import { Type } from 'typebox';
import type { AppContext, Http } from '../../../platform/context.ts';
import { ANY_MEMBER, OPERATORS } from '../../../platform/auth/access.ts';
import { DateTime, errorResponses, IdParam, Nullable, Ok, Pagination, Strict } from '../../../platform/http/schemas.ts';

const security = [{ bearer: [] }];

const RoomHitT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  title: Type.String(),
  coverUrl: Nullable(Type.String()),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('ended')]),
  scheduledAt: Nullable(DateTime),
});

const SearchResultT = Type.Object({
  query: Type.String(),
  words: Type.Array(Type.String(), { description: 'The query as segmented (jieba)' }),
  fuzzy: Type.Boolean({ description: 'Nothing matched every word: these are near misses' }),
  products: Type.Object({
    items: Type.Array(Type.Intersect([Type.Ref('ProductSummary'), Type.Object({ onAir: Type.Boolean() })])),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  }),
  rooms: Type.Array(RoomHitT),
});

const SynonymGroupT = Type.Object({ id: Type.Integer(), words: Type.Array(Type.String()), createdAt: DateTime });

export function searchRoutes(app: Http, ctx: AppContext): void {
  const { search, searchSynonyms } = ctx.services;

  app.get(
    '/api/search',
    {
      config: { access: 'public', rateLimit: { bucket: 'catalog.search', max: 120, windowSec: 60, by: 'ip' } },
      schema: {
        tags: ['catalog'],
        summary:
          'Search products and rooms: Chinese words (jieba) with synonyms, a typo-tolerant fallback, goods on air ' +
          'and in stock first; logged for hot words and, when signed in, the shopper history (MERCHANT_NOT_FOUND)',
        querystring: Type.Object(
          {
            ...Pagination.properties,
            q: Type.String({ minLength: 1, maxLength: 60 }),
            merchantId: Type.Optional(IdParam),
          },
          { additionalProperties: false },
        ),
        response: { 200: SearchResultT, ...errorResponses },
      },
    },
    async (req) =>
      search.search({
        q: req.query.q,
        merchantId: req.query.merchantId,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        userId: req.actor?.userId ?? null,
      }),
  );

  app.get(
    '/api/search/hot',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: "Hot words: what shoppers searched most this week (a shop's own searches with merchantId)",
        querystring: Strict({ merchantId: Type.Optional(IdParam) }),
        response: { 200: Type.Array(Type.String()), ...errorResponses },
      },
    },
    async (req) => search.hotWords(req.query.merchantId),
  );

  app.get(
    '/api/me/search-history',
    {
      config: { access: 'user' },
      schema: {
        tags: ['catalog'],
        summary: 'My recent searches, newest first',
        security,
        response: { 200: Type.Array(Type.String()), ...errorResponses },
      },
    },
    async (req) => search.history(req.actor!.userId),
  );

  app.delete(
    '/api/me/search-history',
    {
      config: { access: 'user' },
      schema: {
        tags: ['catalog'],
        summary: 'Clear my search history',
        security,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await search.clearHistory(req.actor!.userId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/merchants/:merchantId/search/synonyms',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['catalog'],
        summary: "The shop's synonym groups (the platform's own groups apply too)",
        security,
        params: Strict({ merchantId: IdParam }),
        response: { 200: Type.Array(SynonymGroupT), ...errorResponses },
      },
    },
    async (req) => searchSynonyms.list(req.actor!, req.params.merchantId),
  );

  app.post(
    '/api/merchants/:merchantId/search/synonyms',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['catalog'],
        summary:
          'Add a synonym group: any of its words finds products with the others, in this shop only ' +
          '(SYNONYM_TOO_FEW_WORDS, SYNONYM_WORD_INVALID, SYNONYM_LIMIT_REACHED)',
        security,
        params: Strict({ merchantId: IdParam }),
        body: Strict({
          words: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 2, maxItems: 10 }),
        }),
        response: { 201: SynonymGroupT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await searchSynonyms.add(req.actor!, req.params.merchantId, req.body.words)),
  );

  app.delete(
    '/api/merchants/:merchantId/search/synonyms/:synonymId',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['catalog'],
        summary: 'Remove a synonym group',
        security,
        params: Strict({ merchantId: IdParam, synonymId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await searchSynonyms.remove(req.actor!, req.params.merchantId, req.params.synonymId);
      return { ok: true as const };
    },
  );
}
