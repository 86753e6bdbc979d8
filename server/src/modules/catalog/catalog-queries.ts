// Read side of the catalog: shopper search and product detail, merchant listings, and the
// contracts other modules use (getSkusForCheckout, getProductSummaries).
import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import { type NearCache, nodeNearCache } from '../../platform/cache/near-cache.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import { escapeLike } from '../inventory/inventory-service.ts';
import { enabledSkusOf, onShelfProducts, productBriefs, shopSkus, type ShopSku } from './lookups.ts';
import { requireListedProduct, requireOwnProducts, requireOwnSkus, type Refusal } from './ownership.ts';
import { SharedPages } from './shared-pages.ts';
import { ShownSkus } from './shown-skus.ts';
import type { ProductStatus } from './tables.ts';
import './tables.ts';

export interface SkuForCheckout {
  skuId: number;
  productId: number;
  merchantId: number;
  productTitle: string;
  skuName: string;
  imageUrl: string | null;
  priceFen: number;
  originalPriceFen: number;
  weightGrams: number;
  categoryIds: number[];
  tagIds: number[];
  purchasable: boolean;
}

export interface ProductSummary {
  id: number;
  merchantId: number;
  title: string;
  coverUrl: string | null;
  minPriceFen: number;
  maxPriceFen: number;
  originalPriceFen: number;
  onShelf: boolean;
  stock: number;
  sales: number;
}

export type SearchSort = 'relevance' | 'price_asc' | 'price_desc' | 'sales' | 'newest';

export interface SearchFilter {
  q?: string | undefined;
  categoryId?: number | undefined;
  merchantId?: number | undefined;
  minPriceFen?: number | undefined;
  maxPriceFen?: number | undefined;
  tagIds?: number[] | undefined;
  sort?: SearchSort | undefined;
  page: number;
  pageSize: number;
}

/** A node's own copy of a page is re-read from the shared one this often (a missed invalidation lasts no longer). */
const PAGE_COPY_TTL_MS = 5_000;

export type ProductPage = Awaited<ReturnType<CatalogQueries['detail']>>;

export class CatalogQueries {
  /** This node's product pages (see publicDetail). */
  private readonly pages: NearCache<number, ProductPage>;
  private readonly shownSkus: ShownSkus;
  private readonly sharedPages: SharedPages;

  constructor(private readonly ctx: AppContext) {
    this.sharedPages = new SharedPages(ctx.cache);
    this.pages = nodeNearCache(ctx, {
      name: 'catalog:product-page',
      ttlMs: PAGE_COPY_TTL_MS,
      max: 5_000,
      what: 'product page copies',
    });
    const page = (productId: number) =>
      this.pages.get(productId, () => this.sharedDetail(productId)).catch(() => undefined);
    this.shownSkus = new ShownSkus(ctx, page, (db, skuIds) => this.getSkusForCheckout(db, skuIds));
  }
  start = () => this.pages.start();
  stop = () => this.pages.stop();

  /**
   * What checkout needs of each SKU, in one statement (quote and placement both run it): the product, the
   * category's path (up to three levels), the tags, and whether it is on sale in a shop that is active
   * (the shops shoppers may see are identity's, as a subquery).
   */
  async getSkusForCheckout(db: Db, skuIds: number[]): Promise<SkuForCheckout[]> {
    if (skuIds.length === 0) return [];
    const activeShops = this.ctx.services.merchants.publicMerchantIds();
    const rows = await db
      .selectFrom('skus as k')
      .innerJoin('products as p', 'p.id', 'k.product_id')
      .leftJoin('categories as c', 'c.id', 'p.category_id')
      .leftJoin('categories as cp', 'cp.id', 'c.parent_id')
      .select([
        'k.id',
        'k.product_id',
        'k.merchant_id',
        'p.title',
        'k.name',
        'p.cover_url',
        'k.price_fen',
        'k.original_price_fen',
        'k.weight_grams',
        'p.category_id',
        'c.parent_id as category_parent_id',
        'cp.parent_id as category_grandparent_id',
        sql<number[]>`(select coalesce(json_agg(t.tag_id order by t.tag_id), '[]'::json)
          from product_tags t where t.product_id = p.id)`.as('tag_ids'),
        sql<boolean>`k.enabled and p.status = 'on_shelf' and p.deleted_at is null
          and k.merchant_id in (${activeShops})`.as('on_sale'),
      ])
      .where('k.id', 'in', [...new Set(skuIds)])
      .execute();
    return rows.map((r) => ({
      skuId: r.id,
      productId: r.product_id,
      merchantId: r.merchant_id,
      productTitle: r.title,
      skuName: r.name,
      imageUrl: r.cover_url,
      priceFen: r.price_fen,
      originalPriceFen: r.original_price_fen,
      weightGrams: r.weight_grams,
      categoryIds: [r.category_id, r.category_parent_id, r.category_grandparent_id].filter(
        (x): x is number => x !== null,
      ),
      tagIds: (typeof r.tag_ids === 'string' ? (JSON.parse(r.tag_ids) as number[]) : r.tag_ids).map(Number),
      purchasable: r.on_sale,
    }));
  }

