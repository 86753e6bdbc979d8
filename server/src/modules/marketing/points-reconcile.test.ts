// marketing.points: balances equal their ledger after real changes; a corrupted balance or ledger row is named.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('points books reconciliation on $name', (backend) => {
  let node: TestNode;
  let userId: number;
  const run = () =>
    node.app.ctx.reconcile.checks
      .find((k) => k.name === 'marketing.points')!
      .run({
        db: node.app.ctx.db,
        cache: node.app.ctx.cache,
        from: new Date(0),
        to: new Date(Date.now() + 86_400_000),
      });
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    userId = (await node.userToken('13966640001')).userId;
    const points = node.app.ctx.services.points;
    await node.app.ctx.db.transaction().execute(async (trx) => {
      await points.adjust(trx, userId, 500, 'grant-1');
      await points.spend(trx, userId, 120, 'order:1');
      await points.adjust(trx, userId, 30, 'grant-2');
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('finds every balance equal to its ledger', async () => {
    expect(await run()).toEqual([]);
  });

  it('names an account whose balance was changed without a ledger row', async () => {
    await sql`update points_accounts set balance = balance + 7 where user_id = ${userId}`.execute(node.app.ctx.db);
    try {
      expect(await run()).toEqual([
        expect.objectContaining({ check: 'marketing.points', subject: `user:${userId}`, expected: 410, actual: 417 }),
      ]);
    } finally {
      await sql`update points_accounts set balance = balance - 7 where user_id = ${userId}`.execute(node.app.ctx.db);
    }
  });

  it('names an account whose ledger row was altered', async () => {
    await sql`update points_ledger set delta = delta - 1 where user_id = ${userId} and ref = 'grant-2'`.execute(
      node.app.ctx.db,
    );
    try {
      expect(await run()).toEqual([
        expect.objectContaining({
          subject: `user:${userId}`,
          message: 'balance differs from Σ points ledger',
          expected: 409,
          actual: 410,
        }),
      ]);
    } finally {
      await sql`update points_ledger set delta = delta + 1 where user_id = ${userId} and ref = 'grant-2'`.execute(
        node.app.ctx.db,
      );
    }
  });
});
