// CSV batch import. One row per SKU; rows with the same spu_code (or title) form one product.
// A bad row never aborts the good ones: rows are validated one by one, each product is written
// in its own transaction, and every problem is reported with its row number and column.
import { parse } from 'csv-parse/sync';
import { toCsv } from '../../platform/csv.ts';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { yuanToFen } from './money-text.ts';
import type { ProductInput, SkuInput } from './product-service.ts';
import type { ImportError, ProductStatus } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

export const IMPORT_COLUMNS = [
  'spu_code',
  'title',
  'category',
  'spec1_name',
  'spec1_value',
  'spec2_name',
  'spec2_value',
  'sku_code',
  'price',
  'original_price',
  'stock',
  'weight_grams',
  'tags',
  'status',
  'cover_url',
  'subtitle',
  'description',
] as const;
type Row = Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>;

interface ParsedRow {
  rowNo: number;
  raw: Row;
  group: string;
  title: string;
  category: string[];
  specs: Array<{ name: string; value: string }>;
  sku: SkuInput;
  tags: string[];
  status?: ProductStatus;
  coverUrl?: string;
  subtitle?: string;
  description?: string;
}

const MAX_ROWS = 20_000;
const STATUSES: Record<string, ProductStatus> = {
  on_shelf: 'on_shelf',
  上架: 'on_shelf',
  off_shelf: 'off_shelf',
  下架: 'off_shelf',
  draft: 'draft',
  草稿: 'draft',
};

export class ProductImportService {
  constructor(private readonly ctx: AppContext) {}

  registerJobs(): void {
    this.ctx.jobs.register<{ importId: number }>({
      type: 'catalog.product_import',
      transactional: false, // it commits product by product
      run: async (job) => {
        await this.run(job.payload.importId);
      },
    });
  }

