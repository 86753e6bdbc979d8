// Demo deals, one of each kind, running from seed time (a fresh install shows them working): a 秒杀
// on the mango, a 3-person 拼团 on the T-shirt, a 砍价 on the strawberries. Idempotent by title.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { demoMerchantIds } from '../identity/seed.ts';

const DAY = 86_400_000;

export const DEMO_DEALS = {
  flash: '鲜果秒杀 · 贵妃芒限时价',
  group: '重磅T恤 3人拼团',
  bargain: '丹东草莓 砍到¥29.9',
};

export async function seedDeals(ctx: AppContext): Promise<number> {
  const { fruit, fashion } = await demoMerchantIds(ctx);
  const { catalog, directory, flashSales, groupBuys, bargains } = ctx.services;
  const ownerOf = async (merchantId: number): Promise<Actor> => {
    const [owner] = await directory.memberIds(merchantId, ['merchant_owner']);
    if (owner === undefined) throw new Error(`demo shop ${merchantId} has no owner`);
    return { userId: owner, sessionId: 'seed', isPlatformAdmin: false };
  };
  /** The shop's first SKU of the product titled `title` (with the SKU name, when given). */
  const skuOf = async (merchantId: number, title: string, skuName?: string) => {
    const sku = (await catalog.shopSkus(merchantId)).find(
      (s) => s.productTitle === title && (skuName === undefined || s.skuName === skuName),
    );
    if (!sku) return undefined;
    return (await catalog.requireOwnSkus(ctx.db, merchantId, [sku.skuId]))[0];
  };
  const exists = async (table: 'flash_sessions' | 'group_buy_deals' | 'bargain_campaigns', title: string) =>
    Boolean(await ctx.db.selectFrom(table).select('id').where('title', '=', title).executeTakeFirst());
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  let made = 0;

  const mango = await skuOf(fruit, '海南贵妃芒 当季现摘', '2.5kg 中果');
  if (mango && !(await exists('flash_sessions', DEMO_DEALS.flash))) {
    await flashSales.createSession(await ownerOf(fruit), fruit, {
      title: DEMO_DEALS.flash,
      startsAt,
      endsAt: new Date(Date.now() + 7 * DAY).toISOString(),
      items: [{ skuId: mango.skuId, flashPriceFen: mango.priceFen - 1000, stock: 50, perUserLimit: 2 }],
    });
    made++;
  }
  const tee = await skuOf(fashion, '重磅纯棉短袖T恤 男女同款');
  if (tee && !(await exists('group_buy_deals', DEMO_DEALS.group))) {
    await groupBuys.createDeal(await ownerOf(fashion), fashion, {
      skuId: tee.skuId,
      title: DEMO_DEALS.group,
      groupPriceFen: tee.priceFen - 2000,
      groupSize: 3,
      expireMinutes: 24 * 60,
      startsAt,
      endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    });
    made++;
  }
  const berry = await skuOf(fruit, '丹东99草莓 礼盒装', '1斤装');
  if (berry && !(await exists('bargain_campaigns', DEMO_DEALS.bargain))) {
    await bargains.createCampaign(await ownerOf(fruit), fruit, {
      skuId: berry.skuId,
      title: DEMO_DEALS.bargain,
      floorPriceFen: 2990,
      helpsNeeded: 5,
      expireHours: 24,
      startsAt,
      endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    });
    made++;
  }
  return made;
}
