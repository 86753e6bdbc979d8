// The refund books reconcile (payments.books, orders.refunds, aftersales.refunds): clean after real
// refunds across a two-shop payment, and each corrupted row is named as a discrepancy.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import {
  asBuyer,
  asShop,
  paidCheckout,
  product,
  settle,
  shopWithShipping,
  type PaidCheckout,
} from '../aftersales/test-support.ts';

describe.each(APP_BACKENDS)('refund books reconciliation on $name', (backend) => {
  let node: TestNode;
  let shopA: ShopFixture;
  let c: PaidCheckout;
  const run = (name: string, merchantId?: number) =>
    node.app.ctx.reconcile.checks
      .find((k) => k.name === name)!
      .run({
        db: node.app.ctx.db,
        cache: node.app.ctx.cache,
        merchantId,
        from: new Date(Date.now() - 86_400_000),
        to: new Date(Date.now() + 86_400_000),
      });
  const all = async () => [
    ...(await run('payments.books')),
    ...(await run('orders.refunds')),
    ...(await run('aftersales.refunds')),
  ];
  /** Change one row, see what the checks say, put it back. */
  async function corrupted(change: string, undo: string) {
    await sql.raw(change).execute(node.app.ctx.db);
    try {
      return await all();
    } finally {
      await sql.raw(undo).execute(node.app.ctx.db);
    }
  }

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shopA = await shopWithShipping(node, '对账甲店', '13866630001');
    const shopB = await shopWithShipping(node, '对账乙店', '13866630002');
    const b = await node.userToken('13966630001');
    c = await paidCheckout(node, b, 'recon-checkout-1', [
      { skuId: await product(node, shopA, '对账甲', 1234), quantity: 3 },
      { skuId: await product(node, shopB, '对账乙', 999), quantity: 1 },
    ]);
    const order = c.orders.find((o) => o.merchantId === shopA.merchantId)!;
    const r = await asBuyer(node, b.token).request(order.orderId, [{ lineId: order.lines[0]!.id, quantity: 2 }]);
    await asShop(node, shopA).approve(r.body.id);
    await settle(node);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('finds nothing wrong after real refunds, for the platform and for the shop', async () => {
    expect(await all()).toEqual([]);
    expect(await run('payments.books', shopA.merchantId)).toEqual([]);
  });

  it('names a payment whose refunded_fen is not the sum of its refunds', async () => {
    const found = await corrupted(
      `update payments set refunded_fen = refunded_fen + 1 where id = ${c.paymentId}`,
      `update payments set refunded_fen = refunded_fen - 1 where id = ${c.paymentId}`,
    );
    expect(found).toEqual([
      expect.objectContaining({
        check: 'payments.books',
        subject: `payment:${c.paymentId}`,
        expected: 2468,
        actual: 2469,
      }),
    ]);
  });

  it('names the provider and day where money refunded and orders refunded disagree', async () => {
    const found = await corrupted(
      `update refunds set amount_fen = amount_fen + 5 where payment_id = ${c.paymentId}`,
      `update refunds set amount_fen = amount_fen - 5 where payment_id = ${c.paymentId}`,
    );
    expect(found.map((d) => d.check)).toEqual(['payments.books', 'payments.books']);
    const day = found.find((d) => d.subject.startsWith('provider:sandbox day:'))!;
    expect(day.actual).toBe(Number(day.expected) - 5);
    expect(day.rows).toEqual([
      expect.objectContaining({ paymentId: c.paymentId, refundsFen: 2473, ordersRefundedFen: 2468 }),
    ]);
  });

  it("names an order whose refunded amount is not its ledger's, and a line that differs", async () => {
    const order = c.orders.find((o) => o.merchantId === shopA.merchantId)!;
    const onOrder = await corrupted(
      `update orders set refunded_fen = refunded_fen - 1 where id = ${order.orderId}`,
      `update orders set refunded_fen = refunded_fen + 1 where id = ${order.orderId}`,
    );
    expect(onOrder.map((d) => `${d.check} ${d.subject}`).sort()).toEqual([
      `orders.refunds order:${order.orderId}`,
      expect.stringMatching(/^payments\.books provider:sandbox day:/),
    ]);
    const onLine = await corrupted(
      `update order_lines set refunded_quantity = 1 where id = ${order.lines[0]!.id}`,
      `update order_lines set refunded_quantity = 2 where id = ${order.lines[0]!.id}`,
    );
    expect(onLine).toEqual([
      expect.objectContaining({
        check: 'orders.refunds',
        subject: `order:${order.orderId} line:${order.lines[0]!.id}`,
        expected: 2,
        actual: 1,
      }),
    ]);
  });

  it('names an after-sales request whose amount is not what its order booked', async () => {
    const found = await corrupted(
      `update aftersales set amount_fen = amount_fen + 100`,
      `update aftersales set amount_fen = amount_fen - 100`,
    );
    expect(found).toEqual([expect.objectContaining({ check: 'aftersales.refunds', expected: 2468, actual: 2568 })]);
  });

  it('names an order refunded for more than it paid (with the constraint that prevents it dropped)', async () => {
    const order = c.orders.find((o) => o.merchantId === shopA.merchantId)!;
    await sql
      .raw('alter table orders drop constraint orders_check, drop constraint orders_refund_committed_check')
      .execute(node.app.ctx.db);
    const found = await corrupted(
      `update orders set refunded_fen = total_fen + 1 where id = ${order.orderId}`,
      `update orders set refunded_fen = 2468 where id = ${order.orderId}`,
    );
    expect(found.filter((d) => d.check === 'orders.refunds').map((d) => d.message)).toEqual([
      'refunded_fen differs from Σ refunded ledger entries',
      'more refunded than the order paid',
    ]);
  });
});
