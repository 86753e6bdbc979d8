// A fresh install shows deals working: the demo data has a 秒杀, a 拼团 and a 砍价 running from seed time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { seedDemo } from '../../seed/seed.ts';
import { DEMO_DEALS } from './seed-deals.ts';

describe('demo deals', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
    await seedDemo(node.app, { write: () => true });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  it('lists one live flash sale, group buy and bargain to shoppers', async () => {
    const titles = (r: { body: unknown }) => JSON.stringify(r.body);
    expect(titles(await node.api('GET', '/api/flash-sales'))).toContain(DEMO_DEALS.flash);
    expect(titles(await node.api('GET', '/api/group-buys'))).toContain(DEMO_DEALS.group);
    expect(titles(await node.api('GET', '/api/bargains/campaigns'))).toContain(DEMO_DEALS.bargain);
  });

  it('does not add them twice when the seed runs again', async () => {
    // Forced: every module's seed runs again (a plain second call skips the seeded data).
    expect(await seedDemo(node.app, { write: () => true })).toBe('already');
    expect(await seedDemo(node.app, { write: () => true }, { force: true })).toBe('seeded');
    const n = await node.app.ctx.db
      .selectFrom('flash_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('title', '=', DEMO_DEALS.flash)
      .executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
  });
});