  /** What a quote shows of these SKUs: from this node's product pages when it has them (shown-skus.ts). */
  shownSkusForCheckout(skuIds: number[]): Promise<SkuForCheckout[]> {
    return this.shownSkus.of(skuIds);
  }

  // ---- tenancy: the ids a request carries must be the shop's own (ownership.ts) ----
  requireOwnProducts(db: Db, merchantId: number, productIds: readonly number[], refuse?: Refusal): Promise<void> {
    return requireOwnProducts(db, merchantId, productIds, refuse);
  }
  requireOwnSkus(db: Db, merchantId: number, skuIds: readonly number[], refuse?: Refusal): Promise<SkuForCheckout[]> {
    return requireOwnSkus(this, db, merchantId, skuIds, refuse);
  }
  requireListedProduct(productId: number): Promise<void> {
    return requireListedProduct(this.ctx, productId);
  }

  // ---- small reads for other modules (lookups.ts) ----
  /** Title and shop of each product among `ids` that exists (deleted ones too: history keeps its names). */
  productBriefs(ids: readonly number[], db: Db = this.ctx.db) {
    return productBriefs(db, ids);
  }
  /** The shop's first on-shelf products by id. */
  onShelfProducts(merchantId: number, limit: number, db: Db = this.ctx.db) {
    return onShelfProducts(db, merchantId, limit);
  }
  /** The shop's SKUs of products not deleted, by product then SKU; with `q`, matching title or code. */
  shopSkus(merchantId: number, q?: string, db: Db = this.ctx.db): Promise<ShopSku[]> {
    return shopSkus(db, merchantId, q);
  }
  /** The enabled SKUs of each product. */
  enabledSkusOf(productIds: readonly number[], db: Db = this.ctx.db) {
    return enabledSkusOf(db, productIds);
  }

