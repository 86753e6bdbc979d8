// One default warehouse per shop, however many requests make one at once: a new default
// replaces the old one.
// (The fuzz found the race: two "isDefault" warehouses at once answered 500 on PostgreSQL.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeMerchant, startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('default warehouse on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
  });
  afterAll(async () => {
    await node?.close();
  });

  const defaults = (merchantId: number) =>
    node.app.ctx.db
      .selectFrom('warehouses')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('is_default', '=', true)
      .execute();

  it('takes 20 new default warehouses at once, and keeps exactly one default', async () => {
    const { merchantId, owner } = await makeMerchant(node, '仓库并发店', '13844460001');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        node.api('POST', `/api/merchants/${merchantId}/warehouses`, {
          token: owner.token,
          body: { name: `仓${i}`, isDefault: true },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    expect(await defaults(merchantId)).toHaveLength(1);
  });
});
