// A quote reads the SKU, the shop's promotions and its shipping template from this node's copies (the buy
// sheet of a pinned product is opened thousands of times at once); placement reads the rows. So a change made
// through the shop's own API shows in the very next quote, and a change the copies never heard of (written
// behind the API's back) can make a quote stale but never makes anyone pay a price they were not shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { bulkBuyers } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('what a quote shows on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '报价店', '13856660001');
  });
  afterAll(async () => {
    await node?.close();
  });

  const shopApi = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    node.api(method, `/api/merchants/${shop.merchantId}${path}`, {
      token: shop.owner.token,
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
  /** A shop-wide 满减 running for the next hour. */
  const fullReduction = (title: string, thresholdFen: number, amountOffFen: number) =>
    shopApi('POST', '/promotions', {
      kind: 'full_reduction',
      title,
      terms: { tiers: [{ thresholdFen, amountOffFen }] },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
  const flatFee = (name: string, feeFen: number) => ({
    name,
    chargeBy: 'pieces',
    isDefault: true,
    rules: [{ regions: ['*'], firstUnits: 1, firstFeeFen: feeFen, extraUnits: 1, extraFeeFen: 0 }],
  });

  it('shows the shop API changes at once, and placement refuses a quote a hidden change made stale', async () => {
    expect((await shopApi('POST', '/shipping-templates', flatFee('八元', 800))).status).toBe(201);
    const { productId, skuId } = await simpleProduct(node, shop, '报价款', 5000, 20);
    const [buyer] = await bulkBuyers(node, 1, '1385666');
    const body = { items: [{ skuId, quantity: 1 }], addressId: buyer!.addressId };
    const quote = async () => {
      const q = await node.api('POST', '/api/checkout/quote', { token: buyer!.token, body });
      expect(q.status).toBe(200);
      return q.body as { totalFen: number; quoteToken: string };
    };
    expect((await quote()).totalFen).toBe(5800);

    // Behind the API's back: the copies keep showing the old price; placement reads the row and refuses.
    await node.app.ctx.db.updateTable('skus').set({ price_fen: 4000 }).where('id', '=', skuId).execute();
    const stale = await quote();
    expect(stale.totalFen).toBe(5800);
    const refused = await node.api('POST', '/api/orders', {
      token: buyer!.token,
      body: { ...body, idempotencyKey: 'shown-stale', quoteToken: stale.quoteToken },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('PRICE_CHANGED');
    expect(refused.body.error.details.totalFen).toBe(4800);

    // Through the API: the product's new price, a new default template, a promotion and its pause.
    const loaded = await shopApi('GET', `/products/${productId}`);
    const edited = {
      title: loaded.body.title,
      categoryId: loaded.body.categoryId,
      status: loaded.body.status,
      specs: loaded.body.specs,
      skus: loaded.body.skus.map((s: any) => ({ specValues: s.specValues, priceFen: 4500, stock: s.stock })),
    };
    const saved = await shopApi('PUT', `/products/${productId}`, edited, { 'if-match': loaded.headers.get('etag')! });
    expect(saved.status).toBe(200);
    expect((await quote()).totalFen).toBe(5300);
    expect((await shopApi('POST', '/shipping-templates', flatFee('十二元', 1200))).status).toBe(201);
    expect((await quote()).totalFen).toBe(5700);
    const promo = await fullReduction('满45减5', 4500, 500);
    expect(promo.status).toBe(201);
    expect((await quote()).totalFen).toBe(5200);
    expect((await shopApi('POST', `/promotions/${promo.body.id}/status`, { status: 'paused' })).status).toBe(200);
    const last = await quote();
    expect(last.totalFen).toBe(5700);

    // And what that quote showed is what placing with it charges.
    const placed = await node.api('POST', '/api/orders', {
      token: buyer!.token,
      body: { ...body, idempotencyKey: 'shown-fresh', quoteToken: last.quoteToken },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.payment.amountFen).toBe(5700);
  });

  it('refuses a quote whose lines moved though its total did not', async () => {
    const a = await simpleProduct(node, shop, '对调甲', 3000, 5);
    const b = await simpleProduct(node, shop, '对调乙', 2000, 5);
    const [buyer] = await bulkBuyers(node, 1, '1385668');
    const body = {
      items: [
        { skuId: a.skuId, quantity: 1 },
        { skuId: b.skuId, quantity: 1 },
      ],
      addressId: buyer!.addressId,
    };
    const quoted = await node.api('POST', '/api/checkout/quote', { token: buyer!.token, body });
    expect(quoted.status).toBe(200);
    // Behind the API's back, 500 fen moves from one line to the other: the same total, other lines.
    const { db } = node.app.ctx;
    await db.updateTable('skus').set({ price_fen: 3500 }).where('id', '=', a.skuId).execute();
    await db.updateTable('skus').set({ price_fen: 1500 }).where('id', '=', b.skuId).execute();
    const placed = await node.api('POST', '/api/orders', {
      token: buyer!.token,
      body: { ...body, idempotencyKey: 'shown-moved-lines', quoteToken: quoted.body.quoteToken },
    });
    expect(placed.status).toBe(409);
    expect(placed.body.error.code).toBe('PRICE_CHANGED');
    expect(placed.body.error.details.totalFen).toBe(quoted.body.totalFen);
    const lines = placed.body.error.details.groups.flatMap((g: any) => g.lines);
    expect(lines.map((l: any) => [l.skuId, l.payableFen]).sort()).toEqual(
      [
        [a.skuId, 3500],
        [b.skuId, 1500],
      ].sort(),
    );
  });

  it('answers a SKU its pages cannot show from the rows: off shelf, disabled, unknown', async () => {
    const { productId, skuId } = await simpleProduct(node, shop, '下架款', 3000, 5);
    const [buyer] = await bulkBuyers(node, 1, '1385667');
    const quote = (id: number) =>
      node.api('POST', '/api/checkout/quote', {
        token: buyer!.token,
        body: { items: [{ skuId: id, quantity: 1 }], addressId: buyer!.addressId },
      });
    expect((await quote(skuId)).status).toBe(200);
    expect((await shopApi('POST', '/products/status', { productIds: [productId], status: 'off_shelf' })).status).toBe(
      200,
    );
    const off = await quote(skuId);
    expect(off.status).toBe(400);
    expect(off.body.error.code).toBe('SKU_NOT_PURCHASABLE');
    const unknown = await quote(skuId + 100_000);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('SKU_NOT_FOUND');
  });
  it('prices a basket the same whatever order it lists its items in', async () => {
    const a = await simpleProduct(node, shop, '顺序甲', 1000, 5);
    const b = await simpleProduct(node, shop, '顺序乙', 1000, 5);
    const [buyer] = await bulkBuyers(node, 1, '1385669');
    // 301 fen off two equal lines: one of them takes the odd fen.
    const promo = await fullReduction('满20减3.01', 2000, 301);
    expect(promo.status).toBe(201);
    try {
      const item = (skuId: number) => ({ skuId, quantity: 1 });
      const listed = { items: [item(a.skuId), item(b.skuId)], addressId: buyer!.addressId };
      const q = await node.api('POST', '/api/checkout/quote', { token: buyer!.token, body: listed });
      expect(q.status).toBe(200);
      const quotedLines: Array<[number, number]> = q.body.groups[0].lines.map((l: any) => [l.skuId, l.payableFen]);
      expect(quotedLines.map(([skuId]) => skuId)).toEqual([a.skuId, b.skuId]); // as listed
      expect(quotedLines.reduce((sum, [, fen]) => sum + fen, 0)).toBe(2000 - 301);
      // Placed with the items the other way round (what another client might send).
      const placed = await node.api('POST', '/api/orders', {
        token: buyer!.token,
        body: {
          ...listed,
          items: [item(b.skuId), item(a.skuId)],
          idempotencyKey: 'listed-order',
          quoteToken: q.body.quoteToken,
        },
      });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const order = await node.api('GET', `/api/orders/${placed.body.orders[0].orderId}`, { token: buyer!.token });
      expect(order.body.lines.map((l: any) => [l.skuId, l.payableFen]).sort()).toEqual([...quotedLines].sort());
    } finally {
      await shopApi('POST', `/promotions/${promo.body.id}/status`, { status: 'paused' });
    }
  });
});
