// Demo growth: the fruit shop rewards invitations with points (200 to the inviter, 100 to the new
// shopper on their first paid order), so the invite flow can be tried on a fresh install.
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { demoMerchantIds } from '../identity/seed.ts';
import './tables.ts';

export async function seedGrowth(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { fruit } = await demoMerchantIds(ctx);
  await ctx.db
    .insertInto('growth_invite_settings')
    .values({ merchant_id: fruit, enabled: true, inviter_points: 200, invitee_points: 100 })
    .onConflict((oc) => oc.column('merchant_id').doNothing())
    .execute();
  progress.step('growth: invitation reward', 1, 1);
}
