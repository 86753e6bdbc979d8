import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('inventory on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shop = await makeShop(node, '库存测试店', '13844440001');
  });
  afterAll(async () => {
    await node?.close();
  });

  const levels = async (skuId: number) =>
    node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();

  it('never reserves more than the stock under 120 concurrent orders, and the ledger adds up', async () => {
    const { skuId } = await simpleProduct(node, shop, '限量款', 1000, 30);
    const inv = node.app.ctx.services.inventory;
    const attempts = Array.from({ length: 120 }, (_, i) =>
      node.app.ctx.db
        .transaction()
        .execute((trx) =>
          inv.reserve(trx, { orderId: 10_000 + i, merchantId: shop.merchantId, lines: [{ skuId, quantity: 1 }] }),
        )
        .then(
          () => true,
          (e) => {
            if (e.code !== 'OUT_OF_STOCK') throw e;
            return false;
          },
        ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).toHaveLength(30);
    expect(await levels(skuId)).toEqual({ on_hand: 30, reserved: 30 });
    const ledger = await node.app.ctx.db
      .selectFrom('stock_ledger')
      .select([
        sql<number>`sum(delta_on_hand)`.as('on'),
        sql<number>`sum(delta_reserved)`.as('res'),
        sql<number>`count(*)`.as('n'),
      ])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(ledger).toEqual({ on: 30, res: 30, n: 31 }); // initial + 30 reservations
    const reservations = await node.app.ctx.db
      .selectFrom('stock_reservations')
      .select(sql<number>`sum(quantity)`.as('q'))
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(reservations.q).toBe(30);
  });

  it('reserves all lines or none, and reports what is short', async () => {
    const a = await simpleProduct(node, shop, '甲', 100, 5);
    const b = await simpleProduct(node, shop, '乙', 100, 1);
    const inv = node.app.ctx.services.inventory;
    const err = await node.app.ctx.db
      .transaction()
      .execute((trx) =>
        inv.reserve(trx, {
          orderId: 20_001,
          merchantId: shop.merchantId,
          lines: [
            { skuId: a.skuId, quantity: 2 },
            { skuId: b.skuId, quantity: 2 },
          ],
        }),
      )
      .catch((e) => e);
    expect(err.code).toBe('OUT_OF_STOCK');
    expect(err.details).toEqual([{ skuId: b.skuId, requested: 2, available: 1 }]);
    expect(await levels(a.skuId)).toEqual({ on_hand: 5, reserved: 0 });
    // Another shop's SKU cannot be reserved under this shop.
    const other = await makeShop(node, '别家库存店', '13844440002');
    const theirs = await simpleProduct(node, other, '别家货', 100, 5);
    const cross = await node.app.ctx.db
      .transaction()
      .execute((trx) =>
        inv.reserve(trx, {
          orderId: 20_002,
          merchantId: shop.merchantId,
          lines: [{ skuId: theirs.skuId, quantity: 1 }],
        }),
      )
      .catch((e) => e);
    expect(cross.code).toBe('OUT_OF_STOCK');
    expect(await levels(theirs.skuId)).toEqual({ on_hand: 5, reserved: 0 });
  });

  it('commits, releases and restocks idempotently, and emits one low-stock event', async () => {
    const { skuId } = await simpleProduct(node, shop, '阈值款', 100, 10, { lowStockThreshold: 3 });
    const inv = node.app.ctx.services.inventory;
    const tx = <T>(f: (trx: any) => Promise<T>) => node.app.ctx.db.transaction().execute(f);
    await tx((trx) =>
      inv.reserve(trx, { orderId: 30_001, merchantId: shop.merchantId, lines: [{ skuId, quantity: 4 }] }),
    );
    await tx((trx) =>
      inv.reserve(trx, { orderId: 30_001, merchantId: shop.merchantId, lines: [{ skuId, quantity: 4 }] }),
    ); // replay: no-op
    await tx((trx) =>
      inv.reserve(trx, { orderId: 30_002, merchantId: shop.merchantId, lines: [{ skuId, quantity: 4 }] }),
    );
    expect(await levels(skuId)).toEqual({ on_hand: 10, reserved: 8 });
    await tx((trx) => inv.commit(trx, 30_001));
    await tx((trx) => inv.commit(trx, 30_001));
    expect(await levels(skuId)).toEqual({ on_hand: 6, reserved: 4 });
    await tx((trx) => inv.release(trx, 30_002, 'payment_timeout'));
    await tx((trx) => inv.release(trx, 30_002, 'payment_timeout'));
    expect(await levels(skuId)).toEqual({ on_hand: 6, reserved: 0 });
    await tx((trx) => inv.restock(trx, { orderId: 30_001, refundId: 7, lines: [{ skuId, quantity: 3 }] }));
    await tx((trx) => inv.restock(trx, { orderId: 30_001, refundId: 7, lines: [{ skuId, quantity: 3 }] }));
    expect(await levels(skuId)).toEqual({ on_hand: 9, reserved: 0 });
    const tooMany = await tx((trx) =>
      inv.restock(trx, { orderId: 30_001, refundId: 8, lines: [{ skuId, quantity: 2 }] }),
    ).catch((e) => e);
    expect(tooMany.code).toBe('RETURN_EXCEEDS_SOLD');
    const events = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select(['payload'])
      .where('type', '=', 'inventory.low_stock')
      .where('aggregate_id', '=', String(skuId))
      .execute();
    expect(events).toHaveLength(1); // available 10 → 6 → 2 (alert) → … only once
    expect(events[0]!.payload).toMatchObject({ skuId, available: 2, threshold: 3 });
  });

  it('lets staff adjust stock but never below what open orders reserved', async () => {
    const { skuId } = await simpleProduct(node, shop, '调整款', 100, 5);
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.services.inventory.reserve(trx, {
        orderId: 40_001,
        merchantId: shop.merchantId,
        lines: [{ skuId, quantity: 3 }],
      }),
    );
    const low = await node.api('POST', `/api/merchants/${shop.merchantId}/stock/adjust`, {
      token: shop.owner.token,
      body: { skuId, quantity: 2 },
    });
    expect(low.status).toBe(409);
    expect(low.body.error.code).toBe('STOCK_BELOW_RESERVED');
    const ok = await node.api('POST', `/api/merchants/${shop.merchantId}/stock/adjust`, {
      token: shop.owner.token,
      body: { skuId, delta: 7, note: '到货' },
    });
    expect(ok.body).toMatchObject({ onHand: 12, reserved: 3, available: 9 });
    const ledger = await node.api('GET', `/api/merchants/${shop.merchantId}/stock/ledger?skuId=${skuId}`, {
      token: shop.owner.token,
    });
    expect(ledger.body.items[0]).toMatchObject({
      reason: 'adjust',
      deltaOnHand: 7,
      note: '到货',
      actorUserId: shop.owner.userId,
    });
  });
});
