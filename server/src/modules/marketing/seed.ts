// Demo marketing: a claimable shop coupon and a 满减 for each demo shop, a platform new-user gift,
// and one live 秒杀, 拼团 and 砍价 (seed-deals.ts).
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { demoMerchantIds } from '../identity/seed.ts';
import { seedDeals } from './seed-deals.ts';

export async function seedMarketing(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { fruit, fashion } = await demoMerchantIds(ctx);
  const inAYear = new Date(Date.now() + 365 * 86400_000).toISOString();
  const coupons = [
    {
      merchant_id: fruit,
      title: '鲜果满99减15',
      kind: 'threshold' as const,
      amount_fen: 1500,
      threshold_fen: 9900,
      funding: 'merchant' as const,
      scope: { type: 'merchant', merchantId: fruit },
      channels: ['claim_centre', 'room_drop'],
    },
    {
      merchant_id: fashion,
      title: '衣橱9折券（最高减50）',
      kind: 'percent' as const,
      percent_off_bp: 1000,
      cap_fen: 5000,
      funding: 'merchant' as const,
      scope: { type: 'merchant', merchantId: fashion },
      channels: ['claim_centre', 'room_drop'],
    },
    {
      merchant_id: null,
      title: '新人专享 立减5元',
      kind: 'fixed' as const,
      amount_fen: 500,
      funding: 'platform' as const,
      scope: { type: 'all' },
      channels: ['new_user', 'claim_centre'],
    },
  ];
  for (const [i, c] of coupons.entries()) {
    const exists = await ctx.db
      .selectFrom('coupon_templates')
      .select('id')
      .where('title', '=', c.title)
      .executeTakeFirst();
    if (!exists) {
      await ctx.db
        .insertInto('coupon_templates')
        .values({
          ...c,
          scope: JSON.stringify(c.scope),
          channels: JSON.stringify(c.channels),
          valid_days: 30,
          total_quantity: 10_000,
          per_user_limit: 1,
        })
        .execute();
    }
    progress.step('coupons', i + 1, coupons.length);
  }
  const promos = [
    {
      merchant_id: fruit,
      kind: 'full_reduction' as const,
      title: '鲜果满199减30',
      terms: {
        tiers: [
          { thresholdFen: 19900, amountOffFen: 3000 },
          { thresholdFen: 29900, amountOffFen: 5000 },
        ],
      },
    },
    {
      merchant_id: fashion,
      kind: 'full_reduction' as const,
      title: '衣橱满2件9折',
      terms: { tiers: [{ thresholdFen: 20000, percentOffBp: 1000 }] },
    },
  ];
  for (const [i, p] of promos.entries()) {
    const exists = await ctx.db.selectFrom('promotions').select('id').where('title', '=', p.title).executeTakeFirst();
    if (!exists)
      await ctx.db
        .insertInto('promotions')
        .values({ ...p, terms: JSON.stringify(p.terms), starts_at: new Date(), ends_at: inAYear })
        .execute();
    progress.step('promotions', i + 1, promos.length);
  }
  await seedDeals(ctx);
  progress.step('deals', 1, 1);
}
