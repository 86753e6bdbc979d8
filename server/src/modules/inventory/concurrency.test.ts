// Stock under concurrency, through the real HTTP API: many "+1" adjustments at once, and many
// orders whose baskets hold the same SKUs in opposite order (the classic deadlock shape).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { deadlockCount, settledDeadlockCount } from '../../../test/deadlocks.ts';
import { bulkBuyers } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('stock under concurrency on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let deadlocksBefore = 0;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shop = await makeShop(node, '并发库存店', '13844450001');
    deadlocksBefore = await deadlockCount(node);
  });
  afterAll(async () => {
    await node?.close();
  });

  const db = () => node.app.ctx.db;
  const levels = (skuId: number) =>
    db()
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
  const ledgerSums = (skuId: number) =>
    db()
      .selectFrom('stock_ledger')
      .select([
        sql<number>`coalesce(sum(delta_on_hand), 0)::int`.as('on_hand'),
        sql<number>`coalesce(sum(delta_reserved), 0)::int`.as('reserved'),
      ])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();

  it('adds every one of 40 concurrent "+1" adjustments, each with its ledger row', async () => {
    const { skuId } = await simpleProduct(node, shop, '补货款', 1000, 5);
    const n = 40;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        node.api('POST', `/api/merchants/${shop.merchantId}/stock/adjust`, {
          token: shop.owner.token,
          body: { skuId, delta: 1, note: `到货 ${i}` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    console.log(
      `[${backend.name}] 40 × +1: statuses`,
      JSON.stringify(countBy(statuses)),
      'on_hand',
      (await levels(skuId)).on_hand,
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await levels(skuId)).toEqual({ on_hand: 5 + n, reserved: 0 });
    expect(await ledgerSums(skuId)).toEqual({ on_hand: 5 + n, reserved: 0 });
    const adjusts = await db()
      .selectFrom('stock_ledger')
      .select(['delta_on_hand', 'on_hand_after'])
      .where('sku_id', '=', skuId)
      .where('reason', '=', 'adjust')
      .orderBy('id')
      .execute();
    expect(adjusts).toHaveLength(n);
    // Each row records the level it produced: 6, 7, … 45 in commit order, no two alike.
    expect(adjusts.map((a) => a.on_hand_after)).toEqual(Array.from({ length: n }, (_, i) => 6 + i));
  });

  it('never takes stock below what open orders reserve, whatever mix of deltas arrives at once', async () => {
    const { skuId } = await simpleProduct(node, shop, '减库存款', 1000, 30);
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.services.inventory.reserve(trx, {
        orderId: 91_001,
        merchantId: shop.merchantId,
        lines: [{ skuId, quantity: 10 }],
      }),
    );
    // 30 on hand, 10 reserved: at most 20 units can leave; 30 requests of −1 race 5 of +1.
    const deltas = [...Array<number>(30).fill(-1), ...Array<number>(5).fill(1)];
    const results = await Promise.all(
      deltas.map((delta) =>
        node.api('POST', `/api/merchants/${shop.merchantId}/stock/adjust`, {
          token: shop.owner.token,
          body: { skuId, delta },
        }),
      ),
    );
    expect(
      results.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'STOCK_BELOW_RESERVED')),
    ).toBe(true);
    const applied = deltas.filter((_, i) => results[i]!.status === 200).reduce((s, d) => s + d, 0);
    const now = await levels(skuId);
    expect(now.reserved).toBe(10);
    expect(now.on_hand).toBe(30 + applied);
    expect(now.on_hand).toBeGreaterThanOrEqual(10);
    expect(await ledgerSums(skuId)).toEqual({ on_hand: now.on_hand, reserved: now.reserved });
  });

  it('places or refuses each of 40 opposite-order baskets whole: no 5xx, no half-reserved basket', async () => {
    const a = await simpleProduct(node, shop, '甲款', 1000, 30);
    const b = await simpleProduct(node, shop, '乙款', 1000, 24);
    const buyers = await bulkBuyers(node, 40, '1398880');
    // Even buyers put A first, odd ones B first; quantities vary so some baskets are short on one SKU only.
    const baskets = buyers.map((_, i) => {
      const qa = 1 + (i % 2);
      const qb = 1 + ((i >> 1) % 2);
      const lines = [
        { skuId: a.skuId, quantity: qa },
        { skuId: b.skuId, quantity: qb },
      ];
      return i % 2 === 0 ? lines : lines.reverse();
    });
    const results = await Promise.all(
      buyers.map((u, i) =>
        node.api('POST', '/api/orders', {
          token: u.token,
          body: { idempotencyKey: `opposite-${i}-0000`, items: baskets[i], addressId: u.addressId },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    console.log(
      `[${backend.name}] 40 opposite baskets: statuses`,
      JSON.stringify(countBy(statuses)),
      'codes',
      JSON.stringify(countBy(results.filter((r) => r.status !== 201).map((r) => r.body?.error?.code))),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    for (const r of results) if (r.status !== 201) expect([r.status, r.body.error.code]).toEqual([409, 'OUT_OF_STOCK']);
    const placed = results.flatMap((r, i) =>
      r.status === 201 ? [{ orderId: r.body.orders[0].orderId as number, basket: baskets[i]! }] : [],
    );
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(40);
    // Every placed order holds exactly its basket; every refused one holds nothing.
    const reservations = await db()
      .selectFrom('stock_reservations')
      .select(['order_id', 'sku_id', sql<number>`sum(quantity)::int`.as('q')])
      .where('sku_id', 'in', [a.skuId, b.skuId])
      .groupBy(['order_id', 'sku_id'])
      .execute();
    const held = new Map(reservations.map((r) => [`${r.order_id}:${r.sku_id}`, r.q]));
    for (const p of placed) for (const l of p.basket) expect(held.get(`${p.orderId}:${l.skuId}`)).toBe(l.quantity);
    expect(reservations).toHaveLength(placed.length * 2);
    for (const sku of [a, b]) {
      const want = placed.reduce((s, p) => s + p.basket.find((l) => l.skuId === sku.skuId)!.quantity, 0);
      const level = await levels(sku.skuId);
      expect(level.reserved).toBe(want);
      expect(await ledgerSums(sku.skuId)).toEqual({ on_hand: level.on_hand, reserved: level.reserved });
    }
  });

  it.runIf(backend.db === 'postgres')(
    'deadlocked no transaction: every path locks stock rows in one order',
    async () => {
      expect((await settledDeadlockCount(node)) - deadlocksBefore).toBe(0);
    },
  );
});

function countBy<T extends string | number>(xs: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[String(x)] = (out[String(x)] ?? 0) + 1;
  return out;
}
