// Marketing: coupons, order promotions (full-reduction, limited-time discounts, new-user prices),
// flash sales, group-buy, bargain and points, all plugged into the checkout pipeline as steps.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { CouponService } from './coupon-service.ts';
import { FlashSaleService } from './flash-sale/flash-service.ts';
import { flashSaleRoutes } from './flash-sale/routes.ts';
import { flashSaleStep } from './flash-sale/flash-step.ts';
import { GroupBuyService } from './group-buy/group-buy-service.ts';
import { groupBuyStep } from './group-buy/group-buy-step.ts';
import { groupBuyRoutes } from './group-buy/routes.ts';
import { BargainService } from './bargain/bargain-service.ts';
import { bargainStep } from './bargain/bargain-step.ts';
import { bargainRoutes } from './bargain/routes.ts';
import { PointsService } from './points-service.ts';
import { couponStep, fullReductionStep, pointsStep, productDealStep } from './pricing-steps.ts';
import { PromotionService } from './promotion-service.ts';
import { marketingRoutes } from './routes.ts';
import { seedMarketing } from './seed.ts';
import { MARKETING_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    coupons: CouponService;
    promotions: PromotionService;
    points: PointsService;
    flashSales: FlashSaleService;
    groupBuys: GroupBuyService;
    bargains: BargainService;
  }
}

export const marketingModule: Module = {
  name: 'marketing',
  events: MARKETING_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.coupons = new CouponService(ctx);
    ctx.services.promotions = new PromotionService(ctx);
    ctx.services.points = new PointsService(ctx);
    ctx.services.flashSales = new FlashSaleService(ctx);
    ctx.services.flashSales.register();
    ctx.services.groupBuys = new GroupBuyService(ctx);
    ctx.services.groupBuys.register();
    ctx.services.bargains = new BargainService(ctx);
    ctx.services.bargains.register();
    for (const step of [
      flashSaleStep(ctx),
      groupBuyStep(ctx),
      bargainStep(ctx),
      productDealStep(ctx),
      couponStep(ctx),
      fullReductionStep(ctx),
      pointsStep(ctx),
    ])
      ctx.services.checkout.registerPricingStep(step);
    ctx.services.points.subscribe();
    // New-user gift: every active template offered on the 'new_user' channel.
    ctx.events.subscribe({
      name: 'marketing.new_user_gift',
      events: ['user.registered'],
      handle: async (e, db) => {
        const templates = await db
          .selectFrom('coupon_templates')
          .select('id')
          .where('status', '=', 'active')
          .where((eb) => eb(eb.ref('channels'), '@>', JSON.stringify(['new_user']) as never))
          .execute();
        for (const t of templates)
          await ctx.services.coupons
            .claim(db, e.payload.userId, t.id, { channel: 'new_user', ref: 'welcome' })
            .catch(() => undefined);
      },
    });
  },
  routes(app, ctx) {
    marketingRoutes(app, ctx);
    flashSaleRoutes(app, ctx);
    groupBuyRoutes(app, ctx);
    bargainRoutes(app, ctx);
  },
  start: (ctx) => ctx.services.promotions.start(),
  stop: (ctx) => ctx.services.promotions.stop(),
  seed: seedMarketing,
};
