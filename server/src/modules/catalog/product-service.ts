// Merchant product management: create and edit products with their spec matrix, SKUs, tags and
// media; shelf status. Every method checks the caller belongs to the merchant. A product edit
// never rewrites the stock of a SKU that exists (stock changes go through inventory's adjust);
// only a new SKU gets its initial stock, and a CSV import may set on-hand counts explicitly.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { comboKey, skuName, validateSpecs } from './spec-matrix.ts';
import { assertPricedForSale, mapUnique, matchSkus, versionConflict } from './product-rules.ts';
import type { MediaItem, ProductStatus, SpecDef } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';
import { indexProducts } from './search/search-index.ts';

export interface SkuInput {
  specValues: string[];
  priceFen: number;
  originalPriceFen?: number | undefined;
  /** On-hand stock of a SKU this save creates; for an existing SKU only a CSV import uses it (a count). */
  stock?: number | undefined;
  weightGrams?: number | undefined;
  code?: string | null | undefined;
  enabled?: boolean | undefined;
}

export interface ProductInput {
  title: string;
  subtitle?: string | undefined;
  description?: string | undefined;
  categoryId?: number | null | undefined;
  coverUrl?: string | null | undefined;
  media?: MediaItem[] | undefined;
  specs: SpecDef[];
  skus: SkuInput[];
  tags?: string[] | undefined;
  status?: ProductStatus | undefined;
  spuCode?: string | null | undefined;
  lowStockThreshold?: number | undefined;
}

const WRITE_ROLES = ['merchant_owner', 'merchant_staff'] as const;

/** Who is saving: the editor/API (stock untouched) or a CSV import (its stock column is an on-hand count). */
export type ProductSource = 'editor' | 'import';

export class ProductService {
  constructor(private readonly ctx: AppContext) {}

