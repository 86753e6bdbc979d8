// One default shipping template per shop, however many requests make one at once: a new default
// replaces the old one. (The schema fuzz found the race: two at once answered 500 on PostgreSQL.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeMerchant, startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('default shipping template on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('takes 20 new default templates at once, and keeps exactly one default', async () => {
    const { merchantId, owner } = await makeMerchant(node, '运费并发店', '13844470001');
    const rules = [{ regions: ['*'], firstUnits: 1, firstFeeFen: 500, extraUnits: 1, extraFeeFen: 100 }];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        node.api('POST', `/api/merchants/${merchantId}/shipping-templates`, {
          token: owner.token,
          body: { name: `运费${i}`, chargeBy: 'pieces', rules, isDefault: true },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    const defaults = await node.app.ctx.db
      .selectFrom('shipping_templates')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('is_default', '=', true)
      .execute();
    expect(defaults).toHaveLength(1);
  });
});
