// Operators grant (or correct) a shopper's points through the API: once per ref, never below zero,
// operators only, and the shopper then sees them at checkout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('points grants on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  it('applies a grant once per ref, refuses to go below zero, and is for operators only', async () => {
    const admin = await node.userToken('13931000000', { admin: true });
    const shopper = await node.userToken('13931000001');
    const grant = (token: string, userId: number, delta: number, ref: string) =>
      node.api('POST', `/api/platform/users/${userId}/points`, { token, body: { delta, ref } });
    expect((await grant(admin.token, shopper.userId, 500, 'ticket-1')).body).toEqual({ applied: true, balance: 500 });
    expect((await grant(admin.token, shopper.userId, 500, 'ticket-1')).body).toEqual({ applied: false, balance: 500 });
    expect((await grant(admin.token, shopper.userId, -600, 'ticket-2')).body.error.code).toBe('POINTS_INSUFFICIENT');
    expect((await grant(shopper.token, shopper.userId, 500, 'self-service')).status).toBe(403);
    expect((await grant(admin.token, 99_999_999, 500, 'nobody')).status).toBe(404);
    expect((await node.api('GET', '/api/me/points', { token: shopper.token })).body.balance).toBe(500);
  });

  it('applies a grant sent 20 times at once exactly once (the fuzz found a 500 on the ledger key)', async () => {
    const admin = await node.userToken('13931000000', { admin: true });
    const shopper = await node.userToken('13931000002');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        node.api('POST', `/api/platform/users/${shopper.userId}/points`, {
          token: admin.token,
          body: { delta: 300, ref: 'ticket-race' },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(answers.filter((a) => a.body.applied)).toHaveLength(1);
    expect((await node.api('GET', '/api/me/points', { token: shopper.token })).body.balance).toBe(300);
  });
});
