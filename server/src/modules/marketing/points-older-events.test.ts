// Outbox rows written by an older version still work: an order.cancelled event from before its
// payload carried pointsUsed still gives the shopper's points back (asking the order for them),
// and the current payload gives them back without asking.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';

describe.each(APP_BACKENDS)('points and older order.cancelled rows on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '旧事件小店', '13866665001');
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  const balance = async (token: string) => (await node.api('GET', '/api/me/points', { token })).body.balance as number;

  /** Place an order paying 2000 points, then cancel it; `older` strips pointsUsed from the event as stored. */
  async function cancelWithPoints(phone: string, key: string, older: boolean) {
    const buyer = await node.userToken(phone);
    const addr = await addressFor(node, buyer.token, '广东省');
    const { skuId } = await simpleProduct(node, shop, `积分商品 ${key}`, 4000, 5);
    const ctx = node.app.ctx;
    await ctx.db
      .transaction()
      .execute((trx) => ctx.services.points.adjust(trx, buyer.userId, 5000, `test-grant:${key}`));
    const items = [{ skuId, quantity: 1 }];
    const body = { idempotencyKey: key, items, addressId: addr.id, couponIds: [], usePoints: true };
    const placed = (await node.api('POST', '/api/orders', { token: buyer.token, body })).body;
    const orderId: number = placed.orders[0].orderId;
    expect(await balance(buyer.token)).toBe(3000);
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.services.orders.cancel(trx, orderId, '买家取消', buyer.userId);
      if (older) {
        await sql`update outbox_events set payload = payload - 'pointsUsed'
                   where type = 'order.cancelled' and aggregate_id = ${String(orderId)}`.execute(trx);
      }
    });
    const stored = await ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'order.cancelled')
      .where('aggregate_id', '=', String(orderId))
      .executeTakeFirstOrThrow();
    const raw: unknown = stored.payload;
    const payload = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
    return { buyer, payload };
  }

  it('gives the points back from an event written before its payload carried pointsUsed', async () => {
    const { buyer, payload } = await cancelWithPoints('13866665101', 'older-cancel-0001', true);
    expect(payload).not.toHaveProperty('pointsUsed');
    await until(async () => (await balance(buyer.token)) === 5000);
  });

  it('gives the points back from the payload as it is written now', async () => {
    const { buyer, payload } = await cancelWithPoints('13866665102', 'older-cancel-0002', false);
    expect(payload).toMatchObject({ pointsUsed: 2000 });
    await until(async () => (await balance(buyer.token)) === 5000);
  });
});
