// Every reconciliation check catches what it is there for: on books that agree it is clean; plant
// one discrepancy (a row changed behind the services' back, as a bug or a bad manual fix would)
// and it reports it, attributed to the right shop; undo it and it is clean again. A check
// registered without a plant here fails the first test, so no check goes unproven.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, payWithSandbox, until } from '../../../test/order-fixtures.ts';
import type { Db } from '../../platform/db/types.ts';
import type { ReconcileScope } from '../../platform/reconcile.ts';
import { settle, storefront, type Storefront } from './test-support.ts';

interface Books {
  paid: number;
  paidPayment: number;
  unpaid: number;
  refunded: number;
  aftersaleId: number;
  skuId: number;
  flashItemId: number | null;
  buyerId: number;
}
interface Plant {
  plant(db: Db, b: Books): Promise<() => Promise<void>>;
  subject(b: Books): string;
  /** false: the books are the platform's (points belong to a shopper, not a shop). */
  perShop?: boolean;
}

const row = async <T>(q: Promise<T | undefined>) => {
  const r = await q;
  if (!r) throw new Error('fixture row missing');
  return r;
};

/** Add `by` to one column of the row whose `key` is `id`; the undo takes it off again. */
async function bump(db: Db, table: string, column: string, key: string, id: number, by = 1) {
  const move = (d: number) =>
    sql`
    update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} + ${d}
     where ${sql.ref(key)} = ${id}`.execute(db);
  await move(by);
  return async () => {
    await move(-by);
  };
}

