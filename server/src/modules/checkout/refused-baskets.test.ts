// Every basket the rules refuse, tried through the real API on both backends: each gets a 4xx with
// its stable code from the quote and from placement alike — never a 500 — and leaves nothing
// behind (no order, no unit reserved, no flash-sale unit taken, no coupon or point spent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { checkoutBuyer, checkoutWorld, type CheckoutWorld } from '../../../test/checkout-fixtures.ts';
import { simpleProduct } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

type Buyer = Awaited<ReturnType<typeof checkoutBuyer>>;
interface Case {
  name: string;
  status: number;
  code: string;
  body(): Record<string, unknown>;
  quote?: false;
}

describe.each(APP_BACKENDS)('refused baskets on $name', (backend) => {
  let node: TestNode;
  let w: CheckoutWorld;
  let buyer: Buyer;
  let other: Buyer;
  const ids: Record<string, number> = {};
  let flashToken = '';
  beforeAll(async () => {
    // One shopper tries every refusal in a row: the per-shopper placement rate limit is not under test here.
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { dbPoolMax: 20, rateLimits: { enabled: false, overrides: {} } },
    });
    w = await checkoutWorld(node, '139500000');
    buyer = await checkoutBuyer(node, '13951000001', {
      templates: [w.coupons.aThreshold, w.coupons.aPercent, w.coupons.pThreshold, w.coupons.pPercent],
      points: 300,
    });
    other = await checkoutBuyer(node, '13951000002', { templates: [w.coupons.bFixed] });
    const tok = await node.api('POST', `/api/flash-sales/items/${w.flash.itemId}/token`, {
      token: buyer.token,
      body: {},
    });
    flashToken = tok.body.token;
    ids.myBargain = (
      await node.api('POST', `/api/bargains/campaigns/${w.bargain.campaignId}/start`, { token: buyer.token })
    ).body.id;
    ids.othersBargain = (
      await node.api('POST', `/api/bargains/campaigns/${w.bargain.campaignId}/start`, { token: other.token })
    ).body.id;
    ids.roomA = (
      await node.api('POST', `/api/merchants/${w.shopA.merchantId}/rooms`, {
        token: w.shopA.owner.token,
        body: { title: 'A店直播' },
      })
    ).body.id;
    ids.offShelf = (await simpleProduct(node, w.shopA, '已下架', 1000, 10, { status: 'off_shelf' })).skuId;
    const second = await node.api('POST', `/api/merchants/${w.shopA.merchantId}/group-buys`, {
      token: w.shopA.owner.token,
      body: {
        skuId: w.plain[0]!.skuId,
        title: '另一个团',
        groupPriceFen: 1990,
        groupSize: 2,
        expireMinutes: 60,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    ids.secondDeal = second.body.id;
    const opened = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: {
        idempotencyKey: 'refused-own-group',
        items: [{ skuId: w.groupBuy.skuId, quantity: 1 }],
        addressId: buyer.addressId,
        groupBuy: { dealId: w.groupBuy.dealId },
        couponIds: [],
      },
    });
    ids.myGroup = (
      await node.app.ctx.db
        .selectFrom('group_buy_members')
        .select('group_id')
        .where('order_id', '=', opened.body.orders[0].orderId)
        .executeTakeFirstOrThrow()
    ).group_id;
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  const one = (skuId: number, quantity = 1) => ({ skuId, quantity });
  const base = (items: Array<{ skuId: number; quantity: number }>, extra: Record<string, unknown> = {}) => ({
    items,
    addressId: buyer.addressId,
    ...extra,
  });
  const gb = (extra: Record<string, unknown> = {}) => ({ groupBuy: { dealId: w.groupBuy.dealId, ...extra } });
  const cases = (): Case[] => [
    {
      name: 'group-buy of two units',
      status: 400,
      code: 'GROUP_BUY_BASKET_INVALID',
      body: () => base([one(w.groupBuy.skuId, 2)], gb()),
    },
    {
      name: 'group-buy with an extra line',
      status: 400,
      code: 'GROUP_BUY_BASKET_INVALID',
      body: () => base([one(w.groupBuy.skuId), one(w.plain[0]!.skuId)], gb()),
    },
    {
      name: "group-buy deal for another shop's item",
      status: 400,
      code: 'GROUP_BUY_BASKET_INVALID',
      body: () => base([one(w.plain[2]!.skuId)], gb()),
    },
    {
      name: 'unknown group-buy deal',
      status: 404,
      code: 'GROUP_BUY_NOT_FOUND',
      body: () => base([one(w.groupBuy.skuId)], { groupBuy: { dealId: 99_999_999 } }),
    },
    {
      name: 'joining a group of another deal',
      status: 404,
      code: 'GROUP_NOT_FOUND',
      body: () => base([one(w.plain[0]!.skuId)], { groupBuy: { dealId: ids.secondDeal, groupId: ids.myGroup } }),
    },
    {
      name: 'joining my own group again',
      status: 409,
      code: 'GROUP_ALREADY_JOINED',
      body: () => base([one(w.groupBuy.skuId)], gb({ groupId: ids.myGroup })),
    },
    {
      name: 'bargain of two units',
      status: 400,
      code: 'BARGAIN_BASKET_INVALID',
      body: () => base([one(w.bargain.skuId, 2)], { bargainId: ids.myBargain }),
    },
    {
      name: 'bargain with an extra line',
      status: 400,
      code: 'BARGAIN_BASKET_INVALID',
      body: () => base([one(w.bargain.skuId), one(w.plain[1]!.skuId)], { bargainId: ids.myBargain }),
    },
    {
      name: 'bargain for another item',
      status: 400,
      code: 'BARGAIN_BASKET_INVALID',
      body: () => base([one(w.plain[1]!.skuId)], { bargainId: ids.myBargain }),
    },
    {
      name: "someone else's bargain",
      status: 404,
      code: 'BARGAIN_NOT_FOUND',
      body: () => base([one(w.bargain.skuId)], { bargainId: ids.othersBargain }),
    },
    {
      name: 'flash sale above the per-person limit',
      status: 409,
      code: 'FLASH_LIMIT_REACHED',
      body: () => base([one(w.flash.skuId, 3)], { flashSaleItemId: w.flash.itemId, flashToken }),
    },
    {
      name: 'flash sale without its item',
      status: 400,
      code: 'FLASH_ITEM_NOT_IN_BASKET',
      body: () => base([one(w.plain[0]!.skuId)], { flashSaleItemId: w.flash.itemId, flashToken }),
    },
    {
      name: 'flash sale without a token',
      status: 403,
      code: 'FLASH_TOKEN_INVALID',
      body: () => base([one(w.flash.skuId)], { flashSaleItemId: w.flash.itemId }),
      quote: false,
    },
    {
      name: 'unknown flash-sale item',
      status: 404,
      code: 'FLASH_NOT_FOUND',
      body: () => base([one(w.flash.skuId)], { flashSaleItemId: 99_999_999, flashToken }),
    },
    {
      name: 'flash sale and group-buy at once',
      status: 400,
      code: 'DEALS_EXCLUSIVE',
      body: () => base([one(w.flash.skuId)], { flashSaleItemId: w.flash.itemId, flashToken, ...gb() }),
    },
    {
      name: 'group-buy and bargain at once',
      status: 400,
      code: 'DEALS_EXCLUSIVE',
      body: () => base([one(w.bargain.skuId)], { bargainId: ids.myBargain, ...gb() }),
    },
    {
      name: "someone else's coupon",
      status: 409,
      code: 'COUPON_NOT_USABLE',
      body: () => base([one(w.plain[2]!.skuId)], { couponIds: [other.couponOf(w.coupons.bFixed)] }),
    },
    {
      name: 'an unknown coupon',
      status: 409,
      code: 'COUPON_NOT_USABLE',
      body: () => base([one(w.plain[0]!.skuId)], { couponIds: [99_999_999] }),
    },
    {
      name: 'two coupons of one shop',
      status: 409,
      code: 'COUPON_STACKING',
      body: () =>
        base([one(w.plain[1]!.skuId)], {
          couponIds: [buyer.couponOf(w.coupons.aThreshold), buyer.couponOf(w.coupons.aPercent)],
        }),
    },
    {
      name: 'two platform coupons',
      status: 409,
      code: 'COUPON_STACKING',
      body: () =>
        base([one(w.plain[1]!.skuId, 2)], {
          couponIds: [buyer.couponOf(w.coupons.pThreshold), buyer.couponOf(w.coupons.pPercent)],
        }),
    },
    {
      name: 'more points than the balance',
      status: 409,
      code: 'POINTS_INSUFFICIENT',
      body: () => base([one(w.plain[1]!.skuId)], { usePoints: 301 }),
    },
    {
      name: 'an unknown address',
      status: 404,
      code: 'ADDRESS_NOT_FOUND',
      body: () => ({ items: [one(w.plain[0]!.skuId)], addressId: 99_999_999 }),
    },
    {
      name: "someone else's address",
      status: 404,
      code: 'ADDRESS_NOT_FOUND',
      body: () => ({ items: [one(w.plain[0]!.skuId)], addressId: other.addressId }),
    },
    { name: 'an unknown SKU', status: 404, code: 'SKU_NOT_FOUND', body: () => base([one(99_999_999)]) },
    { name: 'an SKU id beyond any id', status: 400, code: 'VALIDATION_FAILED', body: () => base([one(1e20)]) },
    {
      name: 'points beyond any balance',
      status: 400,
      code: 'VALIDATION_FAILED',
      body: () => base([one(w.plain[0]!.skuId)], { usePoints: 1e20 }),
    },
    { name: 'an off-shelf SKU', status: 400, code: 'SKU_NOT_PURCHASABLE', body: () => base([one(ids.offShelf!)]) },
    {
      name: 'lines of one SKU adding up to more than 999',
      status: 400,
      code: 'QUANTITY_INVALID',
      body: () => base([one(w.plain[0]!.skuId, 600), one(w.plain[0]!.skuId, 600)]),
    },
    {
      name: 'an unknown room',
      status: 404,
      code: 'ROOM_NOT_FOUND',
      body: () => base([one(w.plain[0]!.skuId)], { roomId: 99_999_999 }),
    },
    {
      name: 'a room of another shop',
      status: 400,
      code: 'ROOM_NOT_FOR_BASKET',
      body: () => base([one(w.plain[2]!.skuId)], { roomId: ids.roomA }),
    },
    { name: 'no items', status: 400, code: 'VALIDATION_FAILED', body: () => base([]) },
    {
      name: 'negative points',
      status: 400,
      code: 'VALIDATION_FAILED',
      body: () => base([one(w.plain[0]!.skuId)], { usePoints: -5 }),
    },
    {
      name: 'an unknown field',
      status: 400,
      code: 'VALIDATION_FAILED',
      body: () => base([one(w.plain[0]!.skuId)], { priceFen: 1 }),
    },
  ];

  it('answers each with a 4xx and its code, from the quote and from placement, and leaves nothing behind', async () => {
    const db = node.app.ctx.db;
    const snapshot = async () => ({
      reserved: Number(
        (
          await db
            .selectFrom('stock_levels')
            .select((eb) => eb.fn.sum<number>('reserved').as('n'))
            .executeTakeFirstOrThrow()
        ).n ?? 0,
      ),
      orders: Number(
        (
          await db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      coupons: (await node.api('GET', '/api/me/coupons', { token: buyer.token })).body.length,
      points: (await node.api('GET', '/api/me/points', { token: buyer.token })).body.balance,
      flashLeft: (await node.api('GET', '/api/flash-sales')).body
        .flatMap((s: { items: Array<{ id: number; remaining: number }> }) => s.items)
        .find((i: { id: number }) => i.id === w.flash.itemId).remaining,
    });
    const before = await snapshot();
    const seen: Array<[string, number, string]> = [];
    let n = 0;
    for (const c of cases()) {
      if (c.quote !== false) {
        const q = await node.api('POST', '/api/checkout/quote', { token: buyer.token, body: c.body() });
        seen.push([`quote: ${c.name}`, q.status, q.body?.error?.code]);
      }
      const p = await node.api('POST', '/api/orders', {
        token: buyer.token,
        body: { idempotencyKey: `refused-${++n}-key`, ...c.body() },
      });
      seen.push([`place: ${c.name}`, p.status, p.body?.error?.code]);
    }
    const expected = cases().flatMap(
      (c): Array<[string, number, string]> => [
        ...(c.quote !== false ? [[`quote: ${c.name}`, c.status, c.code] as [string, number, string]] : []),
        [`place: ${c.name}`, c.status, c.code],
      ],
    );
    expect(seen).toEqual(expected);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('refuses a quote token for another request, another shopper or a forgery', async () => {
    const body = base([one(w.plain[0]!.skuId)]);
    const q = (await node.api('POST', '/api/checkout/quote', { token: buyer.token, body })).body;
    const place = (token: string, b: Record<string, unknown>, key: string) =>
      node.api('POST', '/api/orders', { token, body: { idempotencyKey: key, ...b, quoteToken: q.quoteToken } });
    const changed = [
      { ...body, usePoints: true },
      { ...body, couponIds: [] },
      { ...body, roomId: ids.roomA },
      { ...body, items: [one(w.plain[0]!.skuId, 2)] },
    ];
    for (const [i, b] of changed.entries())
      expect((await place(buyer.token, b, `token-misuse-${i}`)).body.error.code).toBe('QUOTE_INVALID');
    expect(
      (await place(other.token, { ...body, addressId: other.addressId }, 'token-misuse-other')).body.error.code,
    ).toBe('QUOTE_INVALID');
    const forged = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: 'token-forged', ...body, quoteToken: `${q.quoteToken.slice(0, -4)}AAAA` },
    });
    expect(forged.body.error.code).toBe('QUOTE_INVALID');
    // A quote without an address (a fee preview) cannot be placed: its shipping was a guess.
    const preview = (
      await node.api('POST', '/api/checkout/quote', {
        token: buyer.token,
        body: { items: body.items, province: '广东省' },
      })
    ).body;
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: 'token-preview', ...body, quoteToken: preview.quoteToken },
    });
    expect(placed.body.error.code).toBe('QUOTE_INVALID');
  });

  it('uses a coupon, a points balance and a bargain once under 20 concurrent placements; the rest get a 409', async () => {
    const racer = await checkoutBuyer(node, '13951000003', { templates: [w.coupons.aThreshold], points: 1_000 });
    const bargainId = (
      await node.api('POST', `/api/bargains/campaigns/${w.bargain.campaignId}/start`, { token: racer.token })
    ).body.id;
    const race = async (name: string, body: Record<string, unknown>) => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          node.api('POST', '/api/orders', {
            token: racer.token,
            body: { idempotencyKey: `race-${name}-${i}`, addressId: racer.addressId, ...body },
          }),
        ),
      );
      return results.map((r) => (r.status === 201 ? 'placed' : `${r.status} ${r.body.error.code}`)).sort();
    };
    const once = (code: string) => ['placed', ...Array<string>(19).fill(`409 ${code}`)].sort();
    expect(
      await race('coupon', { items: [one(w.plain[1]!.skuId)], couponIds: [racer.couponOf(w.coupons.aThreshold)] }),
    ).toEqual(once('COUPON_NOT_USABLE'));
    expect(await race('points', { items: [one(w.plain[1]!.skuId)], couponIds: [], usePoints: 1_000 })).toEqual(
      once('POINTS_INSUFFICIENT'),
    );
    expect(await race('bargain', { items: [one(w.bargain.skuId)], couponIds: [], bargainId })).toEqual(
      once('BARGAIN_DONE'),
    );
    expect((await node.api('GET', '/api/me/points', { token: racer.token })).body.balance).toBe(0);
  }, 120_000);
});
