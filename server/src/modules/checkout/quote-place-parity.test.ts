// Quote → place parity through the real API on both backends: random baskets × coupons (auto,
// none, a pick) × points × deals (flash, group-buy open and join, bargain) × room × address.
// Whatever the quote says is what placing with its token does: the order is made, the payment
// is the quoted total, the coupons and points it showed are the ones used. A request the quote
// refuses is refused by placement with the same code. The seed is printed so a failure replays.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { checkoutBuyer, checkoutWorld, type CheckoutWorld } from '../../../test/checkout-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`quote→place parity seed ${seed} (FC_SEED=${seed} to replay)`);

type Deal = 'none' | 'flash' | 'groupOpen' | 'groupJoin' | 'bargain';
const arbCase = fc.record({
  deal: fc.constantFrom<Deal>('none', 'none', 'flash', 'groupOpen', 'groupJoin', 'bargain'),
  lines: fc.uniqueArray(
    fc.record({ index: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 3 }) }),
    { minLength: 1, maxLength: 3, selector: (l) => l.index },
  ),
  flashQuantity: fc.integer({ min: 1, max: 2 }),
  withPlainLine: fc.boolean(),
  templates: fc.subarray([
    'aThreshold',
    'aPercent',
    'aFreeShipping',
    'bFixed',
    'pThreshold',
    'pPercent',
    'pFreeShipping',
  ] as const),
  coupons: fc.oneof(fc.constant<'auto'>('auto'), fc.constant<'none'>('none'), fc.array(fc.nat(6), { maxLength: 3 })),
  points: fc.constantFrom(0, 0, 800, 5_000, 40_000),
  usePoints: fc.constantFrom<'off' | 'all' | 'some' | 'tooMany'>(
    'off',
    'off',
    'all',
    'all',
    'all',
    'some',
    'some',
    'tooMany',
  ),
  province: fc.constantFrom('广东省', '广东省', '广东省', '新疆维吾尔自治区', '新疆维吾尔自治区', '西藏自治区'),
  inRoom: fc.boolean(),
  bargainHelps: fc.integer({ min: 0, max: 3 }),
});

