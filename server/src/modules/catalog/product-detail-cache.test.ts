// The shopper's product page is cached (everything but stock), and the price a shopper is shown is
// the price charged: every product, SKU, price, stock, shelf or shop status change made through the
// API shows on the very next read (the catalog drops the cached page once its write has committed;
// stock and the shop's status are read fresh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { createProduct, makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startChildNode, startNode, type TestNode } from '../../../test/harness.ts';
import { productCacheKey } from './shared-pages.ts';

describe.each(APP_BACKENDS)('product detail cache on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '缓存测试店', '13823340001');
  });
  afterAll(async () => {
    await node?.close();
  });

  const show = (productId: number) => node.api('GET', `/api/products/${productId}`);
  const asOwner = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    node.api(method, `/api/merchants/${shop.merchantId}${path}`, {
      token: shop.owner.token,
      body,
      ...(headers ? { headers } : {}),
    });
  const twoSkus = async (title: string) => {
    const p = await createProduct(node, shop, {
      title,
      specs: [{ name: '规格', values: ['小', '大'] }],
      skus: [
        { specValues: ['小'], priceFen: 1000, stock: 5 },
        { specValues: ['大'], priceFen: 2000, stock: 7 },
      ],
    });
    return p.id as number;
  };
  /** Read twice, so the second answer certainly came from the cached copies. */
  const warm = async (productId: number) => {
    expect((await show(productId)).status).toBe(200);
    const r = await show(productId);
    expect(r.status).toBe(200);
    return r.body;
  };
  /** The editor's full body for this product with the SKUs changed by `skus`. */
  const edited = async (productId: number, skus: (s: any) => Record<string, unknown>) => {
    const p = (await asOwner('GET', `/products/${productId}`)).body;
    return {
      body: {
        title: p.title,
        status: p.status,
        specs: p.specs,
        skus: p.skus.filter((s: any) => s.enabled).map((s: any) => ({ specValues: s.specValues, ...skus(s) })),
      },
      version: String(p.version),
    };
  };

  it('shows a price edit at once, and the shared copy is dropped', async () => {
    const id = await twoSkus('改价芒果');
    expect((await warm(id)).skus.map((s: any) => s.priceFen)).toEqual([1000, 2000]);
    expect(await node.app.ctx.cache.get(productCacheKey(id))).not.toBeNull();
    const e = await edited(id, (s) => ({ priceFen: s.priceFen + 1, originalPriceFen: s.priceFen + 1 }));
    expect((await asOwner('PUT', `/products/${id}`, e.body, { 'if-match': e.version })).status).toBe(200);
    expect(await node.app.ctx.cache.get(productCacheKey(id))).toBeNull();
    const after = (await show(id)).body;
    expect(after.skus.map((s: any) => s.priceFen)).toEqual([1001, 2001]);
    // What the shopper was shown is what checkout charges.
    const checkout = await node.app.ctx.services.catalog.getSkusForCheckout(
      node.app.ctx.db,
      after.skus.map((s: any) => s.id),
    );
    expect(checkout.map((c) => c.priceFen).sort()).toEqual(after.skus.map((s: any) => s.priceFen).sort());
  });

  it('keeps a read that started before a price edit from sharing the old page after it', async () => {
    const id = await twoSkus('慢读芒果');
    const catalog = node.app.ctx.services.catalog;
    const read = catalog.detail.bind(catalog);
    let edits = 0;
    // The first shopper's read of the database ends, then the edit commits, then the read would share.
    catalog.detail = async (productId, viewer) => {
      const page = await read(productId, viewer);
      if (productId === id && !viewer && edits++ === 0) {
        const e = await edited(id, (s) => ({ priceFen: s.priceFen + 5, originalPriceFen: s.priceFen + 5 }));
        expect((await asOwner('PUT', `/products/${id}`, e.body, { 'if-match': e.version })).status).toBe(200);
      }
      return page;
    };
    try {
      // That shopper sees what was true when the read began...
      expect((await show(id)).body.skus.map((s: any) => s.priceFen)).toEqual([1000, 2000]);
      // ...but nobody after them does, on this node or from the copy the nodes share.
      expect(await node.app.ctx.cache.get(productCacheKey(id))).toBeNull();
      expect((await show(id)).body.skus.map((s: any) => s.priceFen)).toEqual([1005, 2005]);
      expect((await warm(id)).skus.map((s: any) => s.priceFen)).toEqual([1005, 2005]);
    } finally {
      catalog.detail = read;
    }
  });

  it('drops a SKU the shop disabled and shows one it added', async () => {
    const id = await twoSkus('改规格');
    expect((await warm(id)).skus).toHaveLength(2);
    const p = (await asOwner('GET', `/products/${id}`)).body;
    const body = {
      title: p.title,
      status: p.status,
      specs: [{ name: '规格', values: ['大', '特大'] }],
      skus: [
        { specValues: ['大'], priceFen: 2000 },
        { specValues: ['特大'], priceFen: 3000, stock: 3 },
      ],
    };
    expect((await asOwner('PUT', `/products/${id}`, body, { 'if-match': String(p.version) })).status).toBe(200);
    const after = (await show(id)).body;
    expect(after.skus.map((s: any) => [s.name, s.priceFen, s.stock])).toEqual([
      ['大', 2000, 7],
      ['特大', 3000, 3],
    ]);
  });

  it('shows stock changes and reservations at once', async () => {
    const id = await twoSkus('库存变化');
    const before = await warm(id);
    const skuId = before.skus[0].id as number;
    expect(before.skus[0].stock).toBe(5);
    expect((await asOwner('POST', '/stock/adjust', { skuId, delta: 10 })).status).toBe(200);
    expect((await show(id)).body.skus[0].stock).toBe(15);
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.services.inventory.reserve(trx, {
        orderId: 700_001,
        merchantId: shop.merchantId,
        lines: [{ skuId, quantity: 4 }],
      }),
    );
    expect((await show(id)).body.skus[0].stock).toBe(11);
  });

  it('answers 404 once the product is off the shelf or deleted, and shows it again when relisted', async () => {
    const id = await twoSkus('上下架');
    await warm(id);
    const status = (s: string) => asOwner('POST', '/products/status', { productIds: [id], status: s });
    expect((await status('off_shelf')).status).toBe(200);
    expect((await show(id)).status).toBe(404);
    expect((await status('on_shelf')).status).toBe(200);
    await warm(id);
    expect((await asOwner('DELETE', `/products/${id}`)).status).toBe(200);
    expect((await show(id)).status).toBe(404);
  });

  it("hides a suspended shop's products at once and shows them again when it is reactivated", async () => {
    const other = await makeShop(node, '停业测试店', '13823340002');
    const p = await createProduct(node, other, {
      title: '停业商品',
      specs: [],
      skus: [{ specValues: [], priceFen: 990, stock: 2 }],
    });
    await warm(p.id);
    const setShop = (status: string) =>
      node.api('PATCH', `/api/platform/merchants/${other.merchantId}`, { token: other.admin.token, body: { status } });
    expect((await setShop('suspended')).status).toBe(200);
    expect((await show(p.id)).status).toBe(404);
    expect((await setShop('active')).status).toBe(200);
    expect((await show(p.id)).status).toBe(200);
  });
});