  async getProductSummaries(ids: number[], db: Db = this.ctx.db): Promise<ProductSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.withStock(
      await this.summaryQuery(db)
        .where('p.id', 'in', [...new Set(ids)])
        .execute(),
      db,
    );
    const byId = new Map(rows.map((r) => [r.id, toSummary(r)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  private summaryQuery(db: Db) {
    return db
      .selectFrom('products as p')
      .select([
        'p.id',
        'p.merchant_id',
        'p.title',
        'p.cover_url',
        'p.status',
        'p.sales',
        'p.created_at',
        sql<number>`(select min(price_fen) from skus where product_id = p.id and enabled)`.as('min_price'),
        sql<number>`(select max(price_fen) from skus where product_id = p.id and enabled)`.as('max_price'),
        sql<number>`(select max(original_price_fen) from skus where product_id = p.id and enabled)`.as(
          'original_price',
        ),
      ])
      .where('p.deleted_at', 'is', null);
  }

  /** Each product's stock: what its enabled SKUs have available (inventory's figures). */
  private async withStock<R extends { id: number }>(rows: R[], db: Db): Promise<Array<R & { stock: number }>> {
    const skus = await enabledSkusOf(
      db,
      rows.map((r) => r.id),
    );
    const available = await this.ctx.services.inventory.available([...skus.values()].flat(), db);
    return rows.map((r) => ({
      ...r,
      stock: (skus.get(r.id) ?? []).reduce((sum, skuId) => sum + (available.get(skuId) ?? 0), 0),
    }));
  }

  /** Shopper search: on-shelf products of active merchants. */
  async search(f: SearchFilter) {
    const db = this.ctx.db;
    let q = db
      .selectFrom('products as p')
      .where('p.status', '=', 'on_shelf')
      .where('p.deleted_at', 'is', null)
      .where('p.merchant_id', 'in', this.ctx.services.merchants.publicMerchantIds());
    const kw = f.q?.trim();
    // Words (jieba) with synonyms and a typo fallback, ranked on air and in stock first (search/).
    const ranked = kw ? await this.ctx.services.productSearch.rank(kw, f.merchantId) : undefined;
    if (ranked) q = ranked.ids.length ? q.where('p.id', 'in', ranked.ids) : q.where(sql<SqlBool>`false`);
    if (f.merchantId) q = q.where('p.merchant_id', '=', f.merchantId);
    if (f.categoryId) {
      const cid = f.categoryId;
      q = q.where(
        sql<SqlBool>`p.category_id in (select id from categories where id = ${cid} or parent_id = ${cid} or parent_id in (select id from categories where parent_id = ${cid}))`,
      );
    }
    const minPrice = sql<number>`(select min(price_fen) from skus where product_id = p.id and enabled)`;
    if (f.minPriceFen !== undefined) q = q.where(sql<SqlBool>`${minPrice} >= ${f.minPriceFen}`);
    if (f.maxPriceFen !== undefined) q = q.where(sql<SqlBool>`${minPrice} <= ${f.maxPriceFen}`);
    for (const tagId of f.tagIds ?? []) {
      q = q.where(
        sql<SqlBool>`exists (select 1 from product_tags t where t.product_id = p.id and t.tag_id = ${tagId})`,
      );
    }
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let ordered = q.select('p.id');
    switch (f.sort ?? (kw ? 'relevance' : 'newest')) {
      case 'price_asc':
        ordered = ordered.orderBy(minPrice, 'asc');
        break;
      case 'price_desc':
        ordered = ordered.orderBy(minPrice, 'desc');
        break;
      case 'sales':
        ordered = ordered.orderBy('p.sales', 'desc');
        break;
      case 'newest':
        ordered = ordered.orderBy('p.created_at', 'desc');
        break;
      case 'relevance':
        if (ranked) {
          // The ranked matches are few (capped): filter them here, keep the search's order.
          const pos = new Map(ranked.ids.map((id, i) => [id, i]));
          const all = (await ordered.execute()).map((r) => r.id).sort((a, b) => pos.get(a)! - pos.get(b)!);
          const pageIds = all.slice((f.page - 1) * f.pageSize, f.page * f.pageSize);
          return { items: await this.getProductSummaries(pageIds), total: total.n, page: f.page, pageSize: f.pageSize };
        }
        ordered = ordered.orderBy('p.sales', 'desc');
        break;
    }
    const ids = (
      await ordered
        .orderBy('p.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute()
    ).map((r) => r.id);
    return { items: await this.getProductSummaries(ids), total: total.n, page: f.page, pageSize: f.pageSize };
  }

  /**
   * The shopper's product page is the hottest read, and when warm it runs no query: the page (all but
   * stock) is kept on this node and shared between nodes for a while (dropped when the shop edits the
   * product), and the shop's status and the stock shown come from their modules' copies, which are
   * dropped when they change. Placement decides on the rows themselves.
   */
  async publicDetail(productId: number) {
    const detail = (await this.pages.get(productId, () => this.sharedDetail(productId)))!;
    if (!(await this.ctx.services.merchants.isShownPublic(detail.merchantId))) throw notFound('Product');
    const stock = await this.ctx.services.inventory.shownAvailable(detail.skus.map((s) => s.id));
    return { ...detail, skus: detail.skus.map((s) => ({ ...s, stock: stock.get(s.id) ?? 0 })) };
  }

  /** Drop these products' pages on every node (after the change has committed): the shared copies first. */
  async forgetPages(productIds: number[]): Promise<void> {
    if (!productIds.length) return;
    await this.sharedPages.forget(productIds);
    this.pages.invalidate(productIds);
  }

  /** The page from the copy every node shares, else from the database (then shared). */
  private sharedDetail(productId: number): Promise<ProductPage> {
    return this.sharedPages.get(productId, () => this.detail(productId));
  }

  /** Full product for the detail page. Shoppers only see on-shelf products; members see their own drafts too. */
  async detail(productId: number, viewer?: { actor: Actor; merchantId: number }) {
    const db = this.ctx.db;
    const row = await db
      .selectFrom('products as p')
      .select([
        'p.id',
        'p.merchant_id',
        'p.category_id',
        'p.title',
        'p.subtitle',
        'p.description',
        'p.cover_url',
        'p.media',
        'p.specs',
        'p.status',
        'p.spu_code',
        'p.sales',
        'p.version',
        'p.created_at',
        'p.updated_at',
      ])
      .where('p.id', '=', productId)
      .where('p.deleted_at', 'is', null)
      .executeTakeFirst();
    const shop = row && (await this.ctx.services.directory.merchantBrief(row.merchant_id, db));
    if (!row || !shop) throw notFound('Product');
    const p = { ...row, merchant_name: shop.name, merchant_status: shop.status };
    if (viewer) {
      if (p.merchant_id !== viewer.merchantId) throw notFound('Product');
      await this.ctx.services.merchants.requireRole(viewer.actor, viewer.merchantId);
    } else if (p.status !== 'on_shelf' || p.merchant_status !== 'active') {
      throw notFound('Product');
    }
    const skus = await db.selectFrom('skus').selectAll().where('product_id', '=', productId).orderBy('id').execute();
    const visible = viewer ? skus : skus.filter((s) => s.enabled);
    // The shop sees on hand and reserved too, so nobody mistakes "available" for what is on the shelf.
    const levels = await this.ctx.services.inventory.levels(visible.map((s) => s.id));
    const tags = await db
      .selectFrom('product_tags as pt')
      .innerJoin('tags as t', 't.id', 'pt.tag_id')
      .select(['t.id', 't.name'])
      .where('pt.product_id', '=', productId)
      .orderBy('t.name')
      .execute();
    const categoryPath = p.category_id ? await this.categoryPath(p.category_id) : [];
    return {
      id: p.id,
      merchantId: p.merchant_id,
      merchantName: p.merchant_name,
      title: p.title,
      subtitle: p.subtitle,
      description: p.description,
      coverUrl: p.cover_url,
      media: p.media,
      specs: p.specs,
      status: p.status as ProductStatus,
      spuCode: p.spu_code,
      sales: p.sales,
      version: p.version,
      categoryId: p.category_id,
      categoryPath,
      tags,
      skus: visible.map((s) => ({
        id: s.id,
        specValues: s.spec_values,
        name: s.name,
        code: s.code,
        priceFen: s.price_fen,
        originalPriceFen: s.original_price_fen,
        weightGrams: s.weight_grams,
        enabled: s.enabled,
        stock: levels.get(s.id)?.available ?? 0,
        ...(viewer ? { onHand: levels.get(s.id)?.onHand ?? 0, reserved: levels.get(s.id)?.reserved ?? 0 } : {}),
      })),
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    };
  }

  async categoryPath(categoryId: number): Promise<Array<{ id: number; name: string }>> {
    const out: Array<{ id: number; name: string }> = [];
    let id: number | null = categoryId;
    for (let depth = 0; id !== null && depth < 3; depth++) {
      const c: { id: number; name: string; parent_id: number | null } | undefined = await this.ctx.db
        .selectFrom('categories')
        .select(['id', 'name', 'parent_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!c) break;
      out.unshift({ id: c.id, name: c.name });
      id = c.parent_id;
    }
    return out;
  }

  /** Merchant product list with filters. */
  async merchantList(
    actor: Actor,
    merchantId: number,
    f: {
      q?: string | undefined;
      status?: ProductStatus | undefined;
      categoryId?: number | undefined;
      page: number;
      pageSize: number;
    },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.summaryQuery(this.ctx.db).where('p.merchant_id', '=', merchantId);
    if (f.status) q = q.where('p.status', '=', f.status);
    if (f.categoryId) q = q.where('p.category_id', '=', f.categoryId);
    if (f.q?.trim()) {
      const kw = `%${escapeLike(f.q.trim())}%`;
      q = q.where((eb) =>
        eb.or([
          eb('p.title', 'ilike', kw),
          eb('p.spu_code', 'ilike', kw),
          sql<SqlBool>`exists (select 1 from skus k where k.product_id = p.id and k.code ilike ${kw})`,
        ]),
      );
    }
    const [rows, total] = await Promise.all([
      q
        .orderBy('p.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute()
        .then((page) => this.withStock(page, this.ctx.db)),
      this.ctx.db
        .selectFrom('products as p')
        .where('p.merchant_id', '=', merchantId)
        .where('p.deleted_at', 'is', null)
        .$if(!!f.status, (qb) => qb.where('p.status', '=', f.status!))
        .$if(!!f.categoryId, (qb) => qb.where('p.category_id', '=', f.categoryId!))
        .$if(!!f.q?.trim(), (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('p.title', 'ilike', `%${escapeLike(f.q!.trim())}%`),
              eb('p.spu_code', 'ilike', `%${escapeLike(f.q!.trim())}%`),
              sql<SqlBool>`exists (select 1 from skus k where k.product_id = p.id and k.code ilike ${`%${escapeLike(f.q!.trim())}%`})`,
            ]),
          ),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({ ...toSummary(r), status: r.status as ProductStatus })),
      total: total.n,
      page: f.page,
      pageSize: f.pageSize,
    };
  }
}

function toSummary(r: {
  id: number;
  merchant_id: number;
  title: string;
  cover_url: string | null;
  status: string;
  sales: number;
  min_price: number | null;
  max_price: number | null;
  original_price: number | null;
  stock: number;
}): ProductSummary {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    title: r.title,
    coverUrl: r.cover_url,
    minPriceFen: r.min_price ?? 0,
    maxPriceFen: r.max_price ?? 0,
    originalPriceFen: r.original_price ?? 0,
    onShelf: r.status === 'on_shelf',
    stock: Math.max(0, r.stock ?? 0),
    sales: r.sales,
  };
}
