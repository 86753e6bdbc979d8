// Promoters and the routes around them: applying, inviting, the shop's decisions, the promoter
// centre (link, customers, orders, ledger), the shop's lists and ranking, and tenancy throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { complete, distributionShop, paidOrder, promoter, settings, touch } from './test-support.ts';

describe.each(APP_BACKENDS)('distribution promoters on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let a: { skuId: number; productId: number };
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    ({ shop, a } = await distributionShop(node, '推广店', '13740000000'));
    other = await makeShop(node, '隔壁店', '13740009000');
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });
  const base = () => `/api/merchants/${shop.merchantId}/distribution`;
  const mine = () => `/api/me/distribution/merchants/${shop.merchantId}`;

  it('takes an application, refuses a second one, and lets the shop reject, approve and suspend', async () => {
    const s = await node.userToken('13740000001');
    const applied = await node.api('POST', `${mine()}/apply`, { token: s.token, body: { note: '我有社群' } });
    expect(applied.body).toMatchObject({ status: 'pending', source: 'applied', parentPromoterId: null });
    const again = await node.api('POST', `${mine()}/apply`, { token: s.token, body: {} });
    expect([again.status, again.body.error.code]).toEqual([409, 'PROMOTER_EXISTS']);
    const decide = (action: string) =>
      node.api('POST', `${base()}/promoters/${applied.body.id}/decision`, {
        token: shop.owner.token,
        body: { action },
      });
    expect((await decide('reject')).body.status).toBe('rejected');
    expect((await decide('suspend')).body.error.code).toBe('PROMOTER_STATE');
    // A rejected shopper may apply again.
    expect((await node.api('POST', `${mine()}/apply`, { token: s.token, body: {} })).body.status).toBe('pending');
    expect((await decide('approve')).body.status).toBe('approved');
    const pending = await node.api('GET', `${base()}/promoters?status=approved`, { token: shop.owner.token });
    expect(pending.body.items.map((p: { userId: number }) => p.userId)).toContain(s.userId);
    const list = await node.api('GET', '/api/me/distribution', { token: s.token });
    expect(list.body).toEqual([expect.objectContaining({ merchantId: shop.merchantId, merchantName: '推广店' })]);
  });

  it('approves applications at once when the shop auto-approves', async () => {
    await settings(node, shop, { autoApprove: true });
    const s = await node.userToken('13740000002');
    expect((await node.api('POST', `${mine()}/apply`, { token: s.token, body: {} })).body.status).toBe('approved');
    await settings(node, shop, { autoApprove: false });
  });

  it("invites only the shop's customers, who become promoters when they accept", async () => {
    const c = await node.userToken('13740000003');
    const invite = (userId: number) =>
      node.api('POST', `${base()}/promoters/invite`, { token: shop.owner.token, body: { userId } });
    expect((await invite(c.userId)).body.error.code).toBe('CUSTOMER_NOT_FOUND');
    await paidOrder(node, c, [{ skuId: a.skuId, quantity: 1 }]);
    expect((await invite(c.userId)).body).toMatchObject({ status: 'invited', source: 'invited' });
    const accepted = await node.api('POST', `${mine()}/accept`, { token: c.token });
    expect(accepted.body.status).toBe('approved');
    expect((await node.api('POST', `${mine()}/accept`, { token: c.token })).body.error.code).toBe(
      'PROMOTER_INVITE_NOT_FOUND',
    );
  });

  it("shows the promoter centre: link, customers, commissioned orders, earnings, ledger, and the shop's ranking", async () => {
    const p = await promoter(node, shop, '13740000004');
    const c = await node.userToken('13740000005');
    await touch(node, shop.merchantId, p.userId, c.userId);
    const o = await paidOrder(node, c, [{ skuId: a.skuId, quantity: 2 }]);
    await complete(node, o.orderId);
    const overview = await node.api('GET', mine(), { token: p.token });
    expect(overview.body).toMatchObject({
      promoter: { id: p.promoterId, status: 'approved' },
      link: {
        targetKind: 'promoter',
        targetId: p.userId,
        recruitPath: `/distribution/${shop.merchantId}/join?recruiter=${p.userId}`,
      },
      customers: 1,
      earnings: { pendingFen: 0, settledFen: 2000, reversedFen: 0, balanceFen: 2000, orders: 1 },
    });
    const customers = await node.api('GET', `${mine()}/customers`, { token: p.token });
    expect(customers.body.items).toEqual([expect.objectContaining({ userId: c.userId, active: true })]);
    const orders = await node.api('GET', `${mine()}/commissions?status=settled`, { token: p.token });
    expect(orders.body.items.map((i: { orderId: number }) => i.orderId)).toEqual([o.orderId]);
    const ledger = await node.api('GET', `${mine()}/ledger`, { token: p.token });
    expect(ledger.body).toEqual([expect.objectContaining({ deltaFen: 2000, reason: 'commission_settled' })]);
    const ranking = await node.api('GET', `${base()}/ranking?days=7`, { token: shop.owner.token });
    expect(ranking.body[0]).toMatchObject({ rank: 1, promoterId: p.promoterId, earnedFen: 2000, salesFen: 20_000 });
    const shopList = await node.api('GET', `${base()}/commissions?promoterId=${p.promoterId}`, {
      token: shop.owner.token,
    });
    expect(shopList.body.total).toBe(1);
  });

  it("keeps other shops and shoppers out: settings, promoters, levels, rules, commissions, another's centre", async () => {
    const outsider = other.owner.token;
    expect((await node.api('GET', `${base()}/settings`, { token: outsider })).status).toBe(403);
    expect((await node.api('PUT', `${base()}/settings`, { token: outsider, body: { enabled: false } })).status).toBe(
      403,
    );
    const p = await promoter(node, shop, '13740000006');
    const theirs = `/api/merchants/${other.merchantId}/distribution`;
    const decision = await node.api('POST', `${theirs}/promoters/${p.promoterId}/decision`, {
      token: outsider,
      body: { action: 'suspend' },
    });
    expect([decision.status, decision.body.error.code]).toEqual([404, 'PROMOTER_NOT_FOUND']);
    const filter = await node.api('GET', `${theirs}/commissions?promoterId=${p.promoterId}`, { token: outsider });
    expect([filter.status, filter.body.error.code]).toEqual([404, 'PROMOTER_NOT_FOUND']);
    const level = await node.api('POST', `${base()}/levels`, {
      token: shop.owner.token,
      body: { name: '普通', rates: [800, 200] },
    });
    const move = await node.api('PATCH', `${theirs}/levels/${level.body.id}`, { token: outsider, body: { name: 'x' } });
    expect(move.body.error.code).toBe('DISTRIBUTION_LEVEL_NOT_FOUND');
    const foreignLevel = await node.api('PATCH', `${base()}/promoters/${p.promoterId}`, {
      token: shop.owner.token,
      body: { levelId: 99_999_999 },
    });
    expect(foreignLevel.body.error.code).toBe('DISTRIBUTION_LEVEL_NOT_FOUND');
    const theirProduct = await simpleProduct(node, other, '别家货', 100, 1);
    const rule = await node.api('PUT', `${base()}/rules/${theirProduct.productId}`, {
      token: shop.owner.token,
      body: { rates: [100, 0] },
    });
    expect([rule.status, rule.body.error.code]).toEqual([400, 'PRODUCT_NOT_IN_SHOP']);
    const stranger = await node.userToken('13740000007');
    expect((await node.api('GET', mine(), { token: stranger.token })).body.error.code).toBe('PROMOTER_NOT_FOUND');
    const staffOnly = await node.api('GET', `${base()}/promoters`, { token: stranger.token });
    expect(staffOnly.status).toBe(403);
  });

  it('refuses rates above 100 % and duplicate level names, and keeps a level in use', async () => {
    const token = shop.owner.token;
    const high = await node.api('PUT', `${base()}/settings`, { token, body: { rates: [8000, 3000] } });
    expect(high.body.error.code).toBe('DISTRIBUTION_RATE_TOO_HIGH');
    const lv = await node.api('POST', `${base()}/levels`, { token, body: { name: '金牌', rates: [1500, 400] } });
    const dup = await node.api('POST', `${base()}/levels`, { token, body: { name: '金牌', rates: [1, 1] } });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'DISTRIBUTION_LEVEL_EXISTS']);
    const p = await promoter(node, shop, '13740000008');
    await node.api('PATCH', `${base()}/promoters/${p.promoterId}`, { token, body: { levelId: lv.body.id } });
    const del = await node.api('DELETE', `${base()}/levels/${lv.body.id}`, { token });
    expect(del.body.error.code).toBe('DISTRIBUTION_LEVEL_IN_USE');
    const saved = await node.api('PUT', `${base()}/settings`, { token, body: { rates: [1200], levels: 1 } });
    expect(saved.body).toMatchObject({ level1Bp: 1200, level2Bp: 0, levels: 1 });
    await node.api('PUT', `${base()}/settings`, { token, body: { rates: [1000, 300], levels: 2 } });
  });

  it('answers an empty change of a level or a promoter with it unchanged (the tenancy sweep found a 500)', async () => {
    const token = shop.owner.token;
    const lv = await node.api('POST', `${base()}/levels`, { token, body: { name: '空改', rates: [100, 50] } });
    const same = await node.api('PATCH', `${base()}/levels/${lv.body.id}`, { token, body: {} });
    expect([same.status, same.body.rates]).toEqual([200, [100, 50]]);
    const p = await promoter(node, shop, '13740000009');
    const unchanged = await node.api('PATCH', `${base()}/promoters/${p.promoterId}`, { token, body: {} });
    expect([unchanged.status, unchanged.body.id]).toEqual([200, p.promoterId]);
  });
});
