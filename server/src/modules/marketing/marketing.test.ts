// Marketing through the real API on both backends: coupon claiming under concurrency and its
// limits, the best coupon stack explained at checkout, coupons consumed and returned with the
// order, full-reduction tiers, limited-time and new-user prices, points spent, returned and earned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';

const inDays = (d: number) => new Date(Date.now() + d * 86400_000).toISOString();

describe.each(APP_BACKENDS)('marketing on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shop = await makeShop(node, '营销测试店', '13866660001');
    other = await makeShop(node, '隔壁店', '13866660002');
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  const createCoupon = (body: Record<string, unknown>, s = shop) =>
    node.api('POST', `/api/merchants/${s.merchantId}/coupons`, {
      token: s.owner.token,
      body: { validDays: 7, totalQuantity: 100, ...body },
    });

  it('issues exactly the quantity to concurrent claimers and holds each user to the limit', async () => {
    const t = (await createCoupon({ title: '抢券', kind: 'fixed', amountFen: 500, totalQuantity: 3, perUserLimit: 1 }))
      .body;
    expect(t).toMatchObject({ remaining: 3, funding: 'merchant', description: '立减5元' });
    const users = await Promise.all(
      Array.from({ length: 30 }, (_, i) => node.userToken(`1386667${String(i).padStart(4, '0')}`)),
    );
    const results = await Promise.all(
      users.map((u) => node.api('POST', `/api/coupons/${t.id}/claim`, { token: u.token })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.error.code))).toEqual(
      new Set(['COUPON_SOLD_OUT']),
    );
    const row = await node.app.ctx.db
      .selectFrom('coupon_templates')
      .select('claimed')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row.claimed).toBe(3);
    expect(
      await node.app.ctx.db.selectFrom('coupons').select('id').where('template_id', '=', t.id).execute(),
    ).toHaveLength(3);

    const t2 = (await createCoupon({ title: '每人两张', kind: 'fixed', amountFen: 100, perUserLimit: 2 })).body;
    const u = users[0]!;
    expect((await node.api('POST', `/api/coupons/${t2.id}/claim`, { token: u.token })).status).toBe(201);
    expect((await node.api('POST', `/api/coupons/${t2.id}/claim`, { token: u.token })).status).toBe(201);
    expect((await node.api('POST', `/api/coupons/${t2.id}/claim`, { token: u.token })).body.error.code).toBe(
      'COUPON_LIMIT_REACHED',
    );
    expect(
      (
        await node.app.ctx.db
          .selectFrom('coupon_templates')
          .select('claimed')
          .where('id', '=', t2.id)
          .executeTakeFirstOrThrow()
      ).claimed,
    ).toBe(2);
  });

  it('gives new users the new-user coupons when they register', async () => {
    const gift = (
      await node.api('POST', '/api/platform/coupons', {
        token: shop.admin.token,
        body: {
          title: '新人礼',
          kind: 'fixed',
          amountFen: 500,
          validDays: 7,
          totalQuantity: 100,
          channels: ['new_user'],
        },
      })
    ).body;
    const reg = await node.api('POST', '/api/auth/register', { body: { phone: '13866665001', password: 'secret123' } });
    expect(reg.status).toBe(201);
    const token = reg.body.tokens.accessToken;
    await until(async () =>
      (await node.api('GET', '/api/me/coupons', { token })).body.some(
        (c: { templateId: number }) => c.templateId === gift.id,
      ),
    );
    const mine = (await node.api('GET', '/api/me/coupons', { token })).body.filter(
      (c: { templateId: number }) => c.templateId === gift.id,
    );
    expect(mine).toEqual([expect.objectContaining({ channel: 'new_user', title: '新人礼' })]);
    // Not claimable from the claim centre: it is for new users only.
    expect((await node.api('POST', `/api/coupons/${gift.id}/claim`, { token })).body.error.code).toBe(
      'COUPON_NOT_CLAIMABLE',
    );
  });

  it('refuses bad terms, foreign shops, paused and unstarted coupons with stable codes', async () => {
    expect(
      (await createCoupon({ title: 'x', kind: 'threshold', amountFen: 5000, thresholdFen: 3000 })).body.error.code,
    ).toBe('COUPON_TERMS_INVALID');
    expect((await createCoupon({ title: 'x', kind: 'percent' })).body.error.code).toBe('COUPON_TERMS_INVALID');
    expect((await createCoupon({ title: 'x', kind: 'fixed', amountFen: 100, bogus: 1 })).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (
        await node.api('POST', `/api/merchants/${shop.merchantId}/coupons`, {
          token: other.owner.token,
          body: { title: 'x', kind: 'fixed', amountFen: 100, validDays: 1, totalQuantity: 1 },
        })
      ).status,
    ).toBe(403);
    const later = (await createCoupon({ title: '明天开抢', kind: 'fixed', amountFen: 100, claimStartsAt: inDays(1) }))
      .body;
    const buyer = await node.userToken('13866661001');
    expect((await node.api('POST', `/api/coupons/${later.id}/claim`, { token: buyer.token })).body.error.code).toBe(
      'COUPON_NOT_CLAIMABLE',
    );
    const paused = (await createCoupon({ title: '暂停', kind: 'fixed', amountFen: 100 })).body;
    await node.api('POST', `/api/merchants/${shop.merchantId}/coupons/${paused.id}/status`, {
      token: shop.owner.token,
      body: { status: 'paused' },
    });
    expect((await node.api('POST', `/api/coupons/${paused.id}/claim`, { token: buyer.token })).body.error.code).toBe(
      'COUPON_NOT_CLAIMABLE',
    );
    expect((await node.api('POST', '/api/coupons/999999/claim', { token: buyer.token })).body.error.code).toBe(
      'COUPON_NOT_FOUND',
    );
    // Other shops cannot pause this shop's coupon.
    expect(
      (
        await node.api('POST', `/api/merchants/${other.merchantId}/coupons/${paused.id}/status`, {
          token: other.owner.token,
          body: { status: 'active' },
        })
      ).body.error.code,
    ).toBe('COUPON_NOT_FOUND');
  });

  it('suggests and explains the best stack, consumes it with the order and returns it on cancel', async () => {
    const buyer = await node.userToken('13866662001');
    const addr = await addressFor(node, buyer.token, '广东省');
    const { skuId } = await simpleProduct(node, shop, '礼盒', 6000, 50);
    const small = (await createCoupon({ title: '满50减5', kind: 'threshold', amountFen: 500, thresholdFen: 5000 }))
      .body;
    const big = (await createCoupon({ title: '满50减12', kind: 'threshold', amountFen: 1200, thresholdFen: 5000 }))
      .body;
    const platform = (
      await node.api('POST', '/api/platform/coupons', {
        token: shop.admin.token,
        body: { title: '平台立减3元', kind: 'fixed', amountFen: 300, validDays: 7, totalQuantity: 10 },
      })
    ).body;
    const foreign = (await createCoupon({ title: '别家券', kind: 'fixed', amountFen: 100 }, other)).body;
    for (const t of [small, big, platform, foreign])
      expect((await node.api('POST', `/api/coupons/${t.id}/claim`, { token: buyer.token })).status).toBe(201);
    const mine = (await node.api('GET', '/api/me/coupons', { token: buyer.token })).body as Array<{
      id: number;
      templateId: number;
    }>;
    const couponOf = (templateId: number) => mine.find((c) => c.templateId === templateId)!.id;

    const quote = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: { items: [{ skuId, quantity: 1 }], addressId: addr.id },
      })
    ).body;
    const reasons = quote.groups[0].lines[0].adjustments
      .filter((a: { step: string }) => a.step === 'coupons')
      .map((a: { reason: string; amountFen: number }) => [a.reason, a.amountFen]);
    expect(reasons).toEqual([
      ['店铺券「满50减12」满50元减12元', -1200],
      ['平台券「平台立减3元」立减3元', -300],
    ]);
    expect(quote.discountFen).toBe(1500);
    expect(quote.notes.join()).toContain('最优惠');
    // Choosing: two coupons of one shop is refused; someone else's coupon is refused; none is honoured.
    expect(
      (
        await node.api('POST', '/api/checkout/quote', {
          token: buyer.token,
          body: {
            items: [{ skuId, quantity: 1 }],
            addressId: addr.id,
            couponIds: [couponOf(small.id), couponOf(big.id)],
          },
        })
      ).body.error.code,
    ).toBe('COUPON_STACKING');
    const stranger = await node.userToken('13866662002');
    expect(
      (
        await node.api('POST', '/api/checkout/quote', {
          token: stranger.token,
          body: { items: [{ skuId, quantity: 1 }], couponIds: [couponOf(big.id)] },
        })
      ).body.error.code,
    ).toBe('COUPON_NOT_USABLE');
    expect(
      (
        await node.api('POST', '/api/checkout/quote', {
          token: buyer.token,
          body: { items: [{ skuId, quantity: 1 }], addressId: addr.id, couponIds: [] },
        })
      ).body.discountFen,
    ).toBe(0);

    const placed = (
      await node.api('POST', '/api/orders', {
        token: buyer.token,
        body: { idempotencyKey: 'mkt-order-0001', items: [{ skuId, quantity: 1 }], addressId: addr.id },
      })
    ).body;
    expect(placed.orders[0].totalFen).toBe(6000 - 1500 + quote.shippingFen);
    const used = (await node.api('GET', '/api/me/coupons?status=used', { token: buyer.token })).body
      .map((c: { templateId: number }) => c.templateId)
      .sort();
    expect(used).toEqual([big.id, platform.id].sort());
    // The same coupons cannot be used twice.
    const second = await node.api('POST', '/api/checkout/quote', {
      token: buyer.token,
      body: { items: [{ skuId, quantity: 1 }], addressId: addr.id, couponIds: [couponOf(big.id)] },
    });
    expect(second.body.error.code).toBe('COUPON_NOT_USABLE');
    await node.api('POST', `/api/orders/${placed.orders[0].orderId}/cancel`, { token: buyer.token });
    await until(
      async () => (await node.api('GET', '/api/me/coupons?status=used', { token: buyer.token })).body.length === 0,
    );
    expect(
      (await node.api('GET', '/api/me/coupons', { token: buyer.token })).body.map(
        (c: { templateId: number }) => c.templateId,
      ),
    ).toEqual(expect.arrayContaining([big.id, platform.id, small.id]));
  });

  it('applies full-reduction tiers, limited-time discounts and new-user prices with their reasons', async () => {
    const buyer = await node.userToken('13866663001');
    const addr = await addressFor(node, buyer.token, '广东省');
    const a = await simpleProduct(node, other, '衬衫', 8000, 50);
    const b = await simpleProduct(node, other, '长裤', 12000, 50);
    const promo = (path: string, body: Record<string, unknown>) =>
      node.api('POST', `/api/merchants/${other.merchantId}/${path}`, {
        token: other.owner.token,
        body: { startsAt: inDays(-1), endsAt: inDays(1), ...body },
      });
    expect(
      (
        await promo('promotions', {
          kind: 'full_reduction',
          title: '满减',
          terms: { tiers: [{ thresholdFen: 10000, amountOffFen: 3000 }] },
        })
      ).body,
    ).toMatchObject({});
    expect(
      (
        await promo('promotions', {
          kind: 'full_reduction',
          title: '坏',
          terms: { tiers: [{ thresholdFen: 1000, amountOffFen: 3000 }] },
        })
      ).body.error.code,
    ).toBe('PROMOTION_INVALID');
    expect(
      (
        await promo('promotions', {
          kind: 'limited_discount',
          title: '衬衫限时价',
          terms: { items: [{ skuId: a.skuId, priceFen: 6000 }] },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await promo('promotions', {
          kind: 'new_user_price',
          title: '新人长裤',
          terms: { items: [{ skuId: b.skuId, priceFen: 9900 }] },
        })
      ).status,
    ).toBe(201);
    const q = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: {
          items: [
            { skuId: a.skuId, quantity: 1 },
            { skuId: b.skuId, quantity: 1 },
          ],
          addressId: addr.id,
          couponIds: [],
        },
      })
    ).body;
    const lines = q.groups[0].lines as Array<{
      skuId: number;
      unitPriceFen: number;
      payableFen: number;
      adjustments: Array<{ step: string; reason: string; amountFen: number }>;
    }>;
    const la = lines.find((l) => l.skuId === a.skuId)!;
    const lb = lines.find((l) => l.skuId === b.skuId)!;
    expect(la.unitPriceFen).toBe(6000);
    expect(la.adjustments.find((x) => x.step === 'product_deals')!.reason).toContain('限时折扣');
    expect(lb.unitPriceFen).toBe(9900);
    expect(lb.adjustments.find((x) => x.step === 'product_deals')!.reason).toContain('新人价');
    // 60 + 99 = 159 ≥ 100: 30 off, split across both lines exactly.
    const fr = [la, lb].flatMap((l) => l.adjustments.filter((x) => x.step === 'full_reduction'));
    expect(fr.reduce((s, x) => s + x.amountFen, 0)).toBe(-3000);
    expect(la.payableFen + lb.payableFen).toBe(15900 - 3000);
    expect(q.discountFen).toBe(20000 - 12900);
    // Results show on the promotion list once orders are paid.
    const placed = (
      await node.api('POST', '/api/orders', {
        token: buyer.token,
        body: {
          idempotencyKey: 'mkt-order-0002',
          items: [
            { skuId: a.skuId, quantity: 1 },
            { skuId: b.skuId, quantity: 1 },
          ],
          addressId: addr.id,
          couponIds: [],
        },
      })
    ).body;
    await payWithSandbox(node, placed.payment.cashierUrl, 'succeeded');
    await until(
      async () =>
        (await node.api('GET', `/api/orders/${placed.orders[0].orderId}`, { token: buyer.token })).body.status ===
        'paid',
    );
    const list = (await node.api('GET', `/api/merchants/${other.merchantId}/promotions`, { token: other.owner.token }))
      .body as Array<{ title: string; paidOrders: number; discountFen: number }>;
    expect(list.find((p) => p.title === '满减')).toMatchObject({ paidOrders: 1, discountFen: 3000 });
    // A shopper who has paid before no longer gets the new-user price.
    const again = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: { items: [{ skuId: b.skuId, quantity: 1 }], addressId: addr.id, couponIds: [] },
      })
    ).body;
    expect(again.groups[0].lines[0].unitPriceFen).toBe(12000);
  });

  it('spends points within the allowed share, returns them on cancel and earns them on completion', async () => {
    const buyer = await node.userToken('13866664001');
    const addr = await addressFor(node, buyer.token, '广东省');
    const { skuId } = await simpleProduct(node, shop, '积分商品', 4000, 50);
    await node.app.ctx.db
      .transaction()
      .execute((trx) => node.app.ctx.services.points.adjust(trx, buyer.userId, 5000, 'test-grant'));
    const q = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: { items: [{ skuId, quantity: 1 }], addressId: addr.id, couponIds: [], usePoints: true },
      })
    ).body;
    // 50 % of 40元 = 20元 = 2000 points (100 points per yuan).
    const pts = q.groups[0].lines[0].adjustments.find((a: { step: string }) => a.step === 'points');
    expect(pts).toMatchObject({ amountFen: -2000, reason: '积分抵扣：2000积分抵20.00元' });
    const placed = (
      await node.api('POST', '/api/orders', {
        token: buyer.token,
        body: {
          idempotencyKey: 'mkt-order-0003',
          items: [{ skuId, quantity: 1 }],
          addressId: addr.id,
          couponIds: [],
          usePoints: true,
        },
      })
    ).body;
    expect((await node.api('GET', '/api/me/points', { token: buyer.token })).body.balance).toBe(3000);
    await node.api('POST', `/api/orders/${placed.orders[0].orderId}/cancel`, { token: buyer.token });
    await until(async () => (await node.api('GET', '/api/me/points', { token: buyer.token })).body.balance === 5000);

    // Earning: a completed order of 40元 + shipping earns 1 point per yuan paid, once.
    const p2 = (
      await node.api('POST', '/api/orders', {
        token: buyer.token,
        body: { idempotencyKey: 'mkt-order-0004', items: [{ skuId, quantity: 1 }], addressId: addr.id, couponIds: [] },
      })
    ).body;
    await payWithSandbox(node, p2.payment.cashierUrl, 'succeeded');
    const orderId = p2.orders[0].orderId;
    await until(
      async () => (await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token })).body.status === 'paid',
    );
    for (let i = 0; i < 2; i++) {
      await node.app.ctx.db.transaction().execute(async (trx) => {
        const facts = await node.app.ctx.services.orders.eventPayload(trx, orderId);
        const payload = { ...facts, paidFen: facts.totalFen };
        await node.app.ctx.events.emit(trx, {
          type: 'order.completed',
          aggregateType: 'order',
          aggregateId: orderId,
          payload,
        });
      });
    }
    const expected = 5000 + Math.floor(p2.orders[0].totalFen / 100);
    await until(
      async () => (await node.api('GET', '/api/me/points', { token: buyer.token })).body.balance === expected,
    );
    const ledger = (await node.api('GET', '/api/me/points', { token: buyer.token })).body.entries.map(
      (e: { reason: string }) => e.reason,
    );
    expect(ledger.filter((r: string) => r === 'earned')).toHaveLength(1);
  });
});
