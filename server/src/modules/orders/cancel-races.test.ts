// Cancelling a two-shop checkout while its payment lands, and while its payment-timeout jobs run:
// every path that locks several orders locks them in ascending id order, then their stock rows
// in (sku_id, warehouse_id) order, so none of these races deadlocks or ends half-done.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { deadlockCount, settledDeadlockCount } from '../../../test/deadlocks.ts';
import { bulkBuyers, payWithSandbox, until } from '../../../test/order-fixtures.ts';

const ROUNDS = 12;

describe.each(APP_BACKENDS)('cancel races on $name', (backend) => {
  let node: TestNode;
  let shopA: ShopFixture;
  let shopB: ShopFixture;
  let deadlocksBefore = 0;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shopA = await makeShop(node, '竞态甲店', '13866660001');
    shopB = await makeShop(node, '竞态乙店', '13866660002');
    deadlocksBefore = await deadlockCount(node);
  });
  afterAll(async () => {
    await node?.close();
  });

  const db = () => node.app.ctx.db;

  /** Two-shop checkouts of one unit of each SKU, placed one by one. */
  async function placeCheckouts(phonePrefix: string, rounds: number) {
    // Shop B's SKU is created first, so its id is lower while its order (second in the basket) is higher.
    const b = await simpleProduct(node, shopB, `乙货 ${phonePrefix}`, 1500, 100);
    const a = await simpleProduct(node, shopA, `甲货 ${phonePrefix}`, 1000, 100);
    const buyers = await bulkBuyers(node, rounds, phonePrefix);
    const checkouts = [];
    for (const [i, u] of buyers.entries()) {
      const r = await node.api('POST', '/api/orders', {
        token: u.token,
        body: {
          idempotencyKey: `race-${phonePrefix}-${i}`,
          items: [
            { skuId: a.skuId, quantity: 1 },
            { skuId: b.skuId, quantity: 1 },
          ],
          addressId: u.addressId,
        },
      });
      expect(r.status).toBe(201);
      const orderIds = (r.body.orders as Array<{ orderId: number }>).map((o) => o.orderId).sort((x, y) => x - y);
      expect(orderIds).toHaveLength(2);
      checkouts.push({
        buyer: u,
        orderIds,
        cashierUrl: r.body.payment.cashierUrl as string,
        amountFen: r.body.payment.amountFen as number,
      });
    }
    return { skus: [a.skuId, b.skuId], checkouts };
  }

  /** Everything settled: no pending order, no undelivered event, no job left to run now. */
  async function settle(orderIds: number[]) {
    await until(async () => {
      const open = await db()
        .selectFrom('orders')
        .select('id')
        .where('id', 'in', orderIds)
        .where('status', '=', 'pending_payment')
        .execute();
      const events = await db()
        .selectFrom('outbox_events')
        .select('id')
        .where('dispatched_at', 'is', null)
        .where('dead_at', 'is', null)
        .execute();
      const jobs = await db()
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'pending')
        .where('type', 'like', 'payments.%')
        .execute();
      return open.length === 0 && events.length === 0 && jobs.length === 0;
    }, 40_000);
  }

  /** The books after the race: each checkout all paid or all cancelled, stock and money consistent. */
  async function expectConsistent(skus: number[], checkouts: Array<{ orderIds: number[]; amountFen: number }>) {
    let paid = 0;
    for (const c of checkouts) {
      const orders = await db()
        .selectFrom('orders')
        .select(['status', 'payment_id'])
        .where('id', 'in', c.orderIds)
        .execute();
      const statuses = [...new Set(orders.map((o) => o.status))];
      expect(statuses).toHaveLength(1);
      const [status] = statuses;
      expect(['paid', 'cancelled']).toContain(status);
      const reservations = await db()
        .selectFrom('stock_reservations')
        .select('status')
        .where('order_id', 'in', c.orderIds)
        .execute();
      expect(reservations.map((r) => r.status)).toEqual(
        status === 'paid' ? ['committed', 'committed'] : ['released', 'released'],
      );
      const payment = await db()
        .selectFrom('payments')
        .select(['status', 'refunded_fen'])
        .where('id', '=', orders[0]!.payment_id!)
        .executeTakeFirstOrThrow();
      if (status === 'paid') {
        paid++;
        expect(payment).toEqual({ status: 'succeeded', refunded_fen: 0 });
      }
      // Money that arrived for a cancelled checkout goes back in full, exactly once.
      if (status === 'cancelled' && payment.status === 'succeeded') expect(payment.refunded_fen).toBe(c.amountFen);
    }
    for (const skuId of skus) {
      const level = await db()
        .selectFrom('stock_levels')
        .select(['on_hand', 'reserved'])
        .where('sku_id', '=', skuId)
        .executeTakeFirstOrThrow();
      expect(level).toEqual({ on_hand: 100 - paid, reserved: 0 });
      const ledger = await db()
        .selectFrom('stock_ledger')
        .select([
          sql<number>`sum(delta_on_hand)::int`.as('on_hand'),
          sql<number>`sum(delta_reserved)::int`.as('reserved'),
        ])
        .where('sku_id', '=', skuId)
        .executeTakeFirstOrThrow();
      expect(ledger).toEqual(level);
    }
    const failedJobs = await db()
      .selectFrom('jobs')
      .select(['type', 'last_error'])
      .where('last_error', 'is not', null)
      .execute();
    expect(failedJobs).toEqual([]);
    const retried = await db()
      .selectFrom('outbox_events')
      .select(['type', 'last_error'])
      .where('last_error', 'is not', null)
      .execute();
    expect(retried).toEqual([]);
    return paid;
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /**
   * Hold a lock on an order for a moment in a transaction of its own, so the racers queue behind
   * it in a known order: the first racer gets it first. (On PGlite, one connection: they queue anyway.)
   */
  const holdOrder = (orderId: number, ms: number) =>
    db()
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().execute();
        await sleep(ms);
      });

  it('pays a two-shop checkout whole when the shopper cancels its later order as the payment is applied', async () => {
    const { skus, checkouts } = await placeCheckouts('1397770', 3);
    await node.app.ctx.events.stop(); // this test delivers the payment events itself
    try {
      for (const c of checkouts) {
        while ((await node.app.ctx.events.dispatchOnce()) > 0); // nothing else in the queue before the payment event
        expect(await payWithSandbox(node, c.cashierUrl, 'succeeded')).toBe('succeeded');
        const [first, second] = c.orderIds as [number, number];
        const held = holdOrder(first, 400);
        await sleep(50);
        const applied = node.app.ctx.events.dispatchOnce(); // marks both orders paid: queues for the first
        await sleep(100);
        const cancel = node.api('POST', `/api/orders/${second}/cancel`, { token: c.buyer.token }); // queues next
        const [, , r] = await Promise.all([held, applied, cancel]);
        expect([200, 409]).toContain(r.status);
        if (r.status === 409) expect(r.body.error.code).toBe('ORDER_NOT_CANCELLABLE');
      }
    } finally {
      node.app.ctx.events.start();
    }
    await settle(checkouts.flatMap((c) => c.orderIds));
    await expectConsistent(skus, checkouts);
  });

  it('cancels a two-shop checkout once when the shopper cancels its later order as the timeout job cancels the first', async () => {
    const { skus, checkouts } = await placeCheckouts('1397771', 3);
    await node.app.ctx.jobs.stop(); // this test runs the timeout jobs itself
    try {
      for (const c of checkouts) {
        const [first, second] = c.orderIds as [number, number];
        while ((await node.app.ctx.jobs.runDue()) > 0); // nothing else due before the timeout job
        await db()
          .updateTable('jobs')
          .set({ run_at: sql`now()` })
          .where('unique_key', '=', `order-timeout:${first}`)
          .execute();
        const held = holdOrder(first, 400);
        await sleep(50);
        const timedOut = node.app.ctx.jobs.runDue(); // cancels the checkout: queues for the first order
        await sleep(100);
        const cancel = node.api('POST', `/api/orders/${second}/cancel`, { token: c.buyer.token }); // queues next
        const [, ran, r] = await Promise.all([held, timedOut, cancel]);
        expect(ran).toBeGreaterThanOrEqual(1);
        expect(r.status).toBe(200);
      }
    } finally {
      node.app.ctx.jobs.start();
    }
    const allOrders = checkouts.flatMap((c) => c.orderIds);
    await settle(allOrders);
    expect(await expectConsistent(skus, checkouts)).toBe(0);
    const history = await db()
      .selectFrom('order_status_history')
      .select(['order_id', sql<number>`count(*)::int`.as('n')])
      .where('order_id', 'in', allOrders)
      .where('to_status', '=', 'cancelled')
      .groupBy('order_id')
      .execute();
    expect(history.map((h) => h.n)).toEqual(allOrders.map(() => 1)); // cancelled exactly once each
  });

  it('settles 12 checkouts whole when both their orders are cancelled while the payment lands, all at once', async () => {
    const { skus, checkouts } = await placeCheckouts('1397772', ROUNDS);
    const results = await Promise.all(
      checkouts.map(async (c) => {
        const [cancelFirst, cancelSecond, outcome] = await Promise.all([
          node.api('POST', `/api/orders/${c.orderIds[0]!}/cancel`, { token: c.buyer.token }),
          node.api('POST', `/api/orders/${c.orderIds[1]!}/cancel`, { token: c.buyer.token }),
          payWithSandbox(node, c.cashierUrl, 'succeeded'),
        ]);
        return { cancels: [cancelFirst, cancelSecond], outcome };
      }),
    );
    const cancels = results.flatMap((r) => r.cancels.map((x) => `${x.status}:${x.body?.error?.code ?? 'ok'}`));
    console.log(
      `[${backend.name}] cancel ×2 vs pay:`,
      JSON.stringify(countBy(cancels)),
      JSON.stringify(countBy(results.map((r) => r.outcome))),
    );
    for (const c of cancels) expect(['200:ok', '409:ORDER_NOT_CANCELLABLE']).toContain(c);
    for (const r of results) expect(r.outcome).toMatch(/^succeeded/);
    await settle(checkouts.flatMap((c) => c.orderIds));
    await expectConsistent(skus, checkouts);
  });

  it.runIf(backend.db === 'postgres')('deadlocked no transaction in any of these races', async () => {
    expect((await settledDeadlockCount(node)) - deadlocksBefore).toBe(0);
  });
});

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
