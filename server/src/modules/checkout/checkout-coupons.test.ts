// Coupons at checkout through the real API on both backends: the automatic choice is the stack
// that saves the most (not the shop coupon first), the quote lists every coupon with why it does
// nothing when it does not, placing uses what the quote showed, and a free-shipping coupon waives
// the fee only where the shop delivers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { checkoutBuyer, checkoutWorld, type CheckoutWorld } from '../../../test/checkout-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('coupons at checkout on $name', (backend) => {
  let node: TestNode;
  let w: CheckoutWorld;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    w = await checkoutWorld(node, '139400000');
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  it('picks the platform 满100减40 over a shop 8折 that would drop the basket below 100元', async () => {
    const buyer = await checkoutBuyer(node, '13941000001', {
      templates: [w.coupons.aPercent, w.coupons.aThreshold, w.coupons.pThreshold],
    });
    const items = [
      { skuId: w.plain[0]!.skuId, quantity: 1 },
      { skuId: w.plain[1]!.skuId, quantity: 1 },
    ]; // 39.90 + 64.50 = 104.40元
    const q = (
      await node.api('POST', '/api/checkout/quote', { token: buyer.token, body: { items, addressId: buyer.addressId } })
    ).body;
    // 8折 takes 20.88 and leaves 83.52元; 满50减8 leaves 96.40元; 满100减40 alone takes 40.
    expect(q.couponMode).toBe('auto');
    expect(q.appliedCouponIds).toEqual([buyer.couponOf(w.coupons.pThreshold)]);
    expect(q.goodsFen - q.discountFen).toBe(10_440 - 4_000);
    expect(q.notes).toContain('已为你选择最优惠的券组合（1张）');
    const byId = new Map(q.coupons.map((c: { couponId: number }) => [c.couponId, c]));
    expect(byId.get(buyer.couponOf(w.coupons.pThreshold))).toMatchObject({
      applied: true,
      savingFen: 4_000,
      reason: null,
    });
    expect(byId.get(buyer.couponOf(w.coupons.aPercent))).toMatchObject({
      applied: false,
      savingFen: 2_088,
      reason: null,
    });

    // Picking the 8折 and the platform coupon: the platform one no longer reaches its threshold, and says so.
    const picked = [buyer.couponOf(w.coupons.aPercent), buyer.couponOf(w.coupons.pThreshold)];
    const chosen = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: { items, addressId: buyer.addressId, couponIds: picked },
      })
    ).body;
    expect(chosen).toMatchObject({ couponMode: 'chosen', appliedCouponIds: [buyer.couponOf(w.coupons.aPercent)] });
    expect(chosen.coupons.find((c: { couponId: number }) => c.couponId === picked[1])).toMatchObject({
      applied: false,
      reason: '与所选的券一起用时不满足使用条件',
    });
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: {
        idempotencyKey: 'coupons-picked-1',
        items,
        addressId: buyer.addressId,
        couponIds: picked,
        quoteToken: chosen.quoteToken,
      },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.payment.amountFen).toBe(chosen.totalFen);
    const used = (await node.api('GET', '/api/me/coupons?status=used', { token: buyer.token })).body.map(
      (c: { id: number }) => c.id,
    );
    expect(used).toEqual([picked[0]]);
  });

  it('explains coupons that do nothing for the basket', async () => {
    const buyer = await checkoutBuyer(node, '13941000002', {
      templates: [w.coupons.aThreshold, w.coupons.bFixed, w.coupons.pThreshold],
    });
    const q = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: { items: [{ skuId: w.plain[0]!.skuId, quantity: 1 }], addressId: buyer.addressId },
      })
    ).body;
    const reason = (t: number) => q.coupons.find((c: { couponId: number }) => c.couponId === buyer.couponOf(t))?.reason;
    expect(reason(w.coupons.aThreshold)).toBe('还差10.10元可用');
    expect(reason(w.coupons.pThreshold)).toBe('还差60.10元可用');
    // Another shop's coupon is not offered for this basket at all.
    expect(q.coupons.some((c: { couponId: number }) => c.couponId === buyer.couponOf(w.coupons.bFixed))).toBe(false);
    expect(q.notes).toContain('你有2张券，本单暂不满足使用条件');
  });

  it('waives shipping with a free-shipping coupon where the shop delivers, never where it does not', async () => {
    const items = [{ skuId: w.plain[0]!.skuId, quantity: 1 }];
    const home = await checkoutBuyer(node, '13941000003', { templates: [w.coupons.aFreeShipping] });
    const q = (
      await node.api('POST', '/api/checkout/quote', { token: home.token, body: { items, addressId: home.addressId } })
    ).body;
    expect(q).toMatchObject({
      shippingFen: 0,
      undeliverable: [],
      appliedCouponIds: [home.couponOf(w.coupons.aFreeShipping)],
    });
    expect(q.coupons[0]).toMatchObject({ applied: true, savingFen: 800 });

    const tibet = await checkoutBuyer(node, '13941000004', {
      templates: [w.coupons.aFreeShipping, w.coupons.pFreeShipping],
      province: '西藏自治区',
    });
    const t = (
      await node.api('POST', '/api/checkout/quote', { token: tibet.token, body: { items, addressId: tibet.addressId } })
    ).body;
    expect(t.undeliverable).toEqual([{ merchantId: w.shopA.merchantId, reason: '不配送至西藏自治区' }]);
    expect(t.groups[0].charges.some((c: { reason: string }) => c.reason.includes('包邮'))).toBe(false);
    for (const couponIds of [
      undefined,
      [tibet.couponOf(w.coupons.aFreeShipping)],
      [tibet.couponOf(w.coupons.pFreeShipping)],
    ]) {
      const body = { items, addressId: tibet.addressId, ...(couponIds ? { couponIds } : {}) };
      const quoted = (await node.api('POST', '/api/checkout/quote', { token: tibet.token, body })).body;
      expect(quoted.undeliverable).toHaveLength(1);
      const placed = await node.api('POST', '/api/orders', {
        token: tibet.token,
        body: { ...body, idempotencyKey: `tibet-order-${couponIds?.[0] ?? 'auto'}`, quoteToken: quoted.quoteToken },
      });
      expect([placed.status, placed.body.error.code]).toEqual([422, 'NOT_DELIVERABLE']);
    }
    expect((await node.api('GET', '/api/me/coupons', { token: tibet.token })).body).toHaveLength(2);
  });
});
