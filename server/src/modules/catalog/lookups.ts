// Small reads other modules make of products and SKUs (titles on a report, owners of a beacon's ids,
// a shop's SKUs for its stock page), one query per batch. CatalogQueries exposes them.
import type { Db } from '../../platform/db/types.ts';
import { escapeLike } from '../inventory/inventory-service.ts';
import './tables.ts';

/** Title and shop of each product among `ids` that exists (deleted ones included: history keeps its names). */
export async function productBriefs(db: Db, ids: readonly number[]) {
  const out = new Map<number, { id: number; merchantId: number; title: string }>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('products')
    .select(['id', 'merchant_id', 'title'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const p of rows) out.set(p.id, { id: p.id, merchantId: p.merchant_id, title: p.title });
  return out;
}

/** The shop's first on-shelf products by id (the demo rooms' bags). */
export async function onShelfProducts(db: Db, merchantId: number, limit: number) {
  const rows = await db
    .selectFrom('products')
    .select(['id', 'cover_url'])
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'on_shelf')
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((p) => ({ id: p.id, coverUrl: p.cover_url }));
}

export interface ShopSku {
  skuId: number;
  skuName: string;
  code: string | null;
  productId: number;
  productTitle: string;
}

/**
 * The SKUs of the shop's products that are not deleted, ordered by product then SKU; with `q`, those whose
 * product title or SKU code contains it.
 */
export async function shopSkus(db: Db, merchantId: number, q?: string): Promise<ShopSku[]> {
  let query = db
    .selectFrom('skus as k')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select(['k.id', 'k.name', 'k.code', 'p.id as product_id', 'p.title'])
    .where('k.merchant_id', '=', merchantId)
    .where('p.deleted_at', 'is', null);
  if (q) {
    const kw = `%${escapeLike(q)}%`;
    query = query.where((eb) => eb.or([eb('p.title', 'ilike', kw), eb('k.code', 'ilike', kw)]));
  }
  const rows = await query.orderBy('p.id').orderBy('k.id').execute();
  return rows.map((r) => ({
    skuId: r.id,
    skuName: r.name,
    code: r.code,
    productId: r.product_id,
    productTitle: r.title,
  }));
}

/** The enabled SKUs of each product among `productIds` (what a product's stock adds up). */
export async function enabledSkusOf(db: Db, productIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (productIds.length === 0) return out;
  const rows = await db
    .selectFrom('skus')
    .select(['id', 'product_id'])
    .where('product_id', 'in', [...new Set(productIds)])
    .where('enabled', '=', true)
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.product_id, [...(out.get(r.product_id) ?? []), r.id]);
  return out;
}
