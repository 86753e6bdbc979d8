// Demo accounts. Idempotent: existing users, merchants and memberships are left as they are.
import type { MerchantRole } from '../../platform/auth/access.ts';
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { hashPassword } from './passwords.ts';

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_MERCHANTS = [
  {
    key: 'fruit',
    name: '鲜果时光 Fresh Fruit',
    description: '产地直发的当季水果，直播间专享价',
    commissionRateBp: 500,
  },
  { key: 'fashion', name: '潮流衣橱 Trend Closet', description: '每日上新的潮流服饰', commissionRateBp: 800 },
] as const;

export const DEMO_ACCOUNTS: Array<{
  phone: string;
  nickname: string;
  label: string;
  admin?: boolean;
  merchant?: string;
  role?: MerchantRole;
}> = [
  { phone: '13800000000', nickname: '平台运营', label: 'platform admin', admin: true },
  { phone: '13800000001', nickname: '果园老板', label: 'Fresh Fruit owner', merchant: 'fruit', role: 'merchant_owner' },
  { phone: '13800000002', nickname: '果园客服', label: 'Fresh Fruit staff', merchant: 'fruit', role: 'merchant_staff' },
  { phone: '13800000003', nickname: '果园主播小美', label: 'Fresh Fruit anchor', merchant: 'fruit', role: 'anchor' },
  {
    phone: '13800000011',
    nickname: '衣橱老板',
    label: 'Trend Closet owner',
    merchant: 'fashion',
    role: 'merchant_owner',
  },
  {
    phone: '13800000012',
    nickname: '衣橱运营',
    label: 'Trend Closet staff',
    merchant: 'fashion',
    role: 'merchant_staff',
  },
  { phone: '13800000013', nickname: '衣橱主播阿杰', label: 'Trend Closet anchor', merchant: 'fashion', role: 'anchor' },
  { phone: '13900000001', nickname: '小王', label: 'customer' },
  { phone: '13900000002', nickname: '小李', label: 'customer' },
  { phone: '13900000003', nickname: '小张', label: 'customer' },
];

export async function seedIdentity(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { db } = ctx;
  const merchantIds = new Map<string, number>();
  for (const m of DEMO_MERCHANTS) {
    const row =
      (await db.selectFrom('merchants').select('id').where('name', '=', m.name).executeTakeFirst()) ??
      (await db
        .insertInto('merchants')
        .values({ name: m.name, description: m.description, status: 'active', commission_rate_bp: m.commissionRateBp })
        .returning('id')
        .executeTakeFirstOrThrow());
    merchantIds.set(m.key, row.id);
  }
  let hash: string | undefined;
  for (const [i, a] of DEMO_ACCOUNTS.entries()) {
    let user = await db.selectFrom('users').select('id').where('phone', '=', a.phone).executeTakeFirst();
    if (!user) {
      hash ??= await hashPassword(DEMO_PASSWORD);
      user =
        (await db
          .insertInto('users')
          .values({ phone: a.phone, password_hash: hash, nickname: a.nickname, is_platform_admin: a.admin ?? false })
          .onConflict((oc) => oc.column('phone').doNothing())
          .returning('id')
          .executeTakeFirst()) ??
        (await db.selectFrom('users').select('id').where('phone', '=', a.phone).executeTakeFirstOrThrow());
    }
    if (a.merchant && a.role) {
      await db
        .insertInto('merchant_members')
        .values({ merchant_id: merchantIds.get(a.merchant)!, user_id: user.id, role: a.role })
        .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doNothing())
        .execute();
    }
    progress.step('accounts', i + 1, DEMO_ACCOUNTS.length);
  }
}

/** Ids of the demo merchants by key, for other modules' seeds. */
export async function demoMerchantIds(
  ctx: AppContext,
): Promise<Record<(typeof DEMO_MERCHANTS)[number]['key'], number>> {
  const rows = await ctx.db
    .selectFrom('merchants')
    .select(['id', 'name'])
    .where(
      'name',
      'in',
      DEMO_MERCHANTS.map((m) => m.name),
    )
    .execute();
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return Object.fromEntries(DEMO_MERCHANTS.map((m) => [m.key, byName.get(m.name)!])) as Record<
    (typeof DEMO_MERCHANTS)[number]['key'],
    number
  >;
}

/** The demo shoppers (phones 139000000…), for other modules' seeds (addresses). */
export async function demoShoppers(ctx: AppContext): Promise<Array<{ id: number; phone: string; nickname: string }>> {
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'phone', 'nickname'])
    .where('phone', 'like', '139000000%')
    .execute();
  return rows.map((u) => ({ id: u.id, phone: u.phone!, nickname: u.nickname }));
}
