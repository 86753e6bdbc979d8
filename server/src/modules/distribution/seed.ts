// Demo distribution: both demo shops recruit promoters at two levels (普通 10 % + 3 %, 高级 15 % + 5 %),
// and the first demo shopper is an approved promoter of the fruit shop, so the promoter centre has
// someone in it. Idempotent: every row is inserted only when missing.
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { demoMerchantIds, demoShoppers } from '../identity/seed.ts';
import './tables.ts';

const LEVELS = [
  { name: '普通', level1_bp: 1000, level2_bp: 300, position: 0 },
  { name: '高级', level1_bp: 1500, level2_bp: 500, position: 1 },
];

export async function seedDistribution(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { fruit, fashion } = await demoMerchantIds(ctx);
  const shops = [fruit, fashion];
  for (const [i, merchantId] of shops.entries()) {
    await ctx.db
      .insertInto('distribution_settings')
      .values({ merchant_id: merchantId, binding_days: 15, binding_mode: 'first', auto_approve: false })
      .onConflict((oc) => oc.column('merchant_id').doNothing())
      .execute();
    await ctx.db
      .insertInto('distribution_levels')
      .values(LEVELS.map((l) => ({ ...l, merchant_id: merchantId })))
      .onConflict((oc) => oc.columns(['merchant_id', 'name']).doNothing())
      .execute();
    progress.step('shops', i + 1, shops.length);
  }
  const [first] = await demoShoppers(ctx);
  if (first)
    await ctx.db
      .insertInto('distribution_promoters')
      .values({ merchant_id: fruit, user_id: first.id, status: 'approved', source: 'invited', note: '演示推广员' })
      .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doNothing())
      .execute();
  progress.step('promoters', 1, 1);
}
