// A unit taken in the cache ends sold or back on sale: a request that dies after its take gives
// the unit back when its lease runs out, and its shopper can buy again; an order transaction that
// commits after the reconciler gave its unit back fails cleanly, and one that commits first keeps
// the unit; lost or stale counters are rebuilt from the database; the reconciliation check says
// where cache and database disagree. Through the real service and API, on both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../../test/harness.ts';
import { APP_BACKENDS } from '../../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../../test/commerce-fixtures.ts';
import { bulkBuyers, until } from '../../../../test/order-fixtures.ts';
import { transact } from '../../../platform/db/transact.ts';
import { flashKeys } from './stock-scripts.ts';

const LEASE_MS = 1000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
type Buyer = { userId: number; token: string; addressId: number };

describe.each(APP_BACKENDS)('flash-sale attempts on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let skuId: number;
  let buyers: Buyer[];
  let nextBuyer = 0;
  let orderIds = 900_000;
  beforeAll(async () => {
    const config = { dbPoolMax: 20, flashSale: { leaseMs: LEASE_MS, reconcileEveryMs: 250 } };
    node = await startNode({ db: backend.db, cache: backend.cache, config });
    shop = await makeShop(node, '租约店', '13866660001');
    skuId = (await simpleProduct(node, shop, '限量球鞋', 59900, 1000)).skuId;
    buyers = await bulkBuyers(node, 80, '1386667');
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  const flash = () => node.app.ctx.services.flashSales;
  const db = () => node.app.ctx.db;
  const take = () => buyers[nextBuyer++]!;

  async function item(stock: number, perUserLimit = 1) {
    const created = await node.api('POST', `/api/merchants/${shop.merchantId}/flash-sales`, {
      token: shop.owner.token,
      body: {
        title: '租约秒杀',
        startsAt: at(-1000),
        endsAt: at(3600_000),
        items: [{ skuId, flashPriceFen: 9900, stock, perUserLimit }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.items[0].id as number;
    const row = await db()
      .selectFrom('flash_items')
      .select(['cache_key', 'session_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, sessionId: row.session_id, keys: flashKeys(row.cache_key) };
  }
  const remaining = async (it: { sessionId: number }) =>
    (await node.api('GET', `/api/flash-sales/${it.sessionId}`)).body.items[0].remaining as number;
  const sold = async (itemId: number) =>
    (await db().selectFrom('flash_items').select('sold').where('id', '=', itemId).executeTakeFirstOrThrow()).sold;
  const check = async () =>
    await node.app.ctx.reconcile.checks
      .find((c) => c.name === 'marketing.flash_units')!
      .run({ db: db(), cache: node.app.ctx.cache, from: new Date(0), to: new Date() });
  const tokenFor = async (b: Buyer, itemId: number) => (await flash().token(b.userId, itemId)).token;
  async function buy(b: Buyer, itemId: number, key: string) {
    const t = await node.api('POST', `/api/flash-sales/items/${itemId}/token`, { token: b.token, body: {} });
    return node.api('POST', '/api/orders', {
      token: b.token,
      body: {
        idempotencyKey: key,
        items: [{ skuId, quantity: 1 }],
        addressId: b.addressId,
        flashSaleItemId: itemId,
        flashToken: t.body.token,
        couponIds: [],
      },
    });
  }
  /** The order transaction's part, as if it ran late: settle the attempt under a made-up order id. */
  const settleLate = (b: Buyer, itemId: number, token: string) =>
    transact(db(), (trx) => flash().settle(trx, ++orderIds, b.userId, itemId, 1, token));

  it("gives a dead request's unit back when its lease runs out, and its shopper can buy again", async () => {
    const it1 = await item(2);
    const b = take();
    // The request took its unit, then its node died: no order, no undo.
    await flash().take(b.userId, it1.id, 1, await tokenFor(b, it1.id));
    expect(await remaining(it1)).toBe(1);
    expect((await buy(b, it1.id, 'dead-retry-early')).body.error.code).toBe('FLASH_LIMIT_REACHED');
    await until(async () => (await remaining(it1)) === 2, 10_000);
    expect((await buy(b, it1.id, 'dead-retry-late')).status).toBe(201);
    expect(await sold(it1.id)).toBe(1);
    expect(await check()).toEqual([]);
  });

  it('fails an order that commits after the reconciler gave its unit back, and its undo changes nothing', async () => {
    const it1 = await item(3);
    const b = take();
    const token = await tokenFor(b, it1.id);
    const undo = await flash().take(b.userId, it1.id, 1, token);
    await new Promise((r) => setTimeout(r, LEASE_MS + 50));
    await flash().attempts.reconcile();
    expect(await remaining(it1)).toBe(3);
    await expect(settleLate(b, it1.id, token)).rejects.toMatchObject({
      code: 'FLASH_ATTEMPT_EXPIRED',
      statusCode: 409,
    });
    await undo();
    await undo();
    expect(await remaining(it1)).toBe(3);
    expect(await sold(it1.id)).toBe(0);
    const outcome = await db()
      .selectFrom('flash_attempts')
      .select(['outcome', 'order_id'])
      .where('item_id', '=', it1.id)
      .execute();
    expect(outcome).toEqual([{ outcome: 'expired', order_id: null }]);
    expect(await check()).toEqual([]);
  });

  it('keeps the unit of an order transaction that commits before the lease runs out', async () => {
    const it1 = await item(3);
    const b = take();
    const token = await tokenFor(b, it1.id);
    const undo = await flash().take(b.userId, it1.id, 1, token);
    await settleLate(b, it1.id, token);
    await new Promise((r) => setTimeout(r, LEASE_MS + 50));
    await flash().attempts.reconcile();
    await undo(); // as if the answer was lost after the commit: the database says settled, nothing returns
    expect(await remaining(it1)).toBe(2);
    expect(await sold(it1.id)).toBe(1);
    expect(await node.app.ctx.cache.hGetAll(it1.keys.attempts)).toEqual({});
    expect((await buy(b, it1.id, 'kept-again')).body.error.code).toBe('FLASH_LIMIT_REACHED');
    expect(await check()).toEqual([]);
  });

  it('decides each attempt once when 20 late order transactions race the reconciler', async () => {
    const it1 = await item(20);
    const racers = Array.from({ length: 20 }, () => take());
    const tokens = await Promise.all(racers.map((b) => tokenFor(b, it1.id)));
    await Promise.all(racers.map((b, i) => flash().take(b.userId, it1.id, 1, tokens[i]!)));
    await new Promise((r) => setTimeout(r, LEASE_MS + 50));
    const results = await Promise.allSettled([
      ...racers.map((b, i) => new Promise((r) => setTimeout(r, i * 3)).then(() => settleLate(b, it1.id, tokens[i]!))),
      flash().attempts.reconcile(),
      flash().attempts.reconcile(),
    ]);
    const settled = results.slice(0, 20).filter((r) => r.status === 'fulfilled').length;
    const refused = results
      .slice(0, 20)
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as { code: string }).code);
    expect(new Set(refused)).toEqual(new Set(refused.length ? ['FLASH_ATTEMPT_EXPIRED'] : []));
    await flash().attempts.reconcile();
    const outcomes = await db().selectFrom('flash_attempts').select('outcome').where('item_id', '=', it1.id).execute();
    expect(outcomes).toHaveLength(20);
    expect(outcomes.filter((o) => o.outcome === 'settled')).toHaveLength(settled);
    expect(await sold(it1.id)).toBe(settled);
    expect(await remaining(it1)).toBe(20 - settled);
    expect(await check()).toEqual([]);
  });

  it('refuses a token a second time, after a win or a refusal', async () => {
    const it1 = await item(5, 3);
    const b = take();
    const token = await tokenFor(b, it1.id);
    const undo = await flash().take(b.userId, it1.id, 1, token);
    await expect(flash().take(b.userId, it1.id, 1, token)).rejects.toMatchObject({ code: 'FLASH_TOKEN_USED' });
    await undo();
    await expect(flash().take(b.userId, it1.id, 1, token)).rejects.toMatchObject({ code: 'FLASH_TOKEN_USED' });
    expect((await buy(b, it1.id, 'fresh-token')).status).toBe(201);
  });

  it('rebuilds lost counters from the database: orders counted, older tokens and attempts refused', async () => {
    const it1 = await item(5);
    const [winner, pending, late] = [take(), take(), take()];
    expect((await buy(winner, it1.id, 'before-loss')).status).toBe(201);
    const pendingToken = await tokenFor(pending, it1.id);
    await flash().take(pending.userId, it1.id, 1, pendingToken);
    const lateToken = await tokenFor(late, it1.id);
    // The cache forgets the item (a Redis restart without persistence).
    await node.app.ctx.cache.del(...Object.values(it1.keys));
    await expect(flash().take(late.userId, it1.id, 1, lateToken)).rejects.toMatchObject({ code: 'FLASH_TOKEN_STALE' });
    expect(await remaining(it1)).toBe(4);
    // The attempt taken from the lost counters cannot settle against the rebuilt ones.
    await expect(settleLate(pending, it1.id, pendingToken)).rejects.toMatchObject({ code: 'FLASH_ATTEMPT_EXPIRED' });
    expect((await buy(winner, it1.id, 'after-loss-winner')).body.error.code).toBe('FLASH_LIMIT_REACHED');
    expect((await buy(pending, it1.id, 'after-loss-pending')).status).toBe(201);
    expect(await remaining(it1)).toBe(3);
    expect(await check()).toEqual([]);
  });

  it("reloads counters the reconciler finds missing or older than the database's", async () => {
    const it1 = await item(4);
    expect((await buy(take(), it1.id, 'reload-1')).status).toBe(201);
    const cache = node.app.ctx.cache;
    await cache.del(...Object.values(it1.keys));
    await until(async () => (await cache.get(it1.keys.stock)) === '3', 10_000);
    // A restored old copy: the generation behind the database's.
    const gen = Number(await cache.get(it1.keys.gen));
    await cache.set(it1.keys.gen, String(gen - 1));
    await cache.set(it1.keys.stock, '4');
    await until(async () => Number(await cache.get(it1.keys.gen)) > gen, 10_000);
    expect(await cache.get(it1.keys.stock)).toBe('3');
    expect(await check()).toEqual([]);
  });

  it("gives a cancelled order's unit back once, even told twice", async () => {
    const it1 = await item(2);
    const b = take();
    const placed = await buy(b, it1.id, 'cancel-me');
    const orderId = placed.body.orders[0].orderId as number;
    expect((await node.api('POST', `/api/orders/${orderId}/cancel`, { token: b.token })).status).toBeLessThan(300);
    await until(async () => (await remaining(it1)) === 2);
    await flash().attempts.returnOrder(orderId);
    expect(await remaining(it1)).toBe(2);
    expect(await sold(it1.id)).toBe(0);
    expect(await check()).toEqual([]);
  });

  it('reports an item whose cache and database disagree, with its counts', async () => {
    const it1 = await item(6);
    const placed = await buy(take(), it1.id, 'books-order-1');
    expect(placed.body).toMatchObject({ orders: [expect.anything()] });
    expect(node.app.ctx.reconcile.checks.map((c) => c.name)).toContain('marketing.flash_units');
    await node.app.ctx.cache.incrBy(it1.keys.stock, 2);
    const found = await check();
    expect(found).toEqual([
      expect.objectContaining({
        check: 'marketing.flash_units',
        merchantId: shop.merchantId,
        subject: `flash_item:${it1.id}`,
        expected: 6,
        actual: 8,
        rows: [expect.objectContaining({ itemId: it1.id, stock: 6, sold: 1, remaining: 7, liveUnits: 0 })],
      }),
    ]);
    await node.app.ctx.cache.incrBy(it1.keys.stock, -2);
    await db().updateTable('flash_items').set({ sold: 2 }).where('id', '=', it1.id).execute();
    expect((await check()).map((d) => [d.subject, d.expected, d.actual])).toEqual([[`flash_item:${it1.id}`, 1, 2]]);
    await db().updateTable('flash_items').set({ sold: 1 }).where('id', '=', it1.id).execute();
    expect(await check()).toEqual([]);
  });
});
