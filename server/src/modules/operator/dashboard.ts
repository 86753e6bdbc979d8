// The operator's view across shops: paid orders and GMV (net of refunds) today and over 7 days, every
// shop listed (one without sales shows zeros), the best week first.
import type { AppContext } from '../../platform/context.ts';

export async function platformDashboard(ctx: AppContext) {
  const { directory, orderQueries } = ctx.services;
  const [shops, sales] = await Promise.all([directory.allMerchants(), orderQueries.salesByShop()]);
  const none = { todayOrders: 0, todayGmvFen: 0, weekOrders: 0, weekGmvFen: 0 };
  return shops
    .map((m) => ({ merchantId: m.id, name: m.name, ...(sales.get(m.id) ?? none) }))
    .sort((a, b) => b.weekGmvFen - a.weekGmvFen || a.merchantId - b.merchantId);
}
