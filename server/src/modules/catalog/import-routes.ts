import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { DateTime, errorResponses, IdParam, MerchantParams, Strict } from '../../platform/http/schemas.ts';
import { IMPORT_TEMPLATE } from './import-service.ts';

const MAX_CSV = 20 * 1024 * 1024;
const security = [{ bearer: [] }];
const ImportView = Type.Object({
  id: Type.Integer(),
  filename: Type.String(),
  status: Type.String(),
  totalRows: Type.Integer(),
  processedRows: Type.Integer(),
  okRows: Type.Integer(),
  errorRows: Type.Integer(),
  productsCreated: Type.Integer(),
  productsUpdated: Type.Integer(),
  progress: Type.Integer({ description: 'percent' }),
  errors: Type.Array(
    Type.Object({ row: Type.Integer(), column: Type.Union([Type.String(), Type.Null()]), message: Type.String() }),
    { description: 'first 100; the full list is in errors.csv' },
  ),
  createdAt: DateTime,
  finishedAt: Type.Union([DateTime, Type.Null()]),
});
const ImportParams = Strict({ merchantId: IdParam, importId: IdParam });

export function importRoutes(app: Http, ctx: AppContext): void {
  const imports = ctx.services.productImports;

  app.get(
    '/api/product-imports/template.csv',
    {
      config: { access: 'public' },
      schema: { tags: ['catalog'], summary: 'CSV template for product import (one row per SKU)' },
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="livemall-products-template.csv"')
        .send(IMPORT_TEMPLATE),
  );

  app.post(
    '/api/merchants/:merchantId/product-imports',
    {
      config: {
        access: OPERATORS,
        rateLimit: { bucket: 'uploads.product-import', max: 20, windowSec: 3600, by: 'user' },
      },
      schema: {
        tags: ['catalog'],
        summary:
          'Upload a product CSV (multipart field "file"); the import runs in the background — poll it for progress',
        security,
        params: MerchantParams,
        consumes: ['multipart/form-data'],
        response: { 202: ImportView, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the CSV as multipart/form-data');
      const file = await req.file({ limits: { fileSize: MAX_CSV } });
      if (!file) throw badRequest('FILE_MISSING', 'No file in the request');
      const body = await file.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError(413, 'PAYLOAD_TOO_LARGE', `CSV files may be at most ${MAX_CSV / 1024 / 1024} MB`);
        throw err;
      });
      const id = await imports.start(req.actor!, req.params.merchantId, {
        filename: file.filename || 'products.csv',
        body,
      });
      return reply.status(202).send(await imports.get(req.actor!, req.params.merchantId, id));
    },
  );

  app.get(
    '/api/merchants/:merchantId/product-imports',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['catalog'],
        summary: 'Recent imports',
        security,
        params: MerchantParams,
        response: { 200: Type.Array(ImportView), ...errorResponses },
      },
    },
    async (req) => imports.list(req.actor!, req.params.merchantId),
  );

  app.get(
    '/api/merchants/:merchantId/product-imports/:importId',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['catalog'],
        summary: 'An import with its progress',
        security,
        params: ImportParams,
        response: { 200: ImportView, ...errorResponses },
      },
    },
    async (req) => imports.get(req.actor!, req.params.merchantId, req.params.importId),
  );

  app.get(
    '/api/merchants/:merchantId/product-imports/:importId/errors.csv',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['catalog'],
        summary: 'Rows that failed, with the reason and the original values',
        security,
        params: ImportParams,
      },
    },
    async (req, reply) => {
      const csv = await imports.errorReport(req.actor!, req.params.merchantId, req.params.importId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${req.params.importId}-errors.csv"`)
        .send(csv);
    },
  );
}
