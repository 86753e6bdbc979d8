import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('orders and sandbox payments on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let shop2: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shop = await makeShop(node, '下单测试店', '13855550001');
    shop2 = await makeShop(node, '第二家店', '13855550002');
    await node.api('POST', `/api/merchants/${shop.merchantId}/shipping-templates`, {
      token: shop.owner.token,
      body: {
        name: '默认',
        chargeBy: 'weight',
        isDefault: true,
        freeOverFen: 9900,
        rules: [
          { regions: ['*'], firstUnits: 1000, firstFeeFen: 800, extraUnits: 1000, extraFeeFen: 500 },
          { regions: ['新疆维吾尔自治区'], firstUnits: 1000, firstFeeFen: 2000, extraUnits: 1000, extraFeeFen: 1000 },
        ],
      },
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('quotes with a per-line breakdown and shipping by region and weight, then places and pays', async () => {
    const buyer = await node.userToken('13955550001');
    const { skuId } = await simpleProduct(node, shop, '苹果 2.5kg', 3000, 20); // 500 g each
    const addr = await addressFor(node, buyer.token, '广东省');
    const quote = await node.api('POST', '/api/checkout/quote', {
      token: buyer.token,
      body: { items: [{ skuId, quantity: 3 }], addressId: addr.id },
    });
    expect(quote.status).toBe(200);
    // 3 × 500 g = 1.5 kg: 8元 first kg + 5元 for the next (partial) kg.
    expect(quote.body).toMatchObject({ goodsFen: 9000, discountFen: 0, shippingFen: 1300, totalFen: 10300 });
    expect(quote.body.groups[0].lines[0].adjustments[0]).toMatchObject({ step: 'base', amountFen: 9000 });
    expect(quote.body.notes.join()).toContain('包邮');

    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: {
        idempotencyKey: 'order-key-0001',
        items: [{ skuId, quantity: 3 }],
        addressId: addr.id,
        quoteToken: quote.body.quoteToken,
      },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.orders).toHaveLength(1);
    expect(placed.body.payment).toMatchObject({ amountFen: 10300, status: 'pending' });
    // Retrying with the same key returns the same order; a different basket with it is refused.
    const again = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: 'order-key-0001', items: [{ skuId, quantity: 3 }], addressId: addr.id },
    });
    expect(again.body.orders[0].orderId).toBe(placed.body.orders[0].orderId);
    const misuse = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: 'order-key-0001', items: [{ skuId, quantity: 1 }], addressId: addr.id },
    });
    expect(misuse.status).toBe(409);
    expect(misuse.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const stockHeld = await node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(stockHeld).toEqual({ on_hand: 20, reserved: 3 });

    await payWithSandbox(node, placed.body.payment.cashierUrl, 'succeeded');
    const orderId = placed.body.orders[0].orderId;
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status === 'paid',
    );
    const stockSold = await node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(stockSold).toEqual({ on_hand: 17, reserved: 0 });
    const detail = (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body;
    expect(detail.charges[0]).toMatchObject({ step: 'shipping_fee', amountFen: 1300 });
    expect(detail.payment).toMatchObject({ status: 'succeeded', provider: 'sandbox' });

    // The shop's dashboard counts it today; another shop's owner cannot read this shop's numbers.
    const summary = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/orders/summary?days=7`, { token: shop.owner.token })
    ).body;
    expect(summary).toMatchObject({ unit: 'day', paidOrders: 1, gmvFen: 10300 });
    expect(summary.series).toHaveLength(1);
    expect(
      (await node.api('GET', `/api/merchants/${shop.merchantId}/orders/summary`, { token: shop2.owner.token })).status,
    ).toBe(403);
    expect(
      (await node.api('GET', `/api/merchants/${shop2.merchantId}/orders/summary`, { token: shop2.owner.token })).body,
    ).toMatchObject({ paidOrders: 0, gmvFen: 0, series: [] });
    // Members: the buyer with spend and an RFM segment; a masked phone; nobody else's customers.
    const customers = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/customers`, { token: shop.owner.token })
    ).body;
    expect(customers).toEqual([
      expect.objectContaining({
        userId: buyer.userId,
        orders: 1,
        paidFen: 10300,
        points: 0,
        coupons: 0,
        recencyDays: 0,
        rfm: { r: 5, f: 1, m: 2 },
        segment: 'new', // bought today: never 沉睡 (absolute thresholds, members/rfm.ts)
      }),
    ]);
    expect(customers[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    // Staff find a member by part of the nickname or by the whole number a customer gives them.
    const find = async (q: string) =>
      (
        await node.api('GET', `/api/merchants/${shop.merchantId}/customers?find=${encodeURIComponent(q)}`, {
          token: shop.owner.token,
        })
      ).body.map((c: { userId: number }) => c.userId);
    expect(await find(customers[0].nickname.slice(0, 2))).toEqual([buyer.userId]);
    expect(await find('13955550001')).toEqual([buyer.userId]);
    expect(await find('1395555')).toEqual([]); // part of a number is not enough
    expect(
      (await node.api('GET', `/api/merchants/${shop2.merchantId}/customers`, { token: shop2.owner.token })).body,
    ).toEqual([]);
    expect(
      (await node.api('GET', `/api/merchants/${shop.merchantId}/customers`, { token: shop2.owner.token })).status,
    ).toBe(403);
    // The operator's cross-shop dashboard.
    const dash = (await node.api('GET', '/api/platform/dashboard', { token: shop.admin.token })).body;
    expect(dash.find((d: { merchantId: number }) => d.merchantId === shop.merchantId)).toMatchObject({
      todayOrders: 1,
      todayGmvFen: 10300,
      weekOrders: 1,
    });
    expect(dash.find((d: { merchantId: number }) => d.merchantId === shop2.merchantId)).toMatchObject({
      todayOrders: 0,
      weekOrders: 0,
      weekGmvFen: 0,
    });
    expect((await node.api('GET', '/api/platform/dashboard', { token: shop.owner.token })).status).toBe(403);

    // The merchant ships in two parcels; the order is shipped after the second; the buyer confirms.
    const line = detail.lines[0];
    const p1 = await node.api('POST', `/api/merchants/${shop.merchantId}/orders/${orderId}/ship`, {
      token: shop.owner.token,
      body: { carrier: '顺丰', trackingNo: 'SF1000001', items: [{ lineId: line.id, quantity: 1 }] },
    });
    expect(p1.body.status).toBe('paid');
    const p2 = await node.api('POST', `/api/merchants/${shop.merchantId}/orders/${orderId}/ship`, {
      token: shop.owner.token,
      body: { carrier: '顺丰', trackingNo: 'SF1000002' },
    });
    expect(p2.body.status).toBe('shipped');
    const confirmed = await node.api('POST', `/api/orders/${orderId}/confirm-receipt`, { token: buyer.token });
    expect(confirmed.body.status).toBe('delivered');
    expect(confirmed.body.shipments).toHaveLength(2);
    expect(confirmed.body.history.map((h: any) => h.to)).toEqual([
      'pending_payment',
      'paid',
      'paid',
      'shipped',
      'delivered',
    ]);
  });

  it('splits a multi-shop basket into one order per shop paid with one payment', async () => {
    const buyer = await node.userToken('13955550002');
    const a = await simpleProduct(node, shop, '甲店货', 5000, 5);
    const b = await simpleProduct(node, shop2, '乙店货', 7000, 5);
    const addr = await addressFor(node, buyer.token, '浙江省');
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: {
        idempotencyKey: 'multi-shop-0001',
        items: [
          { skuId: a.skuId, quantity: 2 },
          { skuId: b.skuId, quantity: 1 },
        ],
        addressId: addr.id,
      },
    });
    expect(placed.body.orders.map((o: any) => o.merchantId).sort()).toEqual([shop.merchantId, shop2.merchantId].sort());
    // Shop 1: 100元 ≥ 99 → free shipping; shop 2 has no template → free.
    expect(placed.body.payment.amountFen).toBe(10000 + 7000);
    await payWithSandbox(node, placed.body.payment.cashierUrl, 'succeeded');
    for (const o of placed.body.orders)
      await until(
        async () => (await node.api('GET', `/api/orders/${o.orderId}`, { token: buyer.token })).body.status === 'paid',
      );
    // Each shop sees only its own order.
    const seen = await node.api('GET', `/api/merchants/${shop2.merchantId}/orders`, { token: shop2.owner.token });
    expect(seen.body.items.map((o: any) => o.merchantId)).toEqual([shop2.merchantId]);
    expect(
      (
        await node.api(
          'GET',
          `/api/merchants/${shop2.merchantId}/orders/${placed.body.orders.find((o: any) => o.merchantId === shop.merchantId).orderId}`,
          { token: shop2.owner.token },
        )
      ).status,
    ).toBe(404);
  });

  it('rejects bad baskets with clear codes and reserves nothing', async () => {
    const buyer = await node.userToken('13955550003');
    const mine = await simpleProduct(node, shop, '校验货', 100, 2);
    const off = await simpleProduct(node, shop, '下架货', 100, 2, { status: 'off_shelf' });
    const addr = await addressFor(node, buyer.token, '广东省');
    const place = (items: unknown, extra: Record<string, unknown> = {}) =>
      node.api('POST', '/api/orders', {
        token: buyer.token,
        body: { idempotencyKey: `bad-${Math.random()}`, items, addressId: addr.id, ...extra },
      });
    expect((await place([{ skuId: mine.skuId, quantity: 0 }])).body.error.code).toBe('VALIDATION_FAILED');
    expect((await place([{ skuId: 99_999_999, quantity: 1 }])).body.error.code).toBe('SKU_NOT_FOUND');
    expect((await place([{ skuId: off.skuId, quantity: 1 }])).body.error.code).toBe('SKU_NOT_PURCHASABLE');
    expect((await place([{ skuId: mine.skuId, quantity: 1, priceFen: 1 }])).body.error.code).toBe('VALIDATION_FAILED'); // price tampering
    const short = await place([{ skuId: mine.skuId, quantity: 3 }]);
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('OUT_OF_STOCK');
    const forged = await place([{ skuId: mine.skuId, quantity: 1 }], { quoteToken: 'eyJhbGciOiJIUzI1NiJ9.e30.forged' });
    expect(forged.body.error.code).toBe('QUOTE_INVALID');
    const q = await node.api('POST', '/api/checkout/quote', {
      token: buyer.token,
      body: { items: [{ skuId: mine.skuId, quantity: 1 }], addressId: addr.id },
    });
    const wrongBasket = await place([{ skuId: mine.skuId, quantity: 2 }], { quoteToken: q.body.quoteToken });
    expect(wrongBasket.body.error.code).toBe('QUOTE_INVALID');
    // A price change between quote and placement is refused rather than charged.
    await node.api('PUT', `/api/merchants/${shop.merchantId}/products/${mine.productId}`, {
      token: shop.owner.token,
      headers: { 'if-match': '*' },
      body: { title: '校验货', status: 'on_shelf', specs: [], skus: [{ specValues: [], priceFen: 150 }] },
    });
    const moved = await place([{ skuId: mine.skuId, quantity: 1 }], { quoteToken: q.body.quoteToken });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('PRICE_CHANGED');
    expect(moved.body.error.details.totalFen).toBe(150 + 800);
    const levels = await node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', mine.skuId)
      .executeTakeFirstOrThrow();
    expect(levels).toEqual({ on_hand: 2, reserved: 0 });
    const orders = await node.app.ctx.db
      .selectFrom('orders')
      .select('id')
      .where('user_id', '=', buyer.userId)
      .execute();
    expect(orders).toEqual([]);
  });

  it('sells exactly the stock to 200 concurrent buyers of 50 units, and the ledger agrees', async () => {
    const { skuId } = await simpleProduct(node, shop, '秒光款', 1000, 50);
    const buyers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => node.userToken(`1396666${String(i).padStart(4, '0')}`)),
    );
    const addrs = await Promise.all(buyers.map((b) => addressFor(node, b.token, '广东省')));
    const results = await Promise.all(
      buyers.map((b, i) =>
        node.api('POST', '/api/orders', {
          token: b.token,
          body: { idempotencyKey: `rush-${i}-000`, items: [{ skuId, quantity: 1 }], addressId: addrs[i]!.id },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    const levels = await node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(levels).toEqual({ on_hand: 50, reserved: 50 });
    const ledger = await node.app.ctx.db
      .selectFrom('stock_ledger')
      .select([
        sql<number>`sum(delta_reserved)`.as('r'),
        sql<number>`count(*) filter (where reason = 'reserve')`.as('n'),
      ])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(ledger).toEqual({ r: 50, n: 50 });
    const orders = await node.app.ctx.db
      .selectFrom('order_lines')
      .select(sql<number>`sum(quantity)`.as('q'))
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(orders.q).toBe(50);
  });
});