  /** Store the uploaded file and queue the import; returns at once. */
  async start(actor: Actor, merchantId: number, input: { filename: string; body: Buffer }): Promise<number> {
    // Adds and edits products: a suspended or rejected shop imports nothing (as with the editor).
    await this.ctx.services.merchants.requireOperating(
      actor,
      merchantId,
      ['merchant_owner', 'merchant_staff'],
      'build',
    );
    if (input.body.length === 0) throw badRequest('FILE_EMPTY', 'The CSV file is empty');
    const stored = await this.ctx.storage.put({
      prefix: `m${merchantId}/imports`,
      contentType: 'text/csv',
      body: input.body,
    });
    return transact(this.ctx.db, async (trx) => {
      const row = await trx
        .insertInto('product_imports')
        .values({
          merchant_id: merchantId,
          created_by: actor.userId,
          file_key: stored.key,
          filename: input.filename.slice(0, 200),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.ctx.jobs.schedule(trx, {
        type: 'catalog.product_import',
        payload: { importId: row.id },
        uniqueKey: `product-import:${row.id}`,
        maxAttempts: 1,
      });
      return row.id;
    });
  }

  async get(actor: Actor, merchantId: number, importId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const r = await this.ctx.db
      .selectFrom('product_imports')
      .selectAll()
      .where('id', '=', importId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!r) throw notFound('Import');
    return toView(r);
  }

  async list(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('product_imports')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return rows.map(toView);
  }

  /** The rows that failed, with the reason, as CSV the merchant can fix and upload again. */
  async errorReport(actor: Actor, merchantId: number, importId: number): Promise<string> {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const r = await this.ctx.db
      .selectFrom('product_imports')
      .select(['errors'])
      .where('id', '=', importId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!r) throw notFound('Import');
    const errors = r.errors as Array<ImportError & { raw?: Row }>;
    return toCsv([
      ['row', 'column', 'error', ...IMPORT_COLUMNS],
      ...errors.map((e) => [e.row, e.column ?? '', e.message, ...IMPORT_COLUMNS.map((c) => e.raw?.[c] ?? '')]),
    ]);
  }

  /** Process an import (the job, or the CLI directly). `onProgress` gets (processed, total). */
  async run(importId: number, onProgress?: (done: number, total: number) => void): Promise<void> {
    const db = this.ctx.db;
    const imp = await db.selectFrom('product_imports').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!imp || imp.status === 'done') return;
    // Suspended while it waited in the queue: the import does not run.
    const refusal = await this.ctx.services.merchants.operatingRefusalOf(imp.merchant_id, 'build');
    if (refusal) {
      await db
        .updateTable('product_imports')
        .set({
          status: 'failed',
          errors: JSON.stringify([{ row: 0, message: refusal.message }]),
          finished_at: sql`now()`,
        })
        .where('id', '=', importId)
        .execute();
      return;
    }
    const file = await this.ctx.storage.open(imp.file_key);
    if (!file) throw new Error(`import ${importId}: file ${imp.file_key} is missing`);
    const chunks: Buffer[] = [];
    for await (const c of file.stream) chunks.push(c as Buffer);
    const errors: Array<ImportError & { raw?: Row }> = [];
    let records: Row[];
    try {
      records = parse(Buffer.concat(chunks), {
        columns: (h: string[]) =>
          h.map((c) =>
            c
              .trim()
              .replace(/^\uFEFF/, '')
              .toLowerCase(),
          ),
        skip_empty_lines: true,
        trim: true,
        bom: true,
        relax_column_count: true,
      });
    } catch (err) {
      await db
        .updateTable('product_imports')
        .set({
          status: 'failed',
          errors: JSON.stringify([{ row: 0, message: `Not a readable CSV file: ${(err as Error).message}` }]),
          finished_at: sql`now()`,
        })
        .where('id', '=', importId)
        .execute();
      return;
    }
    if (records.length > MAX_ROWS) {
      await db
        .updateTable('product_imports')
        .set({
          status: 'failed',
          errors: JSON.stringify([{ row: 0, message: `At most ${MAX_ROWS} rows per file` }]),
          finished_at: sql`now()`,
        })
        .where('id', '=', importId)
        .execute();
      return;
    }
    await db
      .updateTable('product_imports')
      .set({ status: 'running', total_rows: records.length, processed_rows: 0 })
      .where('id', '=', importId)
      .execute();

    // 1. Validate each row on its own (row 1 is the header, so data starts at row 2).
    const groups = new Map<string, ParsedRow[]>();
    records.forEach((raw, i) => {
      const parsed = parseRow(raw, i + 2, errors);
      if (!parsed) return;
      const g = groups.get(parsed.group) ?? [];
      g.push(parsed);
      groups.set(parsed.group, g);
    });
    let processed = records.length - [...groups.values()].reduce((n, g) => n + g.length, 0);
    let ok = 0;
    let created = 0;
    let updated = 0;
    const report = async () => {
      onProgress?.(processed, records.length);
      await db
        .updateTable('product_imports')
        .set({
          processed_rows: processed,
          ok_rows: ok,
          error_rows: records.length - ok - (records.length - processed),
          products_created: created,
          products_updated: updated,
        })
        .where('id', '=', importId)
        .execute();
    };
    await report();

    // 2. One product per group, each in its own transaction.
    for (const rows of groups.values()) {
      try {
        const input = toProductInput(rows);
        const categoryId = rows[0]!.category.length
          ? await this.ctx.services.categories.findPath(db, rows[0]!.category)
          : null;
        if (rows[0]!.category.length && categoryId === null)
          throw badRequest('CATEGORY_NOT_FOUND', `Category "${rows[0]!.category.join('/')}" does not exist`);
        const spuCode = rows[0]!.raw.spu_code || null;
        const outcome = await transact(db, async (trx) => {
          const existing = spuCode
            ? await trx
                .selectFrom('products')
                .select('id')
                .where('merchant_id', '=', imp.merchant_id)
                .where('spu_code', '=', spuCode)
                .where('deleted_at', 'is', null)
                .executeTakeFirst()
            : undefined;
          if (existing) {
            await this.ctx.services.products.updateIn(
              trx,
              imp.merchant_id,
              existing.id,
              { ...input, categoryId, spuCode },
              imp.created_by,
              'import',
            );
            return existing.id;
          }
          await this.ctx.services.products.createIn(
            trx,
            imp.merchant_id,
            { ...input, categoryId, spuCode },
            imp.created_by,
            'import',
          );
          return 'created' as const;
        });
        if (outcome === 'created') created++;
        else {
          updated++;
          await this.ctx.services.products.forget([outcome]);
        }
        ok += rows.length;
      } catch (err) {
        const message = err instanceof AppError ? err.message : `Could not save: ${(err as Error).message}`;
        if (!(err instanceof AppError)) this.ctx.log.warn({ err, importId }, 'product import group failed');
        for (const r of rows) errors.push({ row: r.rowNo, message, raw: r.raw });
      }
      processed += rows.length;
      await report();
    }
    errors.sort((a, b) => a.row - b.row);
    await db
      .updateTable('product_imports')
      .set({
        status: 'done',
        processed_rows: records.length,
        ok_rows: ok,
        error_rows: records.length - ok,
        products_created: created,
        products_updated: updated,
        errors: JSON.stringify(errors),
        finished_at: sql`now()`,
      })
      .where('id', '=', importId)
      .execute();
    onProgress?.(records.length, records.length);
  }
}

function parseRow(raw: Row, rowNo: number, errors: Array<ImportError & { raw?: Row }>): ParsedRow | null {
  const fail = (column: string, message: string) => {
    errors.push({ row: rowNo, column, message, raw });
    return null;
  };
  const title = raw.title?.trim();
  if (!title) return fail('title', 'title is required');
  if (title.length > 120) return fail('title', 'title is longer than 120 characters');
  const specs: Array<{ name: string; value: string }> = [];
  for (const n of [1, 2] as const) {
    const name = raw[`spec${n}_name`]?.trim();
    const value = raw[`spec${n}_value`]?.trim();
    if (!name && !value) continue;
    if (!name || !value) return fail(`spec${n}_name`, `spec${n}_name and spec${n}_value go together`);
    specs.push({ name, value });
  }
  let priceFen: number;
  let originalPriceFen: number | undefined;
  try {
    priceFen = yuanToFen(raw.price ?? '', 'price');
  } catch (e) {
    return fail('price', (e as Error).message);
  }
  if (raw.original_price) {
    try {
      originalPriceFen = yuanToFen(raw.original_price, 'original_price');
    } catch (e) {
      return fail('original_price', (e as Error).message);
    }
    if (originalPriceFen < priceFen) return fail('original_price', 'original_price is below price');
  }
  // The stock column is the on-hand count (what is on the shelf, units reserved by open orders
  // included), set through inventory with a ledger row; blank keeps an existing SKU's stock.
  const stock = raw.stock?.trim() ? Number(raw.stock) : undefined;
  if (stock !== undefined && (!Number.isSafeInteger(stock) || stock < 0))
    return fail('stock', `stock must be a whole number ≥ 0, got "${raw.stock}"`);
  const weight = raw.weight_grams ? Number(raw.weight_grams) : 0;
  if (!Number.isSafeInteger(weight) || weight < 0)
    return fail('weight_grams', `weight_grams must be a whole number ≥ 0, got "${raw.weight_grams}"`);
  let status: ProductStatus | undefined;
  if (raw.status) {
    status = STATUSES[raw.status.trim().toLowerCase()] ?? STATUSES[raw.status.trim()];
    if (!status)
      return fail('status', `status must be on_shelf, off_shelf or draft (上架/下架/草稿), got "${raw.status}"`);
  }
  const category = raw.category
    ? raw.category
        .split(/[/>]/)
        .map((c) => c.trim())
        .filter(Boolean)
    : [];
  if (category.length > 3) return fail('category', 'a category path has at most three levels');
  return {
    rowNo,
    raw,
    group: raw.spu_code?.trim() || `title:${title}`,
    title,
    category,
    specs,
    sku: {
      specValues: specs.map((s) => s.value),
      priceFen,
      ...(originalPriceFen !== undefined ? { originalPriceFen } : {}),
      stock,
      weightGrams: weight,
      code: raw.sku_code?.trim() || null,
    },
    tags: raw.tags
      ? raw.tags
          .split(/[|,，]/)
          .map((t) => t.trim())
          .filter(Boolean)
      : [],
    ...(status ? { status } : {}),
    ...(raw.cover_url ? { coverUrl: raw.cover_url } : {}),
    ...(raw.subtitle ? { subtitle: raw.subtitle } : {}),
    ...(raw.description ? { description: raw.description } : {}),
  };
}

/** Rows of one product → the product input; the spec matrix must be complete and consistent. */
function toProductInput(rows: ParsedRow[]): ProductInput {
  const first = rows[0]!;
  const specNames = first.specs.map((s) => s.name);
  for (const r of rows) {
    if (r.title !== first.title)
      throw badRequest(
        'IMPORT_GROUP_INCONSISTENT',
        `Rows of one product must share the title ("${first.title}" vs "${r.title}")`,
      );
    if (JSON.stringify(r.specs.map((s) => s.name)) !== JSON.stringify(specNames))
      throw badRequest('IMPORT_GROUP_INCONSISTENT', 'Rows of one product must use the same spec names');
  }
  const specs = specNames.map((name, i) => ({ name, values: [...new Set(rows.map((r) => r.specs[i]!.value))] }));
  const withCover = rows.find((r) => r.coverUrl);
  return {
    title: first.title,
    specs,
    skus: rows.map((r) => r.sku),
    tags: [...new Set(rows.flatMap((r) => r.tags))],
    ...(rows.find((r) => r.status)?.status ? { status: rows.find((r) => r.status)!.status! } : {}),
    ...(withCover
      ? { coverUrl: withCover.coverUrl, media: [{ type: 'image' as const, url: withCover.coverUrl! }] }
      : {}),
    ...(first.subtitle ? { subtitle: first.subtitle } : {}),
    ...(first.description ? { description: first.description } : {}),
  };
}

function toView(r: {
  id: number;
  filename: string;
  status: string;
  total_rows: number;
  processed_rows: number;
  ok_rows: number;
  error_rows: number;
  products_created: number;
  products_updated: number;
  errors: unknown;
  created_at: Date;
  finished_at: Date | null;
}) {
  return {
    id: r.id,
    filename: r.filename,
    status: r.status,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    okRows: r.ok_rows,
    errorRows: r.error_rows,
    productsCreated: r.products_created,
    productsUpdated: r.products_updated,
    progress: r.total_rows ? Math.round((r.processed_rows / r.total_rows) * 100) : r.status === 'done' ? 100 : 0,
    errors: (r.errors as ImportError[])
      .slice(0, 100)
      .map((e) => ({ row: e.row, column: e.column ?? null, message: e.message })),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export const IMPORT_TEMPLATE = toCsv([
  [...IMPORT_COLUMNS],
  [
    'TS-001',
    '纯棉T恤',
    '服饰/男装/T恤',
    '颜色',
    '白色',
    '尺码',
    'M',
    'TS-001-W-M',
    '59.00',
    '99.00',
    '100',
    '200',
    '新品|纯棉',
    'on_shelf',
    '',
    '舒适透气',
    '',
  ],
  [
    'TS-001',
    '纯棉T恤',
    '服饰/男装/T恤',
    '颜色',
    '白色',
    '尺码',
    'L',
    'TS-001-W-L',
    '59.00',
    '99.00',
    '80',
    '210',
    '新品|纯棉',
    'on_shelf',
    '',
    '舒适透气',
    '',
  ],
]);