/** One plant per check: it changes a row and returns how to put it back. */
const PLANTS: Record<string, Plant> = {
  'platform.outbox': {
    async plant(db, b) {
      const e = await db
        .insertInto('outbox_events')
        .values({
          type: 'test.never_handled',
          aggregate_type: 'order',
          aggregate_id: String(b.paid),
          payload: '{}',
          attempts: 25,
          dead_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return async () => {
        await db.deleteFrom('outbox_events').where('id', '=', e.id).execute();
      };
    },
    subject: () => 'event:',
  },
  'platform.jobs': {
    async plant(db, b) {
      const j = await db
        .insertInto('jobs')
        .values({
          type: 'test.gave_up',
          payload: JSON.stringify({ orderId: b.paid }),
          run_at: new Date(),
          status: 'failed',
          attempts: 10,
          last_error: 'provider down',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return async () => {
        await db.deleteFrom('jobs').where('id', '=', j.id).execute();
      };
    },
    subject: () => 'job:',
  },
  'reconciliation.order_payments': {
    plant: (db, b) => bump(db, 'payments', 'amount_fen', 'id', b.paidPayment),
    subject: (b) => `order:${b.paid}`,
  },
  'reconciliation.order_refunds': {
    async plant(db, b) {
      await db.updateTable('orders').set({ status: 'refunded' }).where('id', '=', b.paid).execute();
      return async () => {
        await db.updateTable('orders').set({ status: 'paid' }).where('id', '=', b.paid).execute();
      };
    },
    subject: (b) => `order:${b.paid}`,
  },
  'reconciliation.order_stock': {
    async plant(db, b) {
      const reservations = (status: 'reserved' | 'committed') =>
        db.updateTable('stock_reservations').set({ status }).where('order_id', '=', b.paid).execute();
      await reservations('reserved');
      return async () => {
        await reservations('committed');
      };
    },
    subject: (b) => `order:${b.paid} sku:`,
  },
  'orders.refunds': {
    plant: (db, b) => bump(db, 'orders', 'refunded_fen', 'id', b.refunded),
    subject: (b) => `order:${b.refunded}`,
  },
  'inventory.ledger': {
    plant: (db, b) => bump(db, 'stock_levels', 'on_hand', 'sku_id', b.skuId),
    subject: (b) => `sku:${b.skuId}`,
  },
  'payments.books': {
    plant: (db, b) => bump(db, 'payments', 'amount_fen', 'id', b.paidPayment),
    subject: () => '', // per provider and day: the platform's books
    perShop: false,
  },
  'aftersales.refunds': {
    plant: (db, b) => bump(db, 'aftersales', 'amount_fen', 'id', b.aftersaleId),
    subject: (b) => `aftersale:${b.aftersaleId}`,
  },
  'marketing.points': {
    perShop: false,
    plant: (db, b) => bump(db, 'points_accounts', 'balance', 'user_id', b.buyerId, 7),
    subject: () => '',
  },
  'marketing.flash_units': {
    plant: (db, b) => bump(db, 'flash_items', 'sold', 'id', b.flashItemId!),
    subject: (b) => `flash_item:${b.flashItemId}`,
  },
  'distribution.books': {
    // A promoter balance that no ledger entry explains.
    async plant(db, b) {
      const shop = await row(db.selectFrom('orders').select('merchant_id').where('id', '=', b.paid).executeTakeFirst());
      const promoter = await db
        .insertInto('distribution_promoters')
        .values({ merchant_id: shop.merchant_id, user_id: b.buyerId, status: 'approved', source: 'applied' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('distribution_accounts')
        .values({ promoter_id: promoter.id, merchant_id: shop.merchant_id, balance_fen: 7 })
        .execute();
      return async () => {
        await db.deleteFrom('distribution_accounts').where('promoter_id', '=', promoter.id).execute();
        await db.deleteFrom('distribution_promoters').where('id', '=', promoter.id).execute();
      };
    },
    subject: () => 'promoter:',
  },
};

describe.each(APP_BACKENDS)('each check reports a planted discrepancy on $name', (backend) => {
  let node: TestNode;
  let s: Storefront;
  let books: Books;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    s = await storefront(node, '埋点店', '13866600001', [{ title: '对账货', priceFen: 1200, stock: 50 }]);
    const buyer = await node.userToken('13966600001');
    const addr = await addressFor(node, buyer.token, '浙江省');
    const grant = (trx: Db) => node.app.ctx.services.points.adjust(trx, buyer.userId, 900, 'planted-test-grant');
    await node.app.ctx.db.transaction().execute(grant);
    const place = async (key: string, quantity: number) => {
      const items = [{ skuId: s.products[0]!.skuId, quantity }];
      const body = { idempotencyKey: key, items, addressId: addr.id, couponIds: [] };
      const r = await node.api('POST', '/api/orders', { token: buyer.token, body });
      if (r.status !== 201) throw new Error(`place: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const paid = await place('planted-paid-1', 1);
    const refunded = await place('planted-refund-1', 2);
    const unpaid = await place('planted-unpaid-1', 2);
    for (const p of [paid, refunded]) {
      expect(await payWithSandbox(node, p.payment.cashierUrl, 'succeeded')).toBe('succeeded');
    }
    const refundedId = refunded.orders[0].orderId as number;
    const order = () => node.api('GET', `/api/orders/${refundedId}`, { token: buyer.token });
    await until(async () => (await order()).body.status === 'paid');
    const detail = (await node.api('GET', `/api/orders/${refundedId}`, { token: buyer.token })).body;
    const ask = { type: 'refund_only', reason: '买多了', lines: [{ lineId: detail.lines[0].id, quantity: 1 }] };
    const req = await node.api('POST', `/api/orders/${refundedId}/aftersales`, { token: buyer.token, body: ask });
    expect(req.status).toBe(201);
    const approve = `/api/merchants/${s.shop.merchantId}/aftersales/${req.body.id}/approve`;
    expect((await node.api('POST', approve, { token: s.shop.owner.token })).status).toBe(200);
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const flash = await node.api('POST', `/api/merchants/${s.shop.merchantId}/flash-sales`, {
      token: s.shop.owner.token,
      body: {
        title: '对账秒杀',
        startsAt: at(-1000),
        endsAt: at(3600_000),
        items: [{ skuId: s.products[0]!.skuId, flashPriceFen: 900, stock: 5, perUserLimit: 1 }],
      },
    });
    await settle(node.app);
    const paidId = paid.orders[0].orderId as number;
    books = {
      paid: paidId,
      refunded: refundedId,
      aftersaleId: req.body.id,
      unpaid: unpaid.orders[0].orderId,
      skuId: s.products[0]!.skuId,
      buyerId: buyer.userId,
      paidPayment: (
        await row(node.app.ctx.db.selectFrom('orders').select('payment_id').where('id', '=', paidId).executeTakeFirst())
      ).payment_id!,
      flashItemId: flash.status === 201 ? flash.body.items[0].id : null,
    };
  });
  afterAll(async () => {
    await node?.close();
  });

  const everything = (): ReconcileScope => ({
    db: node.app.ctx.db,
    cache: node.app.ctx.cache,
    from: new Date(0),
    to: new Date(Date.now() + 60_000),
  });
  const check = (name: string) => node.app.ctx.reconcile.checks.find((c) => c.name === name);

  it('has a planted-discrepancy test for every registered check', () => {
    const untested = node.app.ctx.reconcile.checks.map((c) => c.name).filter((n) => !(n in PLANTS));
    expect(untested).toEqual([]);
  });

  it('is clean on books that agree', async () => {
    for (const c of node.app.ctx.reconcile.checks) {
      expect({ check: c.name, found: await c.run(everything()) }).toEqual({ check: c.name, found: [] });
    }
  });

  it.for(Object.keys(PLANTS))('%s reports its planted discrepancy, attributed to the shop', async (name, ctx) => {
    const c = check(name);
    if (!c) return ctx.skip(`${name} is not registered (yet) by its module`);
    const plant = PLANTS[name]!;
    if (name === 'marketing.flash_units' && books.flashItemId === null) {
      throw new Error('the flash-sale fixture could not be made');
    }
    const undo = await plant.plant(node.app.ctx.db, books);
    try {
      const all = await c.run(everything());
      const mine = all.filter((d) => d.subject.startsWith(plant.subject(books)));
      expect(mine.length, JSON.stringify(all)).toBeGreaterThan(0);
      expect(mine.every((d) => d.check === name && typeof d.message === 'string' && d.message.length > 0)).toBe(true);
      if (plant.perShop !== false) {
        expect(mine.every((d) => d.merchantId === s.shop.merchantId)).toBe(true);
        const forShop = await c.run({ ...everything(), merchantId: s.shop.merchantId });
        const shopFinds = forShop.filter((d) => d.subject.startsWith(plant.subject(books)));
        expect(shopFinds.length, JSON.stringify(forShop)).toBeGreaterThan(0);
        expect(await c.run({ ...everything(), merchantId: s.shop.merchantId + 1000 })).toEqual([]);
      }
    } finally {
      await undo();
    }
    expect(await c.run(everything())).toEqual([]);
  });
});
