// What a quote shows of each SKU, from the product pages this node keeps (catalog-queries.ts), so the buy
// sheet of a pinned product runs no catalog query while thousands open it at once. The pages are dropped on
// every node when the shop edits the product. Placement still reads the rows in its transaction, and refuses
// a quote a change made stale (PRICE_CHANGED): the price charged is never one nobody was shown.
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { ProductPage, SkuForCheckout } from './catalog-queries.ts';

const MAX_PAGES_PER_QUOTE = 8;

export class ShownSkus {
  /** A SKU never moves to another product, so this map needs no invalidation. */
  private readonly productOf = new LRUCache<number, number>({ max: 100_000 });
  /**
   * Products without a page for shoppers: quoted from the rows, which refuse them or (relisted meanwhile) are
   * as right as a page, so a repeated quote of them does not try the page each time.
   */
  private readonly notShown = new LRUCache<number, true>({ max: 10_000, ttl: 5_000 });

  constructor(
    private readonly ctx: AppContext,
    /** The shopper's page of a product, or undefined when shoppers may not see it. */
    private readonly page: (productId: number) => Promise<ProductPage | undefined>,
    /** The rows themselves: for every SKU the pages cannot answer, so refusals stay the rows' own. */
    private readonly rows: (db: Db, skuIds: number[]) => Promise<SkuForCheckout[]>,
  ) {}

  async of(skuIds: number[]): Promise<SkuForCheckout[]> {
    const ids = [...new Set(skuIds)];
    await this.learnProducts(ids);
    const productIds = [...new Set(ids.map((id) => this.productOf.get(id)))].filter(
      (id): id is number => id !== undefined && !this.notShown.has(id),
    );
    // A buy sheet holds one product or a few; a big basket costs one statement on the rows, not a page each.
    const pages = productIds.length <= MAX_PAGES_PER_QUOTE ? await this.pagesOf(productIds) : new Map();
    const shown = new Map<number, SkuForCheckout>();
    for (const skuId of ids) {
      const page = pages.get(this.productOf.get(skuId)!);
      const sku = page && (await this.fromPage(page, skuId));
      if (sku) shown.set(skuId, sku);
    }
    const rest = ids.filter((id) => !shown.has(id));
    const read = rest.length ? await this.rows(this.ctx.db, rest) : [];
    return [...[...shown.values()], ...read];
  }

  /** The pages, read at once; a product with none (off the shelf, say) goes to the rows for a while. */
  private async pagesOf(productIds: number[]): Promise<Map<number, ProductPage>> {
    const pages = await Promise.all(productIds.map((id) => this.page(id)));
    const found = new Map<number, ProductPage>();
    productIds.forEach((id, i) => {
      const page = pages[i];
      if (page) found.set(id, page);
      else this.notShown.set(id, true);
    });
    return found;
  }

  private async learnProducts(skuIds: number[]): Promise<void> {
    const unknown = skuIds.filter((id) => !this.productOf.has(id));
    if (!unknown.length) return;
    const rows = await this.ctx.db.selectFrom('skus').select(['id', 'product_id']).where('id', 'in', unknown).execute();
    for (const r of rows) this.productOf.set(r.id, r.product_id);
  }

  /** The SKU as the page shows it: on sale (the page exists, the SKU is enabled, the shop is shown). */
  private async fromPage(page: ProductPage | undefined, skuId: number): Promise<SkuForCheckout | undefined> {
    const s = page?.skus.find((x) => x.id === skuId);
    if (!page || !s || !(await this.ctx.services.merchants.isShownPublic(page.merchantId))) return undefined;
    return {
      skuId,
      productId: page.id,
      merchantId: page.merchantId,
      productTitle: page.title,
      skuName: s.name,
      imageUrl: page.coverUrl,
      priceFen: s.priceFen,
      originalPriceFen: s.originalPriceFen,
      weightGrams: s.weightGrams,
      // The rows give the leaf first, then its parent and grandparent; the page's path starts at the root.
      categoryIds: [...page.categoryPath].reverse().map((c) => c.id),
      tagIds: page.tags.map((t) => t.id).sort((a, b) => a - b),
      purchasable: true,
    };
  }
}