// Each node keeps its own copy of the page, the stock and the shop's status: a change made through
// one node shows on the other (told over Redis; the copies' short lives are only the fallback).
const shared = process.env.DATABASE_URL && process.env.REDIS_URL;
describe.runIf(shared)('product page copies across two server processes', () => {
  it("shows a sale, a price edit and a shop's suspension made through the other node", async () => {
    const first = await startNode({ db: 'postgres', cache: 'redis' });
    const { databaseUrl, redisPrefix } = first.config;
    const second = await startChildNode({ databaseUrl: databaseUrl!, redisPrefix });
    try {
      const shop = await makeShop(first, '双节点缓存店', '13823340011');
      const p = await createProduct(first, shop, {
        title: '双节点商品',
        specs: [],
        skus: [{ specValues: [], priceFen: 1000, stock: 9 }],
      });
      const onSecond = () => second.api('GET', `/api/products/${p.id}`);
      /** Poll the other node until it agrees; how long that took is printed, never asserted. */
      const seen = async (what: string, ok: (r: { status: number; body: any }) => boolean) => {
        const from = Date.now();
        for (let r = await onSecond(); !ok(r); r = await onSecond()) {
          if (Date.now() - from > 15_000) throw new Error(`the other node never showed ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        console.log(`product page across nodes: ${what} shown after ${Date.now() - from} ms`);
      };
      await seen('the product', (r) => r.status === 200 && r.body.skus[0].stock === 9);
      await seen('the product (copy)', (r) => r.status === 200);
      const owner = (method: string, route: string, body?: unknown, headers?: Record<string, string>) =>
        first.api(method, `/api/merchants/${shop.merchantId}${route}`, {
          token: shop.owner.token,
          body,
          ...(headers ? { headers } : {}),
        });
      const skuId = p.skus[0].id as number;
      expect((await owner('POST', '/stock/adjust', { skuId, delta: -4 })).status).toBe(200);
      await seen('the stock change', (r) => r.body.skus?.[0]?.stock === 5);
      const now = (await owner('GET', `/products/${p.id}`)).body;
      const edit = {
        title: now.title,
        status: now.status,
        specs: now.specs,
        skus: [{ specValues: [], priceFen: 1200, stock: 5 }],
      };
      expect((await owner('PUT', `/products/${p.id}`, edit, { 'if-match': String(now.version) })).status).toBe(200);
      await seen('the new price', (r) => r.body.skus?.[0]?.priceFen === 1200);
      const admin = { token: shop.admin.token, body: { status: 'suspended' } };
      expect((await first.api('PATCH', `/api/platform/merchants/${shop.merchantId}`, admin)).status).toBe(200);
      await seen('the suspension', (r) => r.status === 404);
    } finally {
      await second.kill();
      await first.close();
    }
  }, 120_000);
});
