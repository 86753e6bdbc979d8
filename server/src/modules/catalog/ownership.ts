// Tenancy checks other modules run on the product and SKU ids a request carries (a coupon's scope,
// a promotion's items, a room's bag, a deal's SKU): each must be the shop's own. Another shop's id
// and an id that does not exist get the same answer, so nothing is learnt about other shops.
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { type AppError, badRequest, notFound } from '../../platform/errors.ts';
import type { CatalogQueries, SkuForCheckout } from './catalog-queries.ts';

/** The usual refusal; a module with its own (inventory answers 404 for a SKU it does not hold) passes that. */
export type Refusal = (ids: number[]) => AppError;
const notInShop =
  (what: 'products' | 'SKUs'): Refusal =>
  (ids) =>
    badRequest('PRODUCT_NOT_IN_SHOP', `Some ${what} are not this shop's`, { ids });

/** Every id a product of the shop (not deleted), else 400 PRODUCT_NOT_IN_SHOP with the others. */
export async function requireOwnProducts(
  db: Db,
  merchantId: number,
  productIds: readonly number[],
  refuse: Refusal = notInShop('products'),
): Promise<void> {
  const wanted = [...new Set(productIds)];
  if (wanted.length === 0) return;
  const own = await db
    .selectFrom('products')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', wanted)
    .where('deleted_at', 'is', null)
    .execute();
  const found = new Set(own.map((p) => p.id));
  const others = wanted.filter((id) => !found.has(id));
  if (others.length) throw refuse(others);
}

/** Every id a SKU of the shop, else 400 PRODUCT_NOT_IN_SHOP; the SKUs' checkout facts, in the order asked. */
export async function requireOwnSkus(
  catalog: CatalogQueries,
  db: Db,
  merchantId: number,
  skuIds: readonly number[],
  refuse: Refusal = notInShop('SKUs'),
): Promise<SkuForCheckout[]> {
  const wanted = [...new Set(skuIds)];
  const skus = await catalog.getSkusForCheckout(db, wanted);
  const own = new Map(skus.filter((s) => s.merchantId === merchantId).map((s) => [s.skuId, s]));
  const others = wanted.filter((id) => !own.has(id));
  if (others.length) throw refuse(others);
  return wanted.map((id) => own.get(id)!);
}

/** A product shoppers may see (on the shelf of a listed shop), else 404 PRODUCT_NOT_FOUND. */
export async function requireListedProduct(ctx: AppContext, productId: number): Promise<void> {
  const p = await ctx.db
    .selectFrom('products')
    .select('id')
    .where('id', '=', productId)
    .where('status', '=', 'on_shelf')
    .where('deleted_at', 'is', null)
    .where('merchant_id', 'in', ctx.services.merchants.publicMerchantIds())
    .executeTakeFirst();
  if (!p) throw notFound('Product', 'PRODUCT_NOT_FOUND');
}
