// Binding: a customer who arrives through a promoter's share is bound for the shop's period; first
// binding wins or the last, as the shop chooses; an expired binding earns nothing; only approved
// promoters bind, and a promoter is never bound to another.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import type { ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { transact } from '../../platform/db/transact.ts';
import { commissionsOf, distributionShop, paidOrder, promoter, settings, touch } from './test-support.ts';

const DAY = 86_400_000;

describe.each(APP_BACKENDS)('distribution binding on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let a: { skuId: number; productId: number };
  let first: Awaited<ReturnType<typeof promoter>>;
  let second: Awaited<ReturnType<typeof promoter>>;
  let phones = 0;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    ({ shop, a } = await distributionShop(node, '绑定店', '13730000000'));
    first = await promoter(node, shop, '13730000001');
    second = await promoter(node, shop, '13730000002');
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });
  const shopper = () => node.userToken(`1373001${String(++phones).padStart(4, '0')}`);
  const earnerOf = async (buyer: { token: string; userId: number }) => {
    const o = await paidOrder(node, buyer, [{ skuId: a.skuId, quantity: 1 }]);
    return (await commissionsOf(node, shop.merchantId, o.orderId))[0]?.promoter_id ?? null;
  };

  it('binds a customer who arrives through a share event from growth (share.touched)', async () => {
    const c = await shopper();
    const ctx = node.app.ctx;
    await transact(ctx.db, (trx) =>
      ctx.events.emit(trx, {
        type: 'share.touched',
        aggregateType: 'share',
        aggregateId: 1,
        payload: {
          merchantId: shop.merchantId,
          shareId: 1,
          sharerUserId: first.userId,
          visitorUserId: c.userId,
          touch: 'visit',
          targetKind: 'product',
          targetId: a.productId,
          occurredAt: new Date().toISOString(),
        },
      }),
    );
    await until(async () => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from distribution_bindings
        where customer_user_id = ${c.userId}`.execute(ctx.db);
      return Number(rows[0]!.n) === 1;
    });
    expect(await earnerOf(c)).toBe(first.promoterId);
  });

  it('keeps the first binding when the shop says first wins', async () => {
    const c = await shopper();
    expect(await touch(node, shop.merchantId, first.userId, c.userId)).toBe('bound');
    expect(await touch(node, shop.merchantId, second.userId, c.userId)).toBe('kept');
    expect(await earnerOf(c)).toBe(first.promoterId);
  });

  it('moves the customer to the latest promoter when the shop says last wins', async () => {
    await settings(node, shop, { bindingMode: 'last' });
    const c = await shopper();
    expect(await touch(node, shop.merchantId, first.userId, c.userId)).toBe('bound');
    expect(await touch(node, shop.merchantId, second.userId, c.userId)).toBe('bound');
    // A touch older than the binding (an anonymous visit linked late) does not take over.
    const old = new Date(Date.now() - DAY);
    expect(await touch(node, shop.merchantId, first.userId, c.userId, old)).toBe('kept');
    expect(await earnerOf(c)).toBe(second.promoterId);
    await settings(node, shop, { bindingMode: 'first' });
  });

  it('earns nothing once the binding period has run out, and a new touch binds afresh', async () => {
    await settings(node, shop, { bindingDays: 7 });
    const c = await shopper();
    await touch(node, shop.merchantId, first.userId, c.userId, new Date(Date.now() - 8 * DAY));
    expect(await earnerOf(c)).toBeNull();
    // Expired: even under first-wins another promoter's touch binds.
    expect(await touch(node, shop.merchantId, second.userId, c.userId)).toBe('bound');
    expect(await earnerOf(c)).toBe(second.promoterId);
    await settings(node, shop, { bindingDays: 30 });
  });

  it('refreshes the period when the same promoter brings the customer back', async () => {
    await settings(node, shop, { bindingDays: 7 });
    const c = await shopper();
    await touch(node, shop.merchantId, first.userId, c.userId, new Date(Date.now() - 6 * DAY));
    expect(await touch(node, shop.merchantId, first.userId, c.userId)).toBe('refreshed');
    const row = await node.app.ctx.db
      .selectFrom('distribution_bindings')
      .select('expires_at')
      .where('customer_user_id', '=', c.userId)
      .executeTakeFirstOrThrow();
    expect(new Date(row.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * DAY);
    await settings(node, shop, { bindingDays: 30 });
  });

  it('ignores shares of shoppers who are not approved promoters, anonymous sharers, and promoters as visitors', async () => {
    const c = await shopper();
    const plain = await shopper();
    expect(await touch(node, shop.merchantId, plain.userId, c.userId)).toBe('ignored');
    const ctx = node.app.ctx;
    const anonymous = await transact(ctx.db, (trx) =>
      ctx.services.distributionBindings.onShareTouched(trx, {
        merchantId: shop.merchantId,
        shareId: 99,
        sharerUserId: null,
        visitorUserId: c.userId,
        touch: 'signup',
        targetKind: 'room',
        targetId: 1,
        occurredAt: new Date().toISOString(),
      }),
    );
    expect(anonymous).toBe('ignored');
    expect(await touch(node, shop.merchantId, first.userId, second.userId)).toBe('ignored');
    const pending = await node.userToken('13730009999');
    await node.api('POST', `/api/me/distribution/merchants/${shop.merchantId}/apply`, {
      token: pending.token,
      body: {},
    });
    expect(await touch(node, shop.merchantId, pending.userId, c.userId)).toBe('ignored');
    expect(await earnerOf(c)).toBeNull();
  });

  it('stops booking commissions for a suspended promoter', async () => {
    const c = await shopper();
    await touch(node, shop.merchantId, second.userId, c.userId);
    const decide = (action: string) =>
      node.api('POST', `/api/merchants/${shop.merchantId}/distribution/promoters/${second.promoterId}/decision`, {
        token: shop.owner.token,
        body: { action },
      });
    expect((await decide('suspend')).body.status).toBe('suspended');
    expect(await earnerOf(c)).toBeNull();
    expect((await decide('reinstate')).body.status).toBe('approved');
    expect(await earnerOf(c)).toBe(second.promoterId);
  });
});
