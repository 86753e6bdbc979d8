// Property: whatever shoppers and shops do with after-sales — partial and full requests, withdrawals,
// rejections, approvals (several at once, and the same one twice at once), returns, shipping and
// completion in between — over orders with several lines and a shipping fee, one- and two-shop
// checkouts paid with one payment, with and without points, the books balance afterwards:
// - each order gets back at most its total, and its refunded_fen is the sum of its refunded requests;
// - an order with every unit refunded got exactly its total (goods + shipping once) if nothing had
//   shipped, exactly its goods otherwise; the fee never goes back twice;
// - points paid with came back in proportion to the goods refunded (all of them at the end), never
//   more; points earned on completion are what the amount kept earns;
// - a payment's refunded_fen = Σ its refunds = Σ what its orders refunded;
// - no outbox event failed or died, no job failed, and the reconciliation checks find nothing.
// The seed is printed; FC_SEED=<seed> replays a run, FC_RUNS=<n> changes the count.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { pointsEarned } from '../marketing/rules/points.ts';
import {
  asBuyer,
  asShop,
  failures,
  grantPoints,
  paidCheckout,
  product,
  runJobNow,
  settle,
  shopWithShipping,
  type PaidCheckout,
} from './test-support.ts';

const RUNS = Number(process.env.FC_RUNS ?? 15);

