// Commissions through real orders: one and two levels, a third refused, refunds in part and in full
// before and after settlement, settlement on completion, redelivery of every event, self-purchase.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import {
  books,
  centre,
  commissionsOf,
  complete,
  distributionShop,
  paidOrder,
  promoter,
  redeliver,
  refund,
  settings,
  touch,
} from './test-support.ts';

describe.each(APP_BACKENDS)('distribution commissions on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let a: { skuId: number; productId: number };
  let b: { skuId: number; productId: number };
  let top: Awaited<ReturnType<typeof promoter>>;
  let recruit: Awaited<ReturnType<typeof promoter>>;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    ({ shop, a, b } = await distributionShop(node, '分销店', '13710000000'));
    top = await promoter(node, shop, '13710000001');
    recruit = await promoter(node, shop, '13710000002', top.userId);
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });

  const customer = async (phone: string, sharer: { userId: number }) => {
    const c = await node.userToken(phone);
    expect(await touch(node, shop.merchantId, sharer.userId, c.userId)).toBe('bound');
    return c;
  };

  it('pays one level at the shop rate on what each line paid, the line shares summing exactly', async () => {
    const c = await customer('13710000101', top);
    const o = await paidOrder(node, c, [
      { skuId: a.skuId, quantity: 1 },
      { skuId: b.skuId, quantity: 1 },
    ]);
    const [only, ...none] = await commissionsOf(node, shop.merchantId, o.orderId);
    expect(none).toEqual([]);
    expect(only).toMatchObject({ promoter_id: top.promoterId, tier: 1, status: 'pending', paid_fen: 13_333 });
    expect(only!.amount_fen).toBe(1333); // ⌊13333 × 10 %⌋
    expect(only!.lines.map((l) => l.shareFen)).toEqual([1000, 333]);
    expect((await centre(node, top, shop.merchantId)).earnings).toMatchObject({ pendingFen: 1333, balanceFen: 0 });
  });

  it("pays two levels: the recruit's customer earns the recruit 10 % and the recruiter 3 %", async () => {
    const c = await customer('13710000102', recruit);
    const o = await paidOrder(node, c, [{ skuId: a.skuId, quantity: 2 }]);
    const rows = await commissionsOf(node, shop.merchantId, o.orderId);
    expect(rows.map((r) => [r.tier, r.promoter_id, r.amount_fen])).toEqual([
      [1, recruit.promoterId, 2000],
      [2, top.promoterId, 600],
    ]);
  });

  it('refuses a third level everywhere: a recruit recruiting, the settings, the rates, a recruiter with recruits', async () => {
    const third = await node.userToken('13710000003');
    const applied = await node.api('POST', `/api/me/distribution/merchants/${shop.merchantId}/apply`, {
      token: third.token,
      body: { recruiterUserId: recruit.userId },
    });
    expect([applied.status, applied.body.error.code]).toEqual([400, 'DISTRIBUTION_MAX_TWO_LEVELS']);
    expect(applied.body.error.message).toMatch(/WeChat/);
    const base = `/api/merchants/${shop.merchantId}/distribution`;
    const token = shop.owner.token;
    const levels = await node.api('PUT', `${base}/settings`, { token, body: { levels: 3 } });
    expect(levels.body.error.code).toBe('DISTRIBUTION_MAX_TWO_LEVELS');
    const rates = await node.api('PUT', `${base}/settings`, { token, body: { rates: [1000, 300, 100] } });
    expect(rates.body.error.code).toBe('DISTRIBUTION_MAX_TWO_LEVELS');
    const level = await node.api('POST', `${base}/levels`, { token, body: { name: '三级', rates: [1, 2, 3] } });
    expect(level.body.error.code).toBe('DISTRIBUTION_MAX_TWO_LEVELS');
    const other = await promoter(node, shop, '13710000004');
    const moved = await node.api('PATCH', `${base}/promoters/${top.promoterId}`, {
      token,
      body: { parentPromoterId: other.promoterId },
    });
    expect([moved.status, moved.body.error.code]).toEqual([400, 'DISTRIBUTION_MAX_TWO_LEVELS']);
  });

  it('takes back in proportion to a partial refund, settles the rest, then a refund after settlement debits', async () => {
    const c = await customer('13710000103', recruit);
    const before = [await centre(node, recruit, shop.merchantId), await centre(node, top, shop.merchantId)];
    const o = await paidOrder(node, c, [{ skuId: a.skuId, quantity: 2 }]);
    await refund(node, o.orderId, [{ lineId: o.lines[0]!.lineId, quantity: 1 }]);
    let rows = await commissionsOf(node, shop.merchantId, o.orderId);
    expect(rows.map((r) => [r.status, r.amount_fen, r.original_fen])).toEqual([
      ['pending', 1000, 2000],
      ['pending', 300, 600],
    ]);
    await complete(node, o.orderId);
    rows = await commissionsOf(node, shop.merchantId, o.orderId);
    expect(rows.map((r) => [r.status, r.credited_fen])).toEqual([
      ['settled', 1000],
      ['settled', 300],
    ]);
    const settled = [await centre(node, recruit, shop.merchantId), await centre(node, top, shop.merchantId)];
    expect(settled[0]!.earnings.balanceFen - before[0]!.earnings.balanceFen).toBe(1000);
    expect(settled[1]!.earnings.balanceFen - before[1]!.earnings.balanceFen).toBe(300);
    await refund(node, o.orderId, [{ lineId: o.lines[0]!.lineId, quantity: 1 }]);
    rows = await commissionsOf(node, shop.merchantId, o.orderId);
    expect(rows.map((r) => [r.status, r.amount_fen, r.credited_fen])).toEqual([
      ['reversed', 0, 0],
      ['reversed', 0, 0],
    ]);
    const after = [await centre(node, recruit, shop.merchantId), await centre(node, top, shop.merchantId)];
    expect(after[0]!.earnings.balanceFen).toBe(before[0]!.earnings.balanceFen);
    expect(after[1]!.earnings.balanceFen).toBe(before[1]!.earnings.balanceFen);
    expect(await books(node, shop.merchantId)).toEqual([]);
  });

  it('reverses the whole commission on a full refund before settlement, and completion credits nothing', async () => {
    const c = await customer('13710000104', top);
    const o = await paidOrder(node, c, [
      { skuId: a.skuId, quantity: 1 },
      { skuId: b.skuId, quantity: 3 },
    ]);
    await refund(
      node,
      o.orderId,
      o.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
    );
    const [row] = await commissionsOf(node, shop.merchantId, o.orderId);
    expect([row!.status, row!.amount_fen, row!.original_fen]).toEqual(['reversed', 0, 1999]);
    const balance = (await centre(node, top, shop.merchantId)).earnings.balanceFen;
    await complete(node, o.orderId).catch(() => undefined); // a refunded order does not complete
    expect((await centre(node, top, shop.merchantId)).earnings.balanceFen).toBe(balance);
  });

  it('changes nothing when every event of an order is delivered again', async () => {
    const c = await customer('13710000105', recruit);
    const o = await paidOrder(node, c, [
      { skuId: a.skuId, quantity: 3 },
      { skuId: b.skuId, quantity: 2 },
    ]);
    await refund(node, o.orderId, [{ lineId: o.lines[1]!.lineId, quantity: 1 }]);
    await complete(node, o.orderId);
    await refund(node, o.orderId, [{ lineId: o.lines[0]!.lineId, quantity: 1 }]);
    const snapshot = async () => ({
      rows: await commissionsOf(node, shop.merchantId, o.orderId),
      recruit: (await centre(node, recruit, shop.merchantId)).earnings,
      top: (await centre(node, top, shop.merchantId)).earnings,
    });
    const first = await snapshot();
    await redeliver(node, o.orderId);
    await redeliver(node, o.orderId);
    expect(await snapshot()).toEqual(first);
    expect(first.rows.map((r) => [r.status, r.amount_fen])).toEqual([
      ['settled', Math.floor(((20_000 + 3_333) * 1000) / 10_000)],
      ['settled', Math.floor(((20_000 + 3_333) * 300) / 10_000)],
    ]);
    expect(await books(node, shop.merchantId)).toEqual([]);
  });

  it('pays a promoter on their own orders only when the shop allows self-purchase', async () => {
    const off = await paidOrder(node, recruit, [{ skuId: a.skuId, quantity: 1 }]);
    expect(await commissionsOf(node, shop.merchantId, off.orderId)).toEqual([]);
    await settings(node, shop, { selfPurchase: true });
    const on = await paidOrder(node, recruit, [{ skuId: a.skuId, quantity: 1 }]);
    const rows = await commissionsOf(node, shop.merchantId, on.orderId);
    expect(rows.map((r) => [r.tier, r.promoter_id, r.amount_fen])).toEqual([
      [1, recruit.promoterId, 1000],
      [2, top.promoterId, 300],
    ]);
    await settings(node, shop, { selfPurchase: false });
  });

  it("uses a product's own rates over the level's, and a level's over the shop's", async () => {
    const base = `/api/merchants/${shop.merchantId}/distribution`;
    const token = shop.owner.token;
    const senior = await node.api('POST', `${base}/levels`, { token, body: { name: '高级', rates: [2000, 500] } });
    expect(senior.status).toBe(201);
    await node.api('PATCH', `${base}/promoters/${recruit.promoterId}`, { token, body: { levelId: senior.body.id } });
    await node.api('PATCH', `${base}/promoters/${top.promoterId}`, { token, body: { levelId: senior.body.id } });
    const rule = await node.api('PUT', `${base}/rules/${b.productId}`, { token, body: { rates: [500, 100] } });
    expect(rule.status).toBe(200);
    const c = await customer('13710000106', recruit);
    const o = await paidOrder(node, c, [
      { skuId: a.skuId, quantity: 1 },
      { skuId: b.skuId, quantity: 1 },
    ]);
    const rows = await commissionsOf(node, shop.merchantId, o.orderId);
    // Tier 1: 10000 × 20 % + 3333 × 5 % = 2166.65; tier 2: 10000 × 5 % + 3333 × 1 % = 533.33.
    expect(rows.map((r) => [r.tier, r.amount_fen, r.lines.map((l) => l.bp)])).toEqual([
      [1, 2166, [2000, 500]],
      [2, 533, [500, 100]],
    ]);
    await node.api('DELETE', `${base}/rules/${b.productId}`, { token });
    await node.api('PATCH', `${base}/promoters/${recruit.promoterId}`, { token, body: { levelId: null } });
    await node.api('PATCH', `${base}/promoters/${top.promoterId}`, { token, body: { levelId: null } });
  });
});
