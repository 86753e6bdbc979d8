// The demo seed: both demo shops get settings and two levels, the first demo shopper is a promoter,
// and seeding again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { seedDistribution } from './seed.ts';

describe.each(APP_BACKENDS)('distribution demo seed on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });

  it('seeds the demo shops once, and again changes nothing', async () => {
    const ctx = node.app.ctx;
    const quiet = { step: () => undefined };
    await node.app.modules.find((m) => m.name === 'identity')!.seed!(ctx, quiet);
    const count = async () =>
      Promise.all(
        (['distribution_settings', 'distribution_levels', 'distribution_promoters'] as const).map(async (t) =>
          Number(
            (
              await ctx.db
                .selectFrom(t)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      );
    await seedDistribution(ctx, quiet);
    const once = await count();
    expect(once).toEqual([2, 4, 1]);
    await seedDistribution(ctx, quiet);
    expect(await count()).toEqual(once);
  });
});
