// Test fixtures for distribution: a shop with products, promoters through the API, bindings through
// the binding service, and real orders moved along (placed over HTTP; paid, refunded and completed
// through the orders module, whose events reach our handlers through the outbox).
import { sql } from 'kysely';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import type { TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';
import { transact } from '../../platform/db/transact.ts';

export interface Shopper {
  token: string;
  userId: number;
}

export async function distributionShop(node: TestNode, name: string, ownerPhone: string) {
  const shop = await makeShop(node, name, ownerPhone);
  const a = await simpleProduct(node, shop, `${name}货A`, 10_000, 10_000);
  const b = await simpleProduct(node, shop, `${name}货B`, 3_333, 10_000);
  return { shop, a, b };
}

export async function settings(node: TestNode, shop: ShopFixture, body: Record<string, unknown>) {
  const r = await node.api('PUT', `/api/merchants/${shop.merchantId}/distribution/settings`, {
    token: shop.owner.token,
    body,
  });
  if (r.status !== 200) throw new Error(`settings: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A shopper who applied (under a recruiter, maybe) and was approved. */
export async function promoter(
  node: TestNode,
  shop: ShopFixture,
  phone: string,
  recruiterUserId?: number,
): Promise<Shopper & { promoterId: number }> {
  const who = await node.userToken(phone);
  const applied = await node.api('POST', `/api/me/distribution/merchants/${shop.merchantId}/apply`, {
    token: who.token,
    body: recruiterUserId ? { recruiterUserId } : {},
  });
  if (applied.status !== 200) throw new Error(`apply: ${applied.status} ${JSON.stringify(applied.body)}`);
  if (applied.body.status !== 'approved') {
    const ok = await node.api(
      'POST',
      `/api/merchants/${shop.merchantId}/distribution/promoters/${applied.body.id}/decision`,
      { token: shop.owner.token, body: { action: 'approve' } },
    );
    if (ok.status !== 200) throw new Error(`approve: ${ok.status} ${JSON.stringify(ok.body)}`);
  }
  return { token: who.token, userId: who.userId, promoterId: applied.body.id };
}

let shares = 1;
/** A touch through the promoter's share, as growth reports it (share.touched), handled now. */
export function touch(
  node: TestNode,
  merchantId: number,
  sharerUserId: number,
  visitorUserId: number,
  at = new Date(),
) {
  const ctx = node.app.ctx;
  return transact(ctx.db, (trx) =>
    ctx.services.distributionBindings.onShareTouched(trx, {
      merchantId,
      shareId: shares++,
      sharerUserId,
      visitorUserId,
      touch: 'visit',
      targetKind: 'promoter',
      targetId: sharerUserId,
      occurredAt: at.toISOString(),
    }),
  );
}

let keys = 1;
/** Place an order over HTTP and pay it; resolves once our order.paid handler has run. */
export async function paidOrder(
  node: TestNode,
  buyer: Shopper,
  items: Array<{ skuId: number; quantity: number }>,
): Promise<{ orderId: number; lines: Array<{ lineId: number; skuId: number; quantity: number }> }> {
  const ctx = node.app.ctx;
  const addr = await addressFor(node, buyer.token, '浙江省');
  const placed = await node.api('POST', '/api/orders', {
    token: buyer.token,
    body: { idempotencyKey: `dist-${process.pid}-${keys++}`, items, addressId: addr.id },
  });
  if (placed.status !== 201) throw new Error(`order: ${placed.status} ${JSON.stringify(placed.body)}`);
  const orderId = placed.body.orders[0].orderId as number;
  await transact(ctx.db, (trx) => ctx.services.orders.markPaid(trx, orderId, null));
  await handled(node, 'order.paid', orderId, 'distribution.commission_on_paid');
  const lines = (await ctx.services.orderQueries.linesOf(ctx.db, orderId)).sort((x, y) => x.lineId - y.lineId);
  return { orderId, lines };
}

/** Refund these units for real (the order refund ledger), waiting for our handler. */
export async function refund(node: TestNode, orderId: number, lines: Array<{ lineId: number; quantity: number }>) {
  const ctx = node.app.ctx;
  const ref = `dist-test-refund-${keys++}`;
  await transact(ctx.db, async (trx) => {
    await ctx.services.orderRefunds.start(trx, orderId, { ref, lines });
    await ctx.services.orderRefunds.finish(trx, ref, null);
  });
  await handled(node, 'order.refunded', orderId, 'distribution.commission_on_refund');
}

/** The after-sales window closes (delivery is taken as done), waiting for our handler. */
export async function complete(node: TestNode, orderId: number) {
  const ctx = node.app.ctx;
  await transact(ctx.db, async (trx) => {
    await trx.updateTable('orders').set({ status: 'delivered' }).where('id', '=', orderId).execute();
    await ctx.services.orders.complete(trx, orderId);
  });
  await handled(node, 'order.completed', orderId, 'distribution.commission_on_completed');
}

/** Every event of this type about the order has been handled by our handler. */
export async function handled(node: TestNode, type: string, orderId: number, handler: string) {
  const db = node.app.ctx.db;
  await until(async () => {
    const { rows } = await sql<{ pending: number; all: number }>`
      select count(*) filter (where p.event_id is null) as pending, count(*) as all
        from outbox_events e
        left join processed_events p on p.event_id = e.id and p.handler = ${handler}
       where e.type = ${type} and e.aggregate_id = ${String(orderId)}`.execute(db);
    return Number(rows[0]!.all) > 0 && Number(rows[0]!.pending) === 0;
  });
}

/** Replay every event about the order to our handlers as if delivered again (new deliveries, same facts). */
export async function redeliver(node: TestNode, orderId: number) {
  const ctx = node.app.ctx;
  const { rows } = await sql<{ type: string; payload: unknown }>`
    select type, payload from outbox_events where aggregate_type = 'order' and aggregate_id = ${String(orderId)}
     order by id`.execute(ctx.db);
  const c = ctx.services.commissions;
  for (const r of rows) {
    const p = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as never;
    await transact(ctx.db, async (trx) => {
      if (r.type === 'order.paid') await c.onOrderPaid(trx, p);
      if (r.type === 'order.refunded') await c.onOrderRefunded(trx, p);
      if (r.type === 'order.completed') await c.onOrderCompleted(trx, p);
    });
  }
}

export async function centre(node: TestNode, who: Shopper, merchantId: number) {
  const r = await node.api('GET', `/api/me/distribution/merchants/${merchantId}`, { token: who.token });
  if (r.status !== 200) throw new Error(`centre: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as {
    earnings: { pendingFen: number; settledFen: number; reversedFen: number; balanceFen: number };
  };
}

export async function commissionsOf(node: TestNode, merchantId: number, orderId: number) {
  return node.app.ctx.db
    .selectFrom('distribution_commissions')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('order_id', '=', orderId)
    .orderBy('tier')
    .execute();
}

/** The shop's distribution books as the reconciliation check sees them. */
export async function books(node: TestNode, merchantId: number) {
  const check = node.app.ctx.reconcile.checks.find((c) => c.name === 'distribution.books')!;
  return check.run({
    db: node.app.ctx.db,
    cache: node.app.ctx.cache,
    merchantId,
    from: new Date(0),
    to: new Date(),
  });
}
