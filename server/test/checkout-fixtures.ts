// A small store for checkout tests, made through the merchant and platform APIs: two shops (one
// with a weight-based template that does not deliver to 西藏), shop and platform coupons of every
// kind, a running flash sale, a group-buy deal and a bargain campaign.
import { makeShop, simpleProduct, type ShopFixture } from './commerce-fixtures.ts';
import type { TestNode } from './harness.ts';
import { addressFor } from './order-fixtures.ts';

export interface CheckoutWorld {
  shopA: ShopFixture;
  shopB: ShopFixture;
  /** Plain SKUs: two of shop A, one of shop B. */
  plain: Array<{ skuId: number; merchantId: number; priceFen: number }>;
  coupons: Record<
    'aThreshold' | 'aPercent' | 'aFreeShipping' | 'bFixed' | 'pThreshold' | 'pPercent' | 'pFreeShipping',
    number
  >;
  flash: { itemId: number; skuId: number; priceFen: number };
  groupBuy: { dealId: number; skuId: number; priceFen: number };
  bargain: { campaignId: number; skuId: number };
}

const at = (ms: number) => new Date(Date.now() + ms).toISOString();

async function ok<T = any>(r: Promise<{ status: number; body: any }>, what: string): Promise<T> {
  const res = await r;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

export async function checkoutWorld(node: TestNode, phoneBase: string): Promise<CheckoutWorld> {
  const shopA = await makeShop(node, '结算测试A店', `${phoneBase}01`);
  const shopB = await makeShop(node, '结算测试B店', `${phoneBase}02`);
  const as = (shop: ShopFixture) => ({ token: shop.owner.token });
  await ok(
    node.api('POST', `/api/merchants/${shopA.merchantId}/shipping-templates`, {
      ...as(shopA),
      body: {
        name: '按重量',
        chargeBy: 'weight',
        isDefault: true,
        freeOverFen: 19_900,
        excludedRegions: ['西藏自治区'],
        rules: [{ regions: ['*'], firstUnits: 1000, firstFeeFen: 800, extraUnits: 1000, extraFeeFen: 500 }],
      },
    }),
    'template',
  );
  const a1 = await simpleProduct(node, shopA, '结算苹果', 3_990, 10_000);
  const a2 = await simpleProduct(node, shopA, '结算香蕉', 6_450, 10_000);
  const b1 = await simpleProduct(node, shopB, '结算衬衫', 8_800, 10_000);
  const coupon = (shop: ShopFixture | null, body: Record<string, unknown>) =>
    ok<{ id: number }>(
      node.api('POST', shop ? `/api/merchants/${shop.merchantId}/coupons` : '/api/platform/coupons', {
        token: shop ? shop.owner.token : shopA.admin.token,
        body: { validDays: 7, totalQuantity: 100_000, perUserLimit: 1, ...body },
      }),
      'coupon',
    );
  const coupons = {
    aThreshold: (await coupon(shopA, { title: 'A满50减8', kind: 'threshold', amountFen: 800, thresholdFen: 5_000 })).id,
    aPercent: (await coupon(shopA, { title: 'A八折', kind: 'percent', percentOffBp: 2_000, capFen: 5_000 })).id,
    aFreeShipping: (await coupon(shopA, { title: 'A包邮', kind: 'free_shipping' })).id,
    bFixed: (await coupon(shopB, { title: 'B立减5', kind: 'fixed', amountFen: 500 })).id,
    pThreshold: (
      await coupon(null, { title: '平台满100减40', kind: 'threshold', amountFen: 4_000, thresholdFen: 10_000 })
    ).id,
    pPercent: (await coupon(null, { title: '平台9折', kind: 'percent', percentOffBp: 1_000, capFen: 2_000 })).id,
    pFreeShipping: (await coupon(null, { title: '平台包邮', kind: 'free_shipping', thresholdFen: 3_000 })).id,
  };
  const fs = await simpleProduct(node, shopA, '秒杀芒果', 3_990, 10_000);
  const session = await ok(
    node.api('POST', `/api/merchants/${shopA.merchantId}/flash-sales`, {
      ...as(shopA),
      body: {
        title: '结算秒杀',
        startsAt: at(-1_000),
        endsAt: at(3_600_000),
        items: [{ skuId: fs.skuId, flashPriceFen: 2_990, stock: 5_000, perUserLimit: 2 }],
      },
    }),
    'flash sale',
  );
  const gb = await simpleProduct(node, shopA, '拼团水杯', 5_000, 10_000);
  const deal = await ok(
    node.api('POST', `/api/merchants/${shopA.merchantId}/group-buys`, {
      ...as(shopA),
      body: {
        skuId: gb.skuId,
        title: '结算团',
        groupPriceFen: 2_990,
        groupSize: 100,
        expireMinutes: 60,
        startsAt: at(-1_000),
        endsAt: at(86_400_000),
      },
    }),
    'group-buy',
  );
  const bg = await simpleProduct(node, shopA, '砍价台灯', 9_900, 10_000);
  const campaign = await ok(
    node.api('POST', `/api/merchants/${shopA.merchantId}/bargains`, {
      ...as(shopA),
      body: {
        skuId: bg.skuId,
        title: '结算砍价',
        floorPriceFen: 1_990,
        helpsNeeded: 3,
        expireHours: 24,
        startsAt: at(-1_000),
        endsAt: at(86_400_000),
      },
    }),
    'bargain',
  );
  return {
    shopA,
    shopB,
    plain: [
      { ...a1, merchantId: shopA.merchantId, priceFen: 3_990 },
      { ...a2, merchantId: shopA.merchantId, priceFen: 6_450 },
      { ...b1, merchantId: shopB.merchantId, priceFen: 8_800 },
    ],
    coupons,
    flash: { itemId: session.items[0].id, skuId: fs.skuId, priceFen: 2_990 },
    groupBuy: { dealId: deal.id, skuId: gb.skuId, priceFen: 2_990 },
    bargain: { campaignId: campaign.id, skuId: bg.skuId },
  };
}

/** A shopper with an address, the given coupon templates claimed and a points balance. */
export async function checkoutBuyer(
  node: TestNode,
  phone: string,
  o: { templates?: number[]; points?: number; province?: string } = {},
) {
  const user = await node.userToken(phone);
  const address = await addressFor(node, user.token, o.province ?? '广东省');
  for (const t of o.templates ?? [])
    await ok(node.api('POST', `/api/coupons/${t}/claim`, { token: user.token }), 'claim');
  if (o.points)
    await node.app.ctx.db
      .transaction()
      .execute((trx) => node.app.ctx.services.points.adjust(trx, user.userId, o.points!, `test-grant:${phone}`));
  const mine = (await node.api('GET', '/api/me/coupons', { token: user.token })).body as Array<{
    id: number;
    templateId: number;
  }>;
  return {
    ...user,
    addressId: address.id,
    couponOf: (templateId: number) => mine.find((c) => c.templateId === templateId)!.id,
  };
}