describe.each(APP_BACKENDS)('quote → place parity on $name', (backend) => {
  let node: TestNode;
  let world: CheckoutWorld;
  let roomId: number;
  let openGroupId: number;
  let phones = 0;
  const nextPhone = () => `1397${String(++phones).padStart(7, '0')}`;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    world = await checkoutWorld(node, '139600000');
    roomId = (
      await node.api('POST', `/api/merchants/${world.shopA.merchantId}/rooms`, {
        token: world.shopA.owner.token,
        body: { title: '结算直播间' },
      })
    ).body.id;
    const leader = await checkoutBuyer(node, nextPhone());
    const opened = await node.api('POST', '/api/orders', {
      token: leader.token,
      body: {
        idempotencyKey: 'parity-leader',
        items: [{ skuId: world.groupBuy.skuId, quantity: 1 }],
        addressId: leader.addressId,
        groupBuy: { dealId: world.groupBuy.dealId },
      },
    });
    expect(opened.status).toBe(201);
    openGroupId = (
      await node.app.ctx.db
        .selectFrom('group_buy_members')
        .select('group_id')
        .where('order_id', '=', opened.body.orders[0].orderId)
        .executeTakeFirstOrThrow()
    ).group_id;
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  it('places with the quote token exactly what the quote showed, for every combination', async () => {
    let placedCount = 0;
    const tally = new Map<string, number>();
    const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        const templates = c.templates.map((k) => world.coupons[k]);
        const buyer = await checkoutBuyer(node, nextPhone(), { templates, points: c.points, province: c.province });
        const held = templates.map((t) => buyer.couponOf(t));
        const plain = c.lines.map((l) => ({ skuId: world.plain[l.index]!.skuId, quantity: l.quantity }));
        const body: Record<string, unknown> = { addressId: buyer.addressId };
        if (c.deal === 'none') body.items = plain;
        if (c.deal === 'flash') {
          const tok = await node.api('POST', `/api/flash-sales/items/${world.flash.itemId}/token`, {
            token: buyer.token,
            body: {},
          });
          expect(tok.status).toBe(200);
          Object.assign(body, {
            items: [
              { skuId: world.flash.skuId, quantity: c.flashQuantity },
              ...(c.withPlainLine ? plain.slice(0, 1) : []),
            ],
            flashSaleItemId: world.flash.itemId,
            flashToken: tok.body.token,
          });
        }
        if (c.deal === 'groupOpen' || c.deal === 'groupJoin') {
          Object.assign(body, {
            items: [{ skuId: world.groupBuy.skuId, quantity: 1 }],
            groupBuy: { dealId: world.groupBuy.dealId, ...(c.deal === 'groupJoin' ? { groupId: openGroupId } : {}) },
          });
        }
        if (c.deal === 'bargain') {
          const b = (
            await node.api('POST', `/api/bargains/campaigns/${world.bargain.campaignId}/start`, { token: buyer.token })
          ).body;
          for (let i = 0; i < c.bargainHelps; i++) {
            const friend = await node.userToken(nextPhone());
            expect((await node.api('POST', `/api/bargains/${b.id}/help`, { token: friend.token })).status).toBe(200);
          }
          Object.assign(body, { items: [{ skuId: world.bargain.skuId, quantity: 1 }], bargainId: b.id });
        }
        if (c.coupons === 'none') body.couponIds = [];
        else if (c.coupons !== 'auto')
          body.couponIds = [...new Set(c.coupons.filter((i) => i < held.length).map((i) => held[i]!))];
        if (c.usePoints === 'all') body.usePoints = true;
        if (c.usePoints === 'some') body.usePoints = Math.floor(c.points / 3);
        if (c.usePoints === 'tooMany') body.usePoints = c.points + 1;
        if (c.inRoom) body.roomId = roomId;

        const quote = await node.api('POST', '/api/checkout/quote', { token: buyer.token, body });
        const place = (extra: Record<string, unknown>) =>
          node.api('POST', '/api/orders', {
            token: buyer.token,
            body: { ...body, idempotencyKey: `parity-${phones}-${Object.keys(extra).length}`, ...extra },
          });
        if (quote.status !== 200) {
          // A refusal is the same refusal at placement, and a 4xx with a code, never a 500.
          expect(quote.status).toBeGreaterThanOrEqual(400);
          expect(quote.status).toBeLessThan(500);
          const placed = await place({});
          expect([placed.status, placed.body.error?.code]).toEqual([quote.status, quote.body.error.code]);
          count(`refused ${quote.body.error.code}`);
          return;
        }
        const q = quote.body;
        const placed = await place({ quoteToken: q.quoteToken });
        if (q.undeliverable.length) {
          expect([placed.status, placed.body.error?.code]).toEqual([422, 'NOT_DELIVERABLE']);
          count('refused NOT_DELIVERABLE');
          return;
        }
        expect(placed.status, JSON.stringify(placed.body)).toBe(201);
        placedCount++;
        count(`placed ${c.deal}${q.appliedCouponIds.length ? ' +coupons' : ''}${q.points.used ? ' +points' : ''}`);
        expect(placed.body.orders.reduce((s: number, o: { totalFen: number }) => s + o.totalFen, 0)).toBe(q.totalFen);
        expect(placed.body.payment?.amountFen ?? 0).toBe(q.totalFen);
        const used = (await node.api('GET', '/api/me/coupons?status=used', { token: buyer.token })).body
          .map((x: { id: number }) => x.id)
          .sort((a: number, b: number) => a - b);
        expect(used).toEqual(q.appliedCouponIds);
        const balance = (await node.api('GET', '/api/me/points', { token: buyer.token })).body.balance;
        expect(balance).toBe(c.points - q.points.used);
        // Line by line, the order says what the quote said.
        const quoted = q.groups
          .flatMap((g: { lines: Array<{ skuId: number; payableFen: number }> }) => g.lines)
          .map((l: { skuId: number; payableFen: number }) => [l.skuId, l.payableFen])
          .sort();
        const lines = [];
        for (const o of placed.body.orders)
          lines.push(
            ...(await node.api('GET', `/api/orders/${o.orderId}`, { token: buyer.token })).body.lines.map(
              (l: { skuId: number; payableFen: number }) => [l.skuId, l.payableFen],
            ),
          );
        expect(lines.sort()).toEqual(quoted);
      }),
      { numRuns: Number(process.env.PARITY_RUNS ?? 40), seed, endOnFailure: true },
    );
    console.info('parity outcomes', Object.fromEntries([...tally].sort()));
    expect(placedCount).toBeGreaterThan(5); // the property is not vacuous
  }, 600_000);
});
