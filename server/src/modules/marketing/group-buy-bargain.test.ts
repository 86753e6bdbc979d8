// Group-buy and bargain through the real API on both backends: a group fills and succeeds; one
// that expires fails, cancels the unpaid and refunds every paid member automatically; joins of a
// full, closed or already-joined group are refused. A bargain reaches its floor exactly in the
// configured number of helps, each friend cuts once, and it is bought at the reached price.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { bulkBuyers, payWithSandbox, until } from '../../../test/order-fixtures.ts';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();

describe.each(APP_BACKENDS)('group-buy and bargain on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let buyers: Array<{ userId: number; token: string; addressId: number }>;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '拼团砍价店', '13888880001');
    buyers = await bulkBuyers(node, 12, '1388889');
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  let n = 0;
  const order = (b: { token: string; addressId: number }, skuId: number, extra: Record<string, unknown>) =>
    node.api('POST', '/api/orders', {
      token: b.token,
      body: {
        idempotencyKey: `gbb-order-${++n}`,
        items: [{ skuId, quantity: 1 }],
        addressId: b.addressId,
        couponIds: [],
        ...extra,
      },
    });
  const status = async (b: { token: string }, orderId: number) =>
    (await node.api('GET', `/api/orders/${orderId}`, { token: b.token })).body.status as string;

  it('fills a group of three and succeeds; a fourth cannot join', async () => {
    const { skuId } = await simpleProduct(node, shop, '拼团水杯', 5000, 100);
    const deal = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/group-buys`, {
        token: shop.owner.token,
        body: {
          skuId,
          title: '三人团',
          groupPriceFen: 2990,
          groupSize: 3,
          expireMinutes: 30,
          startsAt: at(-1000),
          endsAt: at(86400_000),
        },
      })
    ).body;
    const [leader, a, b, c] = buyers;
    const opened = await order(leader!, skuId, { groupBuy: { dealId: deal.id } });
    expect(opened.status).toBe(201);
    expect(opened.body.orders[0].totalFen).toBeLessThan(5000);
    const groupId = (
      await node.app.ctx.db
        .selectFrom('group_buy_members')
        .select('group_id')
        .where('order_id', '=', opened.body.orders[0].orderId)
        .executeTakeFirstOrThrow()
    ).group_id;
    expect(
      await node.app.ctx.db
        .selectFrom('jobs')
        .select('id')
        .where('unique_key', '=', `group-expire:${groupId}`)
        .executeTakeFirst(),
    ).toBeTruthy();
    await payWithSandbox(node, opened.body.payment.cashierUrl, 'succeeded');
    expect((await order(leader!, skuId, { groupBuy: { dealId: deal.id, groupId } })).body.error.code).toBe(
      'GROUP_ALREADY_JOINED',
    );
    const joins = [
      await order(a!, skuId, { groupBuy: { dealId: deal.id, groupId } }),
      await order(b!, skuId, { groupBuy: { dealId: deal.id, groupId } }),
    ];
    expect(joins.map((j) => j.status)).toEqual([201, 201]);
    expect((await order(c!, skuId, { groupBuy: { dealId: deal.id, groupId } })).body.error.code).toBe('GROUP_FULL');
    for (const j of joins) await payWithSandbox(node, j.body.payment.cashierUrl, 'succeeded');
    await until(async () => (await node.api('GET', `/api/group-buys/groups/${groupId}`)).body.status === 'succeeded');
    const g = (await node.api('GET', `/api/group-buys/groups/${groupId}`)).body;
    expect(g).toMatchObject({ paid: 3, missing: 0, size: 3 });
    expect(g.members.filter((m: { leader: boolean }) => m.leader)).toHaveLength(1);
    expect((await order(c!, skuId, { groupBuy: { dealId: deal.id, groupId } })).body.error.code).toBe('GROUP_CLOSED');
    // Only one unit of the deal's item, nothing else.
    expect(
      (
        await node.api('POST', '/api/orders', {
          token: c!.token,
          body: {
            idempotencyKey: 'gbb-bad-basket',
            items: [{ skuId, quantity: 2 }],
            addressId: c!.addressId,
            groupBuy: { dealId: deal.id },
          },
        })
      ).body.error.code,
    ).toBe('GROUP_BUY_BASKET_INVALID');
  });

  it('fails at expiry: unpaid orders are cancelled and every paid member is refunded in full', async () => {
    const { skuId } = await simpleProduct(node, shop, '拼团雨伞', 8000, 100);
    const deal = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/group-buys`, {
        token: shop.owner.token,
        body: {
          skuId,
          title: '四人团',
          groupPriceFen: 4990,
          groupSize: 4,
          expireMinutes: 30,
          startsAt: at(-1000),
          endsAt: at(86400_000),
        },
      })
    ).body;
    const [, , , , leader, paidJoiner, unpaidJoiner] = buyers;
    const opened = (await order(leader!, skuId, { groupBuy: { dealId: deal.id } })).body;
    const groupId = (
      await node.app.ctx.db
        .selectFrom('group_buy_members')
        .select('group_id')
        .where('order_id', '=', opened.orders[0].orderId)
        .executeTakeFirstOrThrow()
    ).group_id;
    const joined = (await order(paidJoiner!, skuId, { groupBuy: { dealId: deal.id, groupId } })).body;
    const unpaid = (await order(unpaidJoiner!, skuId, { groupBuy: { dealId: deal.id, groupId } })).body;
    await payWithSandbox(node, opened.payment.cashierUrl, 'succeeded');
    await payWithSandbox(node, joined.payment.cashierUrl, 'succeeded');
    await until(async () => (await node.api('GET', `/api/group-buys/groups/${groupId}`)).body.paid === 2);
    // The expiry job's work (run now rather than waiting 30 minutes).
    await node.app.ctx.db.transaction().execute((trx) => node.app.ctx.services.groupBuys.expire(trx, groupId));
    expect((await node.api('GET', `/api/group-buys/groups/${groupId}`)).body.status).toBe('failed');
    expect(await status(unpaidJoiner!, unpaid.orders[0].orderId)).toBe('cancelled');
    await until(
      async () =>
        (await status(leader!, opened.orders[0].orderId)) === 'refunded' &&
        (await status(paidJoiner!, joined.orders[0].orderId)) === 'refunded',
      30_000,
    );
    const refunds = await node.app.ctx.db
      .selectFrom('refunds')
      .select(['amount_fen', 'status'])
      .where('idempotency_key', 'like', `group-buy:${groupId}:%`)
      .execute();
    expect(refunds.map((r) => r.amount_fen).sort()).toEqual(
      [opened.orders[0].totalFen, joined.orders[0].totalFen].sort(),
    );
    // Running the expiry again changes nothing.
    await node.app.ctx.db.transaction().execute((trx) => node.app.ctx.services.groupBuys.expire(trx, groupId));
    expect(
      await node.app.ctx.db
        .selectFrom('refunds')
        .select('id')
        .where('idempotency_key', 'like', `group-buy:${groupId}:%`)
        .execute(),
    ).toHaveLength(2);
    // Stock is back: 100 on hand, nothing reserved.
    const stock = await node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ on_hand: 100, reserved: 0 });
  }, 60_000);

  it("refunds a failed group through the order's refund ledger, never twice what a shopper paid", async () => {
    const { skuId } = await simpleProduct(node, shop, '拼团茶具', 6000, 20);
    const deal = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/group-buys`, {
        token: shop.owner.token,
        body: {
          skuId,
          title: '五人团',
          groupPriceFen: 3990,
          groupSize: 5,
          expireMinutes: 30,
          startsAt: at(-1000),
          endsAt: at(86400_000),
        },
      })
    ).body;
    const [, , , , , , , leader, joiner] = buyers;
    const opened = (await order(leader!, skuId, { groupBuy: { dealId: deal.id } })).body;
    const orderId = opened.orders[0].orderId as number;
    const groupId = (
      await node.app.ctx.db
        .selectFrom('group_buy_members')
        .select('group_id')
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow()
    ).group_id;
    const joined = (await order(joiner!, skuId, { groupBuy: { dealId: deal.id, groupId } })).body;
    await payWithSandbox(node, opened.payment.cashierUrl, 'succeeded');
    await payWithSandbox(node, joined.payment.cashierUrl, 'succeeded');
    await until(async () => (await node.api('GET', `/api/group-buys/groups/${groupId}`)).body.paid === 2);
    // The leader gives up first and the shop refunds them through after-sales...
    const lineId = (await node.api('GET', `/api/orders/${orderId}`, { token: leader!.token })).body.lines[0]
      .id as number;
    const asked = await node.api('POST', `/api/orders/${orderId}/aftersales`, {
      token: leader!.token,
      body: { type: 'refund_only', reason: '不想等了', lines: [{ lineId, quantity: 1 }] },
    });
    expect(asked.status).toBe(201);
    const approved = await node.api('POST', `/api/merchants/${shop.merchantId}/aftersales/${asked.body.id}/approve`, {
      token: shop.owner.token,
    });
    expect(approved.status).toBe(200);
    // ...then the group fails: only what is left of each order is refunded (nothing, for the leader).
    await node.app.ctx.db.transaction().execute((trx) => node.app.ctx.services.groupBuys.expire(trx, groupId));
    await until(
      async () =>
        (await status(leader!, orderId)) === 'refunded' &&
        (await status(joiner!, joined.orders[0].orderId)) === 'refunded',
      30_000,
    );
    const byPayment = await node.app.ctx.db
      .selectFrom('refunds as r')
      .innerJoin('payments as p', 'p.id', 'r.payment_id')
      .select(['p.payment_no', 'p.amount_fen', (eb) => eb.fn.sum<number>('r.amount_fen').as('refunded')])
      .where('p.payment_no', 'in', [opened.payment.paymentNo, joined.payment.paymentNo])
      .groupBy(['p.payment_no', 'p.amount_fen'])
      .execute();
    expect(byPayment).toHaveLength(2);
    for (const p of byPayment) expect(Number(p.refunded)).toBe(p.amount_fen); // each paid back exactly once
    const books = await node.app.ctx.db
      .selectFrom('orders')
      .select(['total_fen', 'refunded_fen', 'refunding_fen'])
      .where('id', 'in', [orderId, joined.orders[0].orderId])
      .execute();
    for (const o of books) expect(o).toMatchObject({ refunded_fen: o.total_fen, refunding_fen: 0 });
    const stock = await node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ on_hand: 20, reserved: 0 });
    await node.app.ctx.events.dispatchOnce();
    const dead = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('id')
      .where('dispatched_at', 'is', null)
      .where('attempts', '>', 0)
      .execute();
    expect(dead).toEqual([]);
  }, 60_000);

  it('reaches the floor exactly in the configured helps, one cut per friend, and sells at that price', async () => {
    const { skuId } = await simpleProduct(node, shop, '砍价台灯', 10000, 10);
    const campaign = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/bargains`, {
        token: shop.owner.token,
        body: {
          skuId,
          title: '0元砍台灯',
          floorPriceFen: 3000,
          helpsNeeded: 5,
          expireHours: 24,
          startsAt: at(-1000),
          endsAt: at(86400_000),
        },
      })
    ).body;
    expect(
      (
        await node.api('POST', `/api/merchants/${shop.merchantId}/bargains`, {
          token: shop.owner.token,
          body: {
            skuId,
            title: 'x',
            floorPriceFen: 20000,
            helpsNeeded: 5,
            expireHours: 24,
            startsAt: at(-1000),
            endsAt: at(86400_000),
          },
        })
      ).body.error.code,
    ).toBe('BARGAIN_INVALID');
    const [owner, ...friends] = buyers;
    const bargain = (await node.api('POST', `/api/bargains/campaigns/${campaign.id}/start`, { token: owner!.token }))
      .body;
    expect(bargain).toMatchObject({
      startPriceFen: 10000,
      currentPriceFen: 10000,
      floorPriceFen: 3000,
      status: 'active',
    });
    expect(
      (await node.api('POST', `/api/bargains/campaigns/${campaign.id}/start`, { token: owner!.token })).body.id,
    ).toBe(bargain.id);
    expect((await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: owner!.token })).body.error.code).toBe(
      'BARGAIN_SELF_HELP',
    );
    const cuts: number[] = [];
    for (const f of friends.slice(0, 5))
      cuts.push((await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: f.token })).body.cutFen);
    expect(cuts.every((c) => c >= 1)).toBe(true);
    expect(cuts.reduce((s, c) => s + c, 0)).toBe(7000);
    expect(
      (await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: friends[0]!.token })).body.error.code,
    ).toBe('BARGAIN_DONE');
    const view = (await node.api('GET', `/api/bargains/${bargain.id}`)).body;
    expect(view).toMatchObject({ currentPriceFen: 3000, helps: 5, status: 'reached' });
    expect(
      (await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: friends[6]!.token })).body.error.code,
    ).toBe('BARGAIN_DONE');
    // Someone else cannot buy my bargain; I buy it at the floor price, once.
    expect((await order(friends[7]!, skuId, { bargainId: bargain.id })).body.error.code).toBe('BARGAIN_NOT_FOUND');
    const bought = await order(owner!, skuId, { bargainId: bargain.id });
    expect(bought.status).toBe(201);
    const detail = (await node.api('GET', `/api/orders/${bought.body.orders[0].orderId}`, { token: owner!.token }))
      .body;
    expect(detail.lines[0].unitPriceFen).toBe(3000);
    expect(detail.lines[0].adjustments.map((a: { step: string }) => a.step)).toContain('bargain');
    expect((await order(owner!, skuId, { bargainId: bargain.id })).body.error.code).toBe('BARGAIN_DONE');
  });

  it('refuses a second help from the same friend while the bargain is open', async () => {
    const { skuId } = await simpleProduct(node, shop, '砍价闹钟', 5000, 10);
    const campaign = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/bargains`, {
        token: shop.owner.token,
        body: {
          skuId,
          title: '砍闹钟',
          floorPriceFen: 1000,
          helpsNeeded: 3,
          expireHours: 24,
          startsAt: at(-1000),
          endsAt: at(86400_000),
        },
      })
    ).body;
    const bargain = (
      await node.api('POST', `/api/bargains/campaigns/${campaign.id}/start`, { token: buyers[1]!.token })
    ).body;
    expect((await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: buyers[2]!.token })).status).toBe(200);
    expect(
      (await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: buyers[2]!.token })).body.error.code,
    ).toBe('BARGAIN_ALREADY_HELPED');
  });
});