const lineArb = fc.record({ priceFen: fc.integer({ min: 1, max: 5000 }), quantity: fc.integer({ min: 1, max: 3 }) });
const pickArb = fc.record({ order: fc.nat(1), line: fc.nat(2), quantity: fc.constantFrom(1, 1, 1, 2, 3) });
const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      picks: fc.array(pickArb, { minLength: 1, maxLength: 2 }),
      returns: fc.constantFrom(false, false, true),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('approve' as const),
      req: fc.nat(),
      copies: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('approveAll' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), req: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), req: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ship' as const), order: fc.nat(1), partial: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('complete' as const), order: fc.nat(1) }) },
);
const scenarioArb = fc.record({
  shops: fc.array(fc.array(lineArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  usePoints: fc.boolean(),
  ops: fc.array(opArb, { minLength: 4, maxLength: 16 }),
  refundEverythingLeft: fc.boolean(),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

describe.each(APP_BACKENDS)('after-sales refund books, property on $name', (backend) => {
  let node: TestNode;
  let shops: ShopFixture[];
  let runNo = 0;
  /** What the runs exercised, printed at the end so a weak generator shows. */
  const seen = {
    orders: 0,
    twoShopCheckouts: 0,
    requests: 0,
    refunded: 0,
    fullyRefunded: 0,
    shippingBack: 0,
    shipped: 0,
    completed: 0,
    pointsOrders: 0,
    refusedDuplicates: 0,
  };
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shops = [
      await shopWithShipping(node, '性质甲店', '13866650001'),
      await shopWithShipping(node, '性质乙店', '13866650002'),
    ];
  });
  afterAll(async () => {
    process.stdout.write(`[${backend.name}] after-sales property exercised: ${JSON.stringify(seen)}\n`);
    await node?.close();
  });

  async function play(s: Scenario) {
    const n = ++runNo;
    const buyer = await node.userToken(String(13966650000 + n));
    if (s.usePoints) await grantPoints(node, buyer.userId, 1_000_000, `prop-grant-${n}`);
    const items = [];
    for (const [i, lines] of s.shops.entries()) {
      for (const [j, l] of lines.entries())
        items.push({
          skuId: await product(node, shops[i]!, `性质${n}-${i}-${j}`, l.priceFen, 100),
          quantity: l.quantity,
        });
    }
    const c = await paidCheckout(node, buyer, `prop-${backend.name}-${n}`, items, { usePoints: s.usePoints });
    const shopper = asBuyer(node, buyer.token);
    const shopOf = (o: PaidCheckout['orders'][number]) =>
      asShop(node, shops.find((x) => x.merchantId === o.merchantId)!);
    const requests: Array<{ id: number; order: PaidCheckout['orders'][number]; type: string }> = [];
    const answers: number[] = [];
    const approve = async (r: (typeof requests)[number], copies: number) => {
      const shop = shopOf(r.order);
      const first = await Promise.all(Array.from({ length: copies }, () => shop.approve(r.id)));
      answers.push(...first.map((a) => a.status));
      if (r.type === 'return_refund' && first.some((a) => a.status === 200)) {
        answers.push((await shopper.sendBack(r.id)).status);
        answers.push(
          ...(await Promise.all(Array.from({ length: copies }, () => shop.receive(r.id)))).map((a) => a.status),
        );
      }
    };
    for (const op of s.ops) {
      if (op.kind === 'request') {
        const order = c.orders[op.picks[0]!.order % c.orders.length]!;
        const lines = [
          ...new Map(
            op.picks.map((p) => {
              const l = order.lines[p.line % order.lines.length]!;
              return [l.id, { lineId: l.id, quantity: Math.min(p.quantity, l.quantity) }];
            }),
          ).values(),
        ];
        const r = await shopper.request(order.orderId, lines, op.returns ? 'return_refund' : 'refund_only');
        answers.push(r.status);
        if (r.status === 201) requests.push({ id: r.body.id, order, type: r.body.type });
      } else if (op.kind === 'approve' && requests.length) {
        await approve(requests[op.req % requests.length]!, op.copies);
      } else if (op.kind === 'approveAll') {
        await Promise.all(requests.map((r) => approve(r, 2)));
      } else if ((op.kind === 'withdraw' || op.kind === 'reject') && requests.length) {
        const r = requests[op.req % requests.length]!;
        answers.push(
          (op.kind === 'withdraw' ? await shopper.withdraw(r.id) : await shopOf(r.order).reject(r.id)).status,
        );
      } else if (op.kind === 'ship') {
        const o = c.orders[op.order % c.orders.length]!;
        answers.push(
          (await shopOf(o).ship(o.orderId, op.partial ? [{ lineId: o.lines[0]!.id, quantity: 1 }] : undefined)).status,
        );
      } else if (op.kind === 'complete') {
        // Ship what is left, let auto-confirm and the after-sales window pass: the order completes.
        const o = c.orders[op.order % c.orders.length]!;
        answers.push((await shopOf(o).ship(o.orderId)).status);
        await runJobNow(node, `order-autoconfirm:${o.orderId}`);
        await settle(node);
        await runJobNow(node, `order-complete:${o.orderId}`);
      }
    }
    await settle(node);
    if (s.refundEverythingLeft) await refundEverythingLeft(c, requests, shopper, shopOf);
    expect(
      answers.filter((a) => a >= 500),
      'no 5xx',
    ).toEqual([]);
    seen.requests += requests.length;
    seen.refusedDuplicates += answers.filter((a) => a === 409).length;
    if (c.orders.length > 1) seen.twoShopCheckouts++;
    await checkBooks(c);
  }

  async function refundEverythingLeft(
    c: PaidCheckout,
    requests: Array<{ id: number; order: PaidCheckout['orders'][number] }>,
    shopper: ReturnType<typeof asBuyer>,
    shopOf: (o: PaidCheckout['orders'][number]) => ReturnType<typeof asShop>,
  ) {
    for (const r of requests) {
      await shopper.withdraw(r.id);
      await shopOf(r.order).reject(r.id);
    }
    for (const o of c.orders) {
      const d = await shopper.order(o.orderId);
      if (!['paid', 'shipped', 'delivered', 'completed'].includes(d.status)) continue;
      const left = d.lines
        .filter((l: { quantity: number; refundedQuantity: number }) => l.quantity > l.refundedQuantity)
        .map((l: { id: number; quantity: number; refundedQuantity: number }) => ({
          lineId: l.id,
          quantity: l.quantity - l.refundedQuantity,
        }));
      const r = await shopper.request(o.orderId, left);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect((await shopOf(o).approve(r.body.id)).status).toBe(200);
    }
    await settle(node);
  }

  async function checkBooks(c: PaidCheckout) {
    const db = node.app.ctx.db;
    let ordersRefunded = 0;
    for (const o of c.orders) {
      const order = await db.selectFrom('orders').selectAll().where('id', '=', o.orderId).executeTakeFirstOrThrow();
      const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', o.orderId).execute();
      const done = await db
        .selectFrom('aftersales')
        .select(['amount_fen', 'shipping_fen'])
        .where('order_id', '=', o.orderId)
        .where('status', '=', 'refunded')
        .execute();
      const label = `order ${o.orderId}`;
      expect(order.refunding_fen, label).toBe(0);
      expect(order.refunded_fen, label).toBeLessThanOrEqual(order.total_fen);
      expect(order.refunded_fen, label).toBe(done.reduce((s, a) => s + a.amount_fen, 0));
      const shippingBack = done.reduce((s, a) => s + a.shipping_fen, 0);
      expect(shippingBack, label).toBeLessThanOrEqual(order.shipping_fen);
      const goodsPaid = lines.reduce((s, l) => s + l.payable_fen, 0);
      const goodsRefunded = lines.reduce((s, l) => s + l.refunded_fen, 0);
      expect(goodsRefunded + shippingBack, label).toBe(order.refunded_fen);
      if (lines.every((l) => l.refunded_quantity === l.quantity)) {
        const shipped = lines.some((l) => l.shipped_quantity > 0);
        expect(order.refunded_fen, label).toBe(shipped ? goodsPaid : order.total_fen);
        expect(order.status, label).toBe('refunded');
      }
      const returned = await pointsSum('returned', o.orderId);
      const expected =
        goodsRefunded >= goodsPaid ? order.points_used : Math.floor((order.points_used * goodsRefunded) / goodsPaid);
      expect(returned, `${label} points returned`).toBe(order.points_used > 0 ? expected : 0);
      const earned = await pointsSum('earned', o.orderId);
      if (earned > 0)
        expect(earned + (await pointsSum('reversed', o.orderId)), `${label} points kept`).toBe(
          Math.min(earned, pointsEarned(order.total_fen - order.refunded_fen, node.app.ctx.services.points.policy)),
        );
      ordersRefunded += order.refunded_fen;
      seen.orders++;
      seen.refunded += done.length;
      if (order.status === 'refunded') seen.fullyRefunded++;
      if (shippingBack > 0) seen.shippingBack++;
      if (lines.some((l) => l.shipped_quantity > 0)) seen.shipped++;
      if (order.completed_at) seen.completed++;
      if (order.points_used > 0) seen.pointsOrders++;
    }
    const payment = await db
      .selectFrom('payments')
      .select('refunded_fen')
      .where('id', '=', c.paymentId)
      .executeTakeFirstOrThrow();
    const refunds = await db
      .selectFrom('refunds')
      .select(['amount_fen', 'status'])
      .where('payment_id', '=', c.paymentId)
      .execute();
    expect(refunds.every((r) => r.status === 'succeeded')).toBe(true);
    expect(payment.refunded_fen).toBe(refunds.reduce((s, r) => s + r.amount_fen, 0));
    expect(payment.refunded_fen).toBe(ordersRefunded);
    expect(await failures(node)).toEqual({ events: [], jobs: [] });
    const scope = {
      db,
      cache: node.app.ctx.cache,
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 3_600_000),
    };
    for (const name of ['payments.books', 'orders.refunds', 'aftersales.refunds', 'marketing.points']) {
      expect(await node.app.ctx.reconcile.checks.find((k) => k.name === name)!.run(scope), name).toEqual([]);
    }
  }

  async function pointsSum(reason: string, orderId: number): Promise<number> {
    const rows = await node.app.ctx.db
      .selectFrom('points_ledger')
      .select('delta')
      .where('reason', '=', reason)
      .where((eb) => eb.or([eb('ref', '=', `order:${orderId}`), eb('ref', 'like', `order:${orderId}:%`)]))
      .execute();
    return rows.reduce((s, r) => s + r.delta, 0);
  }

  it(`keeps the books balanced over random after-sales sequences (${RUNS} runs)`, async () => {
    const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
    process.stdout.write(
      `[${backend.name}] after-sales property: seed=${seed} runs=${RUNS} (replay with FC_SEED=${seed})\n`,
    );
    await fc.assert(fc.asyncProperty(scenarioArb, play), {
      seed,
      numRuns: RUNS,
      verbose: 1,
      endOnFailure: !process.env.FC_SHRINK,
    });
  }, 600_000);
});
