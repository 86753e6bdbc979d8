import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { errorResponses, IdParam, MerchantParams, Ok, Page, Pagination, Strict } from '../../platform/http/schemas.ts';
import { storeUpload } from '../../platform/storage/uploads.ts';
import { parseIfMatch, productEtag } from './product-rules.ts';
import { CategoryNodeT, ProductDetailT, ProductInputT, ProductStatusT, ProductSummaryT } from './schemas.ts';

const security = [{ bearer: [] }];
const ProductParams = Strict({ merchantId: IdParam, productId: IdParam });
const MAX_IMAGE = 10 * 1024 * 1024;
const MAX_VIDEO = 300 * 1024 * 1024;

export async function catalogRoutes(app: Http, ctx: AppContext): Promise<void> {
  const { catalog, products, categories } = ctx.services;
  app.addSchema(ProductSummaryT);
  app.addSchema(ProductDetailT);
  await app.register(multipart, { limits: { fileSize: MAX_VIDEO, files: 1, fields: 10 } });

  // ---- shoppers ----
  app.get(
    '/api/categories',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'Category tree (three levels)',
        response: { 200: Type.Array(CategoryNodeT) },
      },
    },
    async () => categories.tree(),
  );

  app.get(
    '/api/products',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary:
          'Search products: keyword (substring, Chinese ok), category incl. sub-categories, price range (fen), tags, sort',
        querystring: Type.Object(
          {
            ...Pagination.properties,
            q: Type.Optional(Type.String({ maxLength: 60 })),
            categoryId: Type.Optional(IdParam),
            merchantId: Type.Optional(IdParam),
            minPriceFen: Type.Optional(Type.Integer({ minimum: 0 })),
            maxPriceFen: Type.Optional(Type.Integer({ minimum: 0 })),
            tagIds: Type.Optional(Type.Array(IdParam, { maxItems: 10 })),
            sort: Type.Optional(
              Type.Union(['relevance', 'price_asc', 'price_desc', 'sales', 'newest'].map((s) => Type.Literal(s))),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(Type.Ref('ProductSummary')), ...errorResponses },
      },
    },
    async (req) =>
      catalog.search({
        ...req.query,
        sort: req.query.sort as never,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.get(
    '/api/products/:productId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'Product detail with SKUs and available stock',
        params: Strict({ productId: IdParam }),
        response: { 200: Type.Ref('ProductDetail'), ...errorResponses },
      },
    },
    async (req) => catalog.publicDetail(req.params.productId),
  );

  // ---- merchants ----
  app.get(
    '/api/merchants/:merchantId/products',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['catalog'],
        summary: "The shop's products",
        security,
        params: MerchantParams,
        querystring: Type.Object(
          {
            ...Pagination.properties,
            q: Type.Optional(Type.String({ maxLength: 60 })),
            status: Type.Optional(ProductStatusT),
            categoryId: Type.Optional(IdParam),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Page(Type.Object({ ...ProductSummaryT.properties, status: ProductStatusT })),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      catalog.merchantList(req.actor!, req.params.merchantId, {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.post(
    '/api/merchants/:merchantId/products',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['catalog'],
        summary: 'Create a product with its SKU matrix and stock',
        security,
        params: MerchantParams,
        body: ProductInputT,
        response: { 201: Type.Ref('ProductDetail'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await products.create(req.actor!, req.params.merchantId, req.body);
      return reply.status(201).send(await catalog.detail(id, { actor: req.actor!, merchantId: req.params.merchantId }));
    },
  );

  app.get(
    '/api/merchants/:merchantId/products/:productId',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['catalog'],
        summary: 'A product as the shop sees it (drafts and disabled SKUs included)',
        security,
        params: ProductParams,
        description:
          "The ETag header (and `version`) is the product's edit version: send it back as If-Match when saving.",
        response: { 200: Type.Ref('ProductDetail'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const detail = await catalog.detail(req.params.productId, {
        actor: req.actor!,
        merchantId: req.params.merchantId,
      });
      return reply.header('etag', productEtag(detail.version)).send(detail);
    },
  );

  app.put(
    '/api/merchants/:merchantId/products/:productId',
    {
      config: { access: OPERATORS },
      // Before schema validation, so a missing If-Match gets its own 428 rather than a generic 400.
      preValidation: async (req) => {
        parseIfMatch(req.headers['if-match']);
      },
      schema: {
        tags: ['catalog'],
        summary: 'Replace a product (SKUs keep their ids when their spec combination stays)',
        security,
        params: ProductParams,
        description:
          'Optimistic concurrency: If-Match must carry the ETag from GET (or `*` to overwrite whatever is stored). A missing ' +
          'header answers 428 PRODUCT_VERSION_REQUIRED; a version someone else has saved over answers 412 PRODUCT_VERSION_CONFLICT ' +
          '(reload and edit again). The response carries the new ETag. Stock of existing SKUs is never changed here (use POST ' +
          '/stock/adjust); an enabled SKU of a product on the shelf needs a price above 0 (400 SKU_PRICE_REQUIRED).',
        headers: Type.Object({
          'if-match': Type.String({ maxLength: 40, description: 'The ETag from GET, e.g. "3"; or * to overwrite' }),
        }),
        body: ProductInputT,
        response: {
          200: Type.Ref('ProductDetail'),
          ...errorResponses,
          412: Type.Ref('ErrorResponse'),
          428: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (req, reply) => {
      const ifMatch = parseIfMatch(req.headers['if-match']);
      const version = await products.update(req.actor!, req.params.merchantId, req.params.productId, req.body, ifMatch);
      return reply
        .header('etag', productEtag(version))
        .send(await catalog.detail(req.params.productId, { actor: req.actor!, merchantId: req.params.merchantId }));
    },
  );

  app.delete(
    '/api/merchants/:merchantId/products/:productId',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['catalog'],
        summary: 'Delete a product (kept for past orders, hidden everywhere)',
        security,
        params: ProductParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await products.remove(req.actor!, req.params.merchantId, req.params.productId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/merchants/:merchantId/products/status',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['catalog'],
        summary: 'Put products on or off the shelf',
        security,
        params: MerchantParams,
        body: Strict({ productIds: Type.Array(IdParam, { minItems: 1, maxItems: 200 }), status: ProductStatusT }),
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => ({
      updated: await products.setStatus(
        req.actor!,
        req.params.merchantId,
        [...new Set(req.body.productIds)],
        req.body.status,
      ),
    }),
  );

  app.post(
    '/api/merchants/:merchantId/media',
    {
      config: { access: OPERATORS, rateLimit: { bucket: 'uploads.media', max: 120, windowSec: 3600, by: 'user' } },
      schema: {
        tags: ['catalog'],
        summary:
          'Upload a JPEG, PNG, WebP or GIF image or an MP4 video (multipart field "file"; the type is read from the bytes); returns its URL',
        security,
        params: MerchantParams,
        consumes: ['multipart/form-data'],
        response: {
          201: Type.Object({
            url: Type.String(),
            key: Type.String(),
            type: Type.Union([Type.Literal('image'), Type.Literal('video')]),
            size: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      await ctx.services.merchants.requireRole(req.actor!, req.params.merchantId, ['merchant_owner', 'merchant_staff']);
      if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      const file = await req.file();
      if (!file) throw badRequest('FILE_MISSING', 'No file in the request');
      // The type comes from the bytes; the client's Content-Type and file name are ignored.
      const stored = await storeUpload(ctx.storage, {
        prefix: `m${req.params.merchantId}`,
        body: file.file,
        limits: { image: MAX_IMAGE, video: MAX_VIDEO },
      });
      return reply.status(201).send({ url: stored.url, key: stored.key, type: stored.kind, size: stored.size });
    },
  );

  // ---- platform ----
  app.post(
    '/api/platform/categories',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['catalog'],
        summary: 'Add a category (levels 1-3)',
        security,
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 30 }),
          parentId: Type.Optional(Type.Union([IdParam, Type.Null()])),
          position: Type.Optional(Type.Integer()),
          iconUrl: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: {
          201: Type.Object({
            id: Type.Integer(),
            name: Type.String(),
            level: Type.Integer(),
            parentId: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.status(201).send(await categories.create(req.actor!, req.body)),
  );
}