  private async requireWrite(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...WRITE_ROLES]);
  }

  async create(actor: Actor, merchantId: number, input: ProductInput): Promise<number> {
    // Suspended and rejected shops add nothing new (pending ones may prepare their catalogue).
    await this.ctx.services.merchants.requireOperating(actor, merchantId, [...WRITE_ROLES], 'build');
    return transact(this.ctx.db, (trx) => this.createIn(trx, merchantId, input, actor.userId));
  }

  /** Create inside a caller's transaction (used by the CSV import and the demo seed too). */
  async createIn(
    trx: Db,
    merchantId: number,
    input: ProductInput,
    actorUserId: number | null,
    stockReason: 'initial' | 'import' = 'initial',
  ): Promise<number> {
    validateSpecs(input.specs);
    const skus = matchSkus(input.specs, input.skus);
    assertPricedForSale(input.status ?? 'draft', skus);
    await this.assertCategory(trx, input.categoryId);
    let product: { id: number };
    try {
      product = await trx
        .insertInto('products')
        .values({
          merchant_id: merchantId,
          title: input.title.trim(),
          subtitle: input.subtitle ?? '',
          description: input.description ?? '',
          category_id: input.categoryId ?? null,
          cover_url: input.coverUrl ?? input.media?.find((m) => m.type === 'image')?.url ?? null,
          media: JSON.stringify(input.media ?? []),
          specs: JSON.stringify(
            input.specs.map((s) => ({ name: s.name.trim(), values: s.values.map((v) => v.trim()) })),
          ),
          status: input.status ?? 'draft',
          spu_code: input.spuCode ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    } catch (err) {
      throw mapUnique(err);
    }
    await this.insertSkus(trx, merchantId, product.id, skus, actorUserId, stockReason, input.lowStockThreshold);
    await this.setTags(trx, merchantId, product.id, input.tags ?? []);
    await indexProducts(trx, [product.id]);
    return product.id;
  }

  /**
   * Replace a product's fields, specs and SKUs. SKUs keep their ids (and sales history) when their
   * combination survives. `ifMatch` is the version the editor started from; returns the new one.
   */
  async update(
    actor: Actor,
    merchantId: number,
    productId: number,
    input: ProductInput,
    ifMatch: number | '*',
  ): Promise<number> {
    await this.requireWrite(actor, merchantId);
    const version = await transact(this.ctx.db, (trx) =>
      this.updateIn(trx, merchantId, productId, input, actor.userId, 'editor', ifMatch === '*' ? undefined : ifMatch),
    );
    await this.forget([productId]);
    return version;
  }

  /** Drop cached product pages after a change has committed: the shared copies first, so no node re-reads one. */
  async forget(productIds: number[]): Promise<void> {
    await this.ctx.services.catalog.forgetPages(productIds);
  }

  async updateIn(
    trx: Db,
    merchantId: number,
    productId: number,
    input: ProductInput,
    actorUserId: number | null,
    source: ProductSource = 'editor',
    expectedVersion?: number,
  ): Promise<number> {
    validateSpecs(input.specs);
    const skus = matchSkus(input.specs, input.skus);
    await this.assertCategory(trx, input.categoryId);
    // Locked, so of two saves that started from the same version exactly one goes through.
    const current = await trx
      .selectFrom('products')
      .select(['id', 'status', 'version'])
      .where('id', '=', productId)
      .where('merchant_id', '=', merchantId)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Product');
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw versionConflict(current.version, expectedVersion);
    const existing = await trx
      .selectFrom('skus')
      .select(['id', 'spec_values'])
      .where('product_id', '=', productId)
      .execute();
    const byCombo = new Map(existing.map((s) => [comboKey(s.spec_values), s.id]));
    assertPricedForSale(
      input.status ?? current.status,
      skus.map((s) => ({
        ...s,
        ...(byCombo.has(comboKey(s.specValues)) ? { skuId: byCombo.get(comboKey(s.specValues))! } : {}),
      })),
    );
    try {
      await trx
        .updateTable('products')
        .set({
          title: input.title.trim(),
          subtitle: input.subtitle ?? '',
          description: input.description ?? '',
          category_id: input.categoryId ?? null,
          cover_url: input.coverUrl ?? input.media?.find((m) => m.type === 'image')?.url ?? null,
          media: JSON.stringify(input.media ?? []),
          specs: JSON.stringify(input.specs),
          spu_code: input.spuCode ?? null,
          ...(input.status ? { status: input.status } : {}),
          version: sql`version + 1`,
          updated_at: sql`now()`,
        })
        .where('id', '=', productId)
        .execute();
    } catch (err) {
      throw mapUnique(err);
    }
    const keep = new Set<number>();
    const fresh: typeof skus = [];
    for (const s of skus) {
      const id = byCombo.get(comboKey(s.specValues));
      if (id === undefined) {
        fresh.push(s);
        continue;
      }
      keep.add(id);
      try {
        await trx
          .updateTable('skus')
          .set({
            price_fen: s.priceFen,
            original_price_fen: s.originalPriceFen ?? s.priceFen,
            weight_grams: s.weightGrams ?? 0,
            code: s.code ?? null,
            enabled: s.enabled ?? true,
            name: skuName(s.specValues),
            updated_at: sql`now()`,
          })
          .where('id', '=', id)
          .execute();
      } catch (err) {
        throw mapUnique(err);
      }
      // The editor's stock field is never written back: what it showed may be stale, or available
      // rather than on hand. A CSV row's stock is the merchant's count of what is on the shelf.
      if (source === 'import' && s.stock !== undefined) {
        await this.ctx.services.inventory.setStock(trx, {
          merchantId,
          skuId: id,
          quantity: s.stock,
          reason: 'import',
          ...(actorUserId ? { actorUserId } : {}),
        });
      }
    }
    if (input.lowStockThreshold !== undefined)
      await this.ctx.services.inventory.setLowStockThreshold(trx, merchantId, [...keep], input.lowStockThreshold);
    // Combinations that disappeared are disabled, not deleted: past orders still point at them.
    const dropped = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
    if (dropped.length)
      await trx
        .updateTable('skus')
        .set({ enabled: false, code: null, updated_at: sql`now()` })
        .where('id', 'in', dropped)
        .execute();
    await this.insertSkus(
      trx,
      merchantId,
      productId,
      fresh,
      actorUserId,
      source === 'import' ? 'import' : 'initial',
      input.lowStockThreshold,
    );
    await this.setTags(trx, merchantId, productId, input.tags ?? []);
    await indexProducts(trx, [productId]);
    return current.version + 1;
  }

  async setStatus(actor: Actor, merchantId: number, productIds: number[], status: ProductStatus): Promise<number> {
    await this.requireWrite(actor, merchantId);
    return transact(this.ctx.db, async (trx) => {
      if (status === 'on_shelf') await this.assertShelfPriced(trx, merchantId, productIds);
      const res = await trx
        .updateTable('products')
        .set({ status, version: sql`version + 1`, updated_at: sql`now()` })
        .where('merchant_id', '=', merchantId)
        .where('id', 'in', productIds)
        .where('deleted_at', 'is', null)
        .returning('id')
        .execute();
      if (res.length !== productIds.length) throw notFound('Product');
      for (const r of res) {
        await this.ctx.events.emit(trx, {
          type: status === 'on_shelf' ? 'product.on_shelf' : 'product.off_shelf',
          aggregateType: 'product',
          aggregateId: r.id,
          payload: { productId: r.id, merchantId },
        });
      }
      return res.length;
    }).then(async (n) => {
      await this.forget(productIds);
      return n;
    });
  }

  async remove(actor: Actor, merchantId: number, productId: number): Promise<void> {
    await this.requireWrite(actor, merchantId);
    const res = await this.ctx.db
      .updateTable('products')
      .set({ deleted_at: sql`now()`, status: 'off_shelf', spu_code: null, version: sql`version + 1` })
      .where('id', '=', productId)
      .where('merchant_id', '=', merchantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('Product');
    await this.forget([productId]);
  }

  /** Putting products on the shelf: none of their enabled SKUs may sell at ¥0.00. */
  private async assertShelfPriced(trx: Db, merchantId: number, productIds: number[]): Promise<void> {
    const unpriced = await trx
      .selectFrom('skus')
      .select(['id', 'product_id', 'spec_values'])
      .where('merchant_id', '=', merchantId)
      .where('product_id', 'in', productIds)
      .where('enabled', '=', true)
      .where('price_fen', '<=', 0)
      .orderBy('id')
      .execute();
    if (unpriced.length === 0) return;
    throw badRequest(
      'SKU_PRICE_REQUIRED',
      `Give these SKUs a price above ¥0.00 before putting them on the shelf: ${unpriced.map((s) => `#${s.product_id} ${skuName(s.spec_values) || '默认'}`).join(', ')}`,
      unpriced.map((s) => ({
        productId: s.product_id,
        skuId: s.id,
        specValues: s.spec_values,
        name: skuName(s.spec_values) || '默认 default',
      })),
    );
  }

  private async insertSkus(
    trx: Db,
    merchantId: number,
    productId: number,
    skus: SkuInput[],
    actorUserId: number | null,
    reason: 'initial' | 'import',
    lowStockThreshold?: number,
  ): Promise<void> {
    if (!skus.length) return;
    let rows: Array<{ id: number; spec_values: unknown }>;
    try {
      rows = await trx
        .insertInto('skus')
        .values(
          skus.map((s) => ({
            product_id: productId,
            merchant_id: merchantId,
            spec_values: JSON.stringify(s.specValues.map((v) => v.trim())),
            name: skuName(s.specValues),
            code: s.code ?? null,
            price_fen: s.priceFen,
            original_price_fen: s.originalPriceFen ?? s.priceFen,
            weight_grams: s.weightGrams ?? 0,
            enabled: s.enabled ?? true,
          })),
        )
        .returning(['id', 'spec_values'])
        .execute();
    } catch (err) {
      throw mapUnique(err);
    }
    // Matched by combination (unique within a product), not by RETURNING's order, which SQL does not promise.
    const idOf = new Map(rows.map((r) => [JSON.stringify(r.spec_values), r.id]));
    const items = skus.map((s) => ({
      skuId: idOf.get(JSON.stringify(s.specValues.map((v) => v.trim())))!,
      quantity: s.stock ?? 0,
    }));
    await this.ctx.services.inventory.stockNewSkus(trx, merchantId, items, {
      reason,
      actorUserId,
      ...(lowStockThreshold !== undefined ? { lowStockThreshold } : {}),
    });
  }

  private async setTags(trx: Db, merchantId: number, productId: number, names: string[]): Promise<void> {
    await trx.deleteFrom('product_tags').where('product_id', '=', productId).execute();
    const clean = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
    if (clean.length === 0) return;
    await trx
      .insertInto('tags')
      .values(clean.map((name) => ({ merchant_id: merchantId, name })))
      .onConflict((oc) => oc.columns(['merchant_id', 'name']).doNothing())
      .execute();
    const tags = await trx
      .selectFrom('tags')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('name', 'in', clean)
      .execute();
    await trx
      .insertInto('product_tags')
      .values(tags.map((t) => ({ product_id: productId, tag_id: t.id })))
      .execute();
  }

  private async assertCategory(trx: Db, categoryId: number | null | undefined): Promise<void> {
    if (categoryId === undefined || categoryId === null) return;
    const c = await trx.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst();
    if (!c) throw badRequest('CATEGORY_NOT_FOUND', `Category ${categoryId} does not exist`);
  }
}
