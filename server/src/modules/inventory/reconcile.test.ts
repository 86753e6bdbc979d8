// inventory.ledger finds stock that changed behind the service's back, names the row, and keeps
// to the shop it was asked about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('inventory reconciliation on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '对账库存店', '13844460001');
    other = await makeShop(node, '对账别家店', '13844460002');
  });
  afterAll(async () => {
    await node?.close();
  });

  const run = (merchantId?: number) => {
    const check = node.app.ctx.reconcile.checks.find((c) => c.name === 'inventory.ledger')!;
    return check.run({ db: node.app.ctx.db, cache: node.app.ctx.cache, merchantId, from: new Date(0), to: new Date() });
  };
  const tx = <T>(f: (trx: any) => Promise<T>) => node.app.ctx.db.transaction().execute(f);

  it('is clean after stock moves through the service, and names every row changed behind its back', async () => {
    const inv = node.app.ctx.services.inventory;
    const { skuId } = await simpleProduct(node, shop, '对账款', 1000, 20);
    const theirs = await simpleProduct(node, other, '别家对账款', 1000, 5);
    await tx((trx) =>
      inv.reserve(trx, { orderId: 800_001, merchantId: shop.merchantId, lines: [{ skuId, quantity: 3 }] }),
    );
    await tx((trx) =>
      inv.reserve(trx, { orderId: 800_002, merchantId: shop.merchantId, lines: [{ skuId, quantity: 2 }] }),
    );
    await tx((trx) => inv.commit(trx, 800_001));
    await node.api('POST', `/api/merchants/${shop.merchantId}/stock/adjust`, {
      token: shop.owner.token,
      body: { skuId, delta: 4, note: '到货' },
    });
    expect(await run()).toEqual([]);

    // Someone edits the level by hand: on hand no longer matches its ledger or its last row.
    await node.app.ctx.db
      .updateTable('stock_levels')
      .set((eb) => ({ on_hand: eb('on_hand', '+', 7) }))
      .where('sku_id', '=', skuId)
      .execute();
    const found = await run(shop.merchantId);
    expect(found.map((d) => d.message)).toEqual([
      'On hand differs from the sum of its ledger',
      'The last ledger row does not end at the current level',
    ]);
    expect(found[0]).toMatchObject({
      check: 'inventory.ledger',
      merchantId: shop.merchantId,
      expected: 21,
      actual: 28,
    });
    expect(found[0]!.subject).toMatch(new RegExp(`^sku:${skuId} warehouse:\\d+$`));
    expect(found[0]!.rows).toEqual([
      expect.objectContaining({ skuId, onHand: 28, reserved: 2, ledgerOnHand: 21, heldByOpenOrders: 2 }),
    ]);
    // Another shop's books are not this shop's problem.
    expect(await run(other.merchantId)).toEqual([]);

    // A reservation that settled without its stock moving: reserved is more than open orders hold.
    await node.app.ctx.db
      .updateTable('stock_levels')
      .set((eb) => ({ on_hand: eb('on_hand', '-', 7) }))
      .where('sku_id', '=', skuId)
      .execute();
    await node.app.ctx.db
      .updateTable('stock_reservations')
      .set({ status: 'released' })
      .where('order_id', '=', 800_002)
      .execute();
    expect((await run()).map((d) => [d.subject.split(' ')[0], d.message, d.expected, d.actual])).toEqual([
      [`sku:${skuId}`, 'Reserved differs from the units open orders hold', 0, 2],
    ]);
    expect(await run(other.merchantId)).toEqual([]);
    void theirs;
  });
});
