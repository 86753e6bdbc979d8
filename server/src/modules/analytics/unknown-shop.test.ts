// A platform admin passes the route guard for any shop id (support access), so a service that
// writes under the id must find the shop first: a shop that does not exist is a 404, never a 500.
// (The schema fuzz found alert rules and experiments failing on the foreign key instead.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('analytics writes for a shop that does not exist on $name', (backend) => {
  let node: TestNode;
  let admin: string;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    admin = (await node.userToken('13700000000', { admin: true })).token;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('answers a platform admin 404 for an alert rule on an unknown shop', async () => {
    const r = await node.api('POST', '/api/merchants/987654/alert-rules', {
      token: admin,
      body: { name: '掉线告警', metric: 'online_below', threshold: 1 },
    });
    expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers a platform admin 404 for an experiment on an unknown shop', async () => {
    const r = await node.api('POST', '/api/merchants/987654/experiments', {
      token: admin,
      body: {
        key: 'cover',
        name: '封面',
        goal: 'order',
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
      },
    });
    expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });
});
