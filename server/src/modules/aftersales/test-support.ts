// Shared by the after-sales tests: shops with a shipping fee, checkouts paid through the sandbox
// (one payment for several shops' orders), request/approve helpers, and "let the workers finish".
import { sql } from 'kysely';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import type { TestNode } from '../../../test/harness.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';

/** A shop whose every parcel costs 600 fen plus 100 per extra piece. */
export async function shopWithShipping(node: TestNode, name: string, ownerPhone: string): Promise<ShopFixture> {
  const shop = await makeShop(node, name, ownerPhone);
  const r = await node.api('POST', `/api/merchants/${shop.merchantId}/shipping-templates`, {
    token: shop.owner.token,
    body: {
      name: '默认',
      chargeBy: 'pieces',
      isDefault: true,
      rules: [{ regions: ['*'], firstUnits: 1, firstFeeFen: 600, extraUnits: 1, extraFeeFen: 100 }],
    },
  });
  if (r.status !== 201) throw new Error(`shipping template: ${JSON.stringify(r.body)}`);
  return shop;
}

export interface PaidCheckout {
  buyer: { token: string; userId: number };
  paymentId: number;
  orders: Array<{
    orderId: number;
    merchantId: number;
    totalFen: number;
    lines: Array<{ id: number; quantity: number; payableFen: number }>;
  }>;
}

/** Place one checkout over `items` (possibly several shops) and pay it in the sandbox. */
export async function paidCheckout(
  node: TestNode,
  buyer: { token: string; userId: number },
  key: string,
  items: Array<{ skuId: number; quantity: number }>,
  opts: { usePoints?: boolean } = {},
): Promise<PaidCheckout> {
  const addr = await addressFor(node, buyer.token, '上海市');
  const placed = await node.api('POST', '/api/orders', {
    token: buyer.token,
    body: { idempotencyKey: key, items, addressId: addr.id, ...(opts.usePoints ? { usePoints: true } : {}) },
  });
  if (placed.status !== 201) throw new Error(`place: ${JSON.stringify(placed.body)}`);
  const outcome = await payWithSandbox(node, placed.body.payment.cashierUrl, 'succeeded');
  if (outcome !== 'succeeded') throw new Error(`pay: ${outcome}`);
  const orders = [];
  for (const o of placed.body.orders as Array<{ orderId: number }>) {
    await until(
      async () => (await node.api('GET', `/api/orders/${o.orderId}`, { token: buyer.token })).body.status === 'paid',
    );
    const d = (await node.api('GET', `/api/orders/${o.orderId}`, { token: buyer.token })).body;
    orders.push({
      orderId: d.id,
      merchantId: d.merchantId,
      totalFen: d.totalFen,
      lines: d.lines.map((l: { id: number; quantity: number; payableFen: number }) => ({
        id: l.id,
        quantity: l.quantity,
        payableFen: l.payableFen,
      })),
    });
  }
  const p = await node.app.ctx.db
    .selectFrom('payments')
    .select('id')
    .where('payment_no', '=', placed.body.payment.paymentNo)
    .executeTakeFirstOrThrow();
  return { buyer, paymentId: p.id, orders };
}

export async function product(node: TestNode, shop: ShopFixture, title: string, priceFen: number, stock = 50) {
  return (await simpleProduct(node, shop, title, priceFen, stock)).skuId;
}

export function asBuyer(node: TestNode, token: string) {
  return {
    request: (
      orderId: number,
      lines: Array<{ lineId: number; quantity: number }>,
      type: 'refund_only' | 'return_refund' = 'refund_only',
    ) => node.api('POST', `/api/orders/${orderId}/aftersales`, { token, body: { type, reason: '测试', lines } }),
    withdraw: (id: number) => node.api('POST', `/api/aftersales/${id}/cancel`, { token }),
    sendBack: (id: number) =>
      node.api('POST', `/api/aftersales/${id}/return`, { token, body: { carrier: '中通', trackingNo: `ZT${id}0000` } }),
    order: async (orderId: number) => (await node.api('GET', `/api/orders/${orderId}`, { token })).body,
  };
}

export function asShop(node: TestNode, shop: ShopFixture) {
  const base = `/api/merchants/${shop.merchantId}`;
  const opts = { token: shop.owner.token };
  return {
    approve: (id: number) => node.api('POST', `${base}/aftersales/${id}/approve`, opts),
    reject: (id: number) =>
      node.api('POST', `${base}/aftersales/${id}/reject`, { ...opts, body: { reason: '不符合' } }),
    receive: (id: number) => node.api('POST', `${base}/aftersales/${id}/receive`, opts),
    ship: (orderId: number, items?: Array<{ lineId: number; quantity: number }>) =>
      node.api('POST', `${base}/orders/${orderId}/ship`, {
        ...opts,
        body: { carrier: '中通', trackingNo: `ZT${orderId}9999`, ...(items ? { items } : {}) },
      }),
  };
}

/** Wait until the outbox and the due jobs are drained (events delivered, refunds executed), twice in a row. */
export async function settle(node: TestNode, ms = 20_000): Promise<void> {
  const db = node.app.ctx.db;
  let quiet = 0;
  await until(async () => {
    node.app.ctx.events.wake();
    node.app.ctx.jobs.wake();
    // Due or being worked on; one that failed waits out its backoff (available_at / run_at ahead) and
    // is not waited for: failures() reports it.
    const ev = await db
      .selectFrom('outbox_events')
      .select(sql<number>`count(*)`.as('n'))
      .where('dispatched_at', 'is', null)
      .where('dead_at', 'is', null)
      .where('available_at', '<=', sql<Date>`now()`)
      .executeTakeFirstOrThrow();
    const jobs = await db
      .selectFrom('jobs')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'pending')
      .where('run_at', '<=', sql<Date>`now()`)
      .executeTakeFirstOrThrow();
    // A handler's follow-up (an event it emits, a job it schedules) commits with it: look twice.
    quiet = Number(ev.n) === 0 && Number(jobs.n) === 0 ? quiet + 1 : 0;
    return quiet >= 2;
  }, ms);
}

/** Outbox events that failed at least once (a handler threw) and jobs that failed: none should exist. */
export async function failures(node: TestNode) {
  const db = node.app.ctx.db;
  const events = await db
    .selectFrom('outbox_events')
    .select(['id', 'type', 'attempts', 'last_error', 'dead_at'])
    .where((eb) => eb.or([eb('attempts', '>', 0), eb('dead_at', 'is not', null)]))
    .execute();
  const jobs = await db
    .selectFrom('jobs')
    .select(['id', 'type', 'status', 'last_error'])
    .where((eb) => eb.or([eb('status', '=', 'failed'), eb('last_error', 'is not', null)]))
    .execute();
  return { events, jobs };
}

/** Run a pending delayed job now (auto-confirm after 10 days, complete after the after-sales window). */
export async function runJobNow(node: TestNode, uniqueKey: string): Promise<boolean> {
  const r = await node.app.ctx.db
    .updateTable('jobs')
    .set({ run_at: sql<Date>`now()` })
    .where('unique_key', '=', uniqueKey)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  node.app.ctx.jobs.wake();
  return Number(r.numUpdatedRows) > 0;
}

export async function pointsBalance(node: TestNode, userId: number): Promise<number> {
  return node.app.ctx.services.points.balance(node.app.ctx.db, userId);
}

export async function grantPoints(node: TestNode, userId: number, points: number, ref: string): Promise<void> {
  await node.app.ctx.db.transaction().execute((trx) => node.app.ctx.services.points.adjust(trx, userId, points, ref));
}
