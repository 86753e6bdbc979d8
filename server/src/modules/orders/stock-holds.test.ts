// The burst's hold ("上链接"): a basket of one SKU holds its units in a statement of its own, under the id
// its order will get, before the order's transaction. Whatever happens next — the order is made, the
// transaction fails, the node dies in between — no unit is sold twice or lost, and the books balance.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { bulkBuyers } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('stock holds on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shop = await makeShop(node, '爆款店', '13855550001');
  });
  afterAll(async () => {
    await node?.close();
  });

  const db = () => node.app.ctx.db;
  const reservedOf = async (skuId: number) =>
    (await db().selectFrom('stock_levels').select('reserved').where('sku_id', '=', skuId).executeTakeFirstOrThrow())
      .reserved;
  /** Reservations of orders that do not exist, of any status. */
  const orphans = async (skuId: number) =>
    db()
      .selectFrom('stock_reservations as r')
      .leftJoin('orders as o', 'o.id', 'r.order_id')
      .select(['r.order_id', 'r.status', 'r.quantity'])
      .where('r.sku_id', '=', skuId)
      .where('o.id', 'is', null)
      .execute();
  async function discrepancies() {
    const scope = { ...node.app.ctx, from: new Date(0), to: new Date(Date.now() + 1000) };
    const checks = node.app.ctx.reconcile.checks.filter((c) =>
      ['inventory.ledger', 'reconciliation.order_stock'].includes(c.name),
    );
    expect(checks).toHaveLength(2);
    return (await Promise.all(checks.map((c) => c.run(scope)))).flat();
  }
  const place = (b: { token: string; addressId: number }, skuId: number, key: string, extra = {}) =>
    node.api('POST', '/api/orders', {
      token: b.token,
      body: { idempotencyKey: key, items: [{ skuId, quantity: 1 }], addressId: b.addressId, ...extra },
    });

  it('sells exactly the units there are to buyers racing for one SKU, and keeps the books', async () => {
    const { skuId } = await simpleProduct(node, shop, '上链接爆款', 9900, 10);
    const buyers = await bulkBuyers(node, 25, '1385551');
    const results = await Promise.all(buyers.map((b, i) => place(b, skuId, `hold-race-${i}`)));
    const placed = results.filter((r) => r.status === 201);
    expect(placed).toHaveLength(10);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.error.code))).toEqual(
      new Set(['OUT_OF_STOCK']),
    );
    // Each order holds its unit under its own id.
    const held = await db()
      .selectFrom('stock_reservations')
      .select('order_id')
      .where('sku_id', '=', skuId)
      .where('status', '=', 'reserved')
      .execute();
    expect(held.map((h) => h.order_id).sort((a, b) => a - b)).toEqual(
      placed.map((r) => r.body.orders[0].orderId as number).sort((a, b) => a - b),
    );
    expect(await reservedOf(skuId)).toBe(10);
    expect(await orphans(skuId)).toEqual([]);
    expect(await discrepancies()).toEqual([]);
  });

  it('gives the units back when the order fails after holding them, or is a retry', async () => {
    const { skuId } = await simpleProduct(node, shop, '改价款', 5000, 5);
    const [buyer] = await bulkBuyers(node, 1, '1385552');
    const body = { items: [{ skuId, quantity: 1 }], addressId: buyer!.addressId };
    const quote = await node.api('POST', '/api/checkout/quote', { token: buyer!.token, body });
    expect(quote.status).toBe(200);
    // The price moves after the quote: the order is refused inside its transaction, after the hold.
    await db().updateTable('skus').set({ price_fen: 6000 }).where('id', '=', skuId).execute();
    const refused = await place(buyer!, skuId, 'price-moved', { quoteToken: quote.body.quoteToken });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'PRICE_CHANGED']);
    expect(await reservedOf(skuId)).toBe(0);
    // A retry of an order that went through holds again, finds its checkout, gives the hold back.
    const first = await place(buyer!, skuId, 'placed-twice');
    const again = await place(buyer!, skuId, 'placed-twice');
    expect(first.status).toBe(201);
    expect(again.body.orders).toEqual(first.body.orders);
    expect(await reservedOf(skuId)).toBe(1);
    expect(await orphans(skuId)).toEqual([]);
    // The ledger shows each hold and its return.
    const ledger = await db()
      .selectFrom('stock_ledger')
      .select(['reason', 'delta_reserved'])
      .where('sku_id', '=', skuId)
      .where('reason', 'in', ['reserve', 'release'])
      .orderBy('id')
      .execute();
    expect(ledger.map((l) => `${l.reason} ${l.delta_reserved}`)).toEqual([
      'reserve 1',
      'release -1',
      'reserve 1',
      'reserve 1',
      'release -1',
    ]);
    expect(await discrepancies()).toEqual([]);
  });

  it('gives back, once it has lapsed, a hold whose order its node never wrote', async () => {
    const { skuId } = await simpleProduct(node, shop, '断电款', 3000, 4);
    const { inventory } = node.app.ctx.services;
    // What a node that died right after holding leaves: a hold under an order id nobody wrote.
    const held = await inventory.hold({
      orderId: sql<number>`nextval(pg_get_serial_sequence('orders', 'id'))`,
      skuId,
      quantity: 3,
    });
    expect(held).toEqual({ orderId: expect.any(Number) });
    const orderId = (held as { orderId: number }).orderId;
    // A second hold of 3 finds the SKU short, and says so without holding anything.
    expect(await inventory.hold({ orderId: 1, skuId, quantity: 3 })).toEqual({ short: 1 });
    expect(await reservedOf(skuId)).toBe(3);
    // Books balance while it is in flight, and a young hold is left alone (its order may be on its way).
    expect(await discrepancies()).toEqual([]);
    expect(await inventory.releaseLapsedHolds()).toBe(0);
    expect(await reservedOf(skuId)).toBe(3);
    // Past the lapse the sweep gives it back and leaves no reservation behind.
    await sql`update stock_reservations set created_at = now() - interval '1 hour' where order_id = ${orderId}`.execute(
      db(),
    );
    expect(await inventory.releaseLapsedHolds()).toBe(1);
    expect(await reservedOf(skuId)).toBe(0);
    expect(await orphans(skuId)).toEqual([]);
    expect(await discrepancies()).toEqual([]);
    // An order that turned up for it now would find nothing to confirm.
    await expect(
      db()
        .transaction()
        .execute((trx) => inventory.confirmHold(trx, { orderId, merchantId: shop.merchantId, skuId, quantity: 3 })),
    ).rejects.toMatchObject({ code: 'STOCK_HOLD_LAPSED' });
    expect(await inventory.releaseLapsedHolds()).toBe(0);
  });
});
