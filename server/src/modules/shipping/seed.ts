// Demo shipping templates for the two shops and an address for each demo shopper. Idempotent.
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { demoMerchantIds, demoShoppers } from '../identity/seed.ts';

export async function seedShipping(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { fruit, fashion } = await demoMerchantIds(ctx);
  const templates = [
    {
      merchantId: fruit,
      name: '生鲜冷链（按重量）',
      chargeBy: 'weight' as const,
      freeOverFen: 9900,
      excludedRegions: ['西藏自治区'],
      rules: [
        { regions: ['*'], firstUnits: 3000, firstFeeFen: 1000, extraUnits: 1000, extraFeeFen: 300 },
        {
          regions: ['新疆维吾尔自治区', '青海省'],
          firstUnits: 1000,
          firstFeeFen: 2500,
          extraUnits: 1000,
          extraFeeFen: 1000,
        },
      ],
    },
    {
      merchantId: fashion,
      name: '服饰包邮（按件）',
      chargeBy: 'pieces' as const,
      freeOverFen: 8800,
      excludedRegions: [],
      rules: [{ regions: ['*'], firstUnits: 1, firstFeeFen: 600, extraUnits: 1, extraFeeFen: 200 }],
    },
  ];
  for (const [i, t] of templates.entries()) {
    const exists = await ctx.db
      .selectFrom('shipping_templates')
      .select('id')
      .where('merchant_id', '=', t.merchantId)
      .where('is_default', '=', true)
      .executeTakeFirst();
    if (!exists) await ctx.services.shipping.saveTemplateIn(ctx.db, t.merchantId, { ...t, isDefault: true });
    progress.step('templates', i + 1, templates.length);
  }
  const shoppers = await demoShoppers(ctx);
  for (const [i, u] of shoppers.entries()) {
    const has = await ctx.db
      .selectFrom('addresses')
      .select('id')
      .where('user_id', '=', u.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!has)
      await ctx.services.shipping.saveAddress(u.id, {
        name: u.nickname,
        phone: u.phone!,
        province: '广东省',
        city: '深圳市',
        district: '南山区',
        districtCode: '440305',
        detail: '科技园路1号',
        isDefault: true,
      });
    progress.step('addresses', i + 1, shoppers.length);
  }
}
