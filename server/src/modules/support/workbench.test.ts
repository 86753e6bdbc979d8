// The workbench's quick actions through the owners' services: a compensation coupon from one of the
// shop's templates (another shop's template is not found), the customer's context showing it, and
// a refund action refused for an after-sales request that is not this shopper's at this shop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { online, openWithHuman, type SupportShop, supportShop } from './test-support.ts';

describe.each(APP_BACKENDS)('customer-service quick actions on $name', (backend) => {
  let node: TestNode;
  let shop: SupportShop;
  let other: SupportShop;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await supportShop(node, '补偿店', 30001000, 1);
    other = await supportShop(node, '别家店', 30002000, 0);
    await online(shop, 1, 10);
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });

  const template = async (s: SupportShop, title: string) =>
    (
      await node.api('POST', `/api/merchants/${s.merchantId}/coupons`, {
        token: s.owner.token,
        body: {
          title,
          kind: 'fixed',
          amountFen: 500,
          validDays: 7,
          totalQuantity: 100,
          perUserLimit: 1,
          channels: ['staff_issue'],
        },
      })
    ).body.id as number;

  it('issues a compensation coupon to the shopper once, however often it is clicked, and shows it in the context', async () => {
    const shopper = await node.userToken('13930001101');
    await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: shopper.token });
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const i = shop.agents.findIndex((a) => a.userId === c.agentUserId);
    const templateId = await template(shop, '先行赔付券');
    const give = () => shop.as(i, 'POST', `/conversations/${c.id}/actions/coupon`, { templateId });
    expect((await give()).body).toEqual({ issued: true, skippedCode: null });
    await give(); // a second click issues nothing new
    const context = await shop.as(i, 'GET', `/conversations/${c.id}/context`);
    expect(context.body.coupons.filter((x: any) => x.title === '先行赔付券')).toHaveLength(1);
    const foreign = await template(other, '别家券');
    const refused = await shop.as(i, 'POST', `/conversations/${c.id}/actions/coupon`, { templateId: foreign });
    expect(refused.status).toBe(404);
  });

  it("refuses the refund action for an after-sales request that is not this shopper's here", async () => {
    const shopper = await node.userToken('13930001102');
    const c = await openWithHuman(node, shopper, shop.merchantId);
    const i = Math.max(
      0,
      shop.agents.findIndex((a) => a.userId === c.agentUserId),
    );
    const r = await shop.as(i, 'POST', `/conversations/${c.id}/actions/refund`, { aftersaleId: 424242 });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('AFTERSALE_NOT_FOUND');
  });
});
