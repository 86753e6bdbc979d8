// Every domain module, in initialisation order (routes register in the same order). Services are
// looked up lazily at call time (ctx.services.x), so a module may call a module listed after it,
// just not during init().
import type { Module } from '../platform/context.ts';
import { aftersalesModule } from './aftersales/index.ts';
import { analyticsModule } from './analytics/index.ts';
import { cartModule } from './cart/index.ts';
import { catalogModule } from './catalog/index.ts';
import { checkoutModule } from './checkout/index.ts';
import { identityModule } from './identity/index.ts';
import { distributionModule } from './distribution/index.ts';
import { growthModule } from './growth/index.ts';
import { interactionModule } from './interaction/index.ts';
import { inventoryModule } from './inventory/index.ts';
import { liveModule } from './live/index.ts';
import { marketingModule } from './marketing/index.ts';
import { mediaModule } from './media/index.ts';
import { membersModule } from './members/index.ts';
import { operatorModule } from './operator/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { ordersModule } from './orders/index.ts';
import { paymentsModule } from './payments/index.ts';
import { postersModule } from './posters/index.ts';
import { realtimeModule } from './realtime/index.ts';
import { reconciliationModule } from './reconciliation/index.ts';
import { shippingModule } from './shipping/index.ts';
import { socialModule } from './social/index.ts';
import { supportModule } from './support/index.ts';
import { wechatModule } from './wechat/index.ts';

export const modules: Module[] = [
  identityModule,
  catalogModule,
  inventoryModule,
  cartModule,
  shippingModule,
  checkoutModule,
  paymentsModule,
  ordersModule,
  aftersalesModule,
  liveModule,
  mediaModule,
  realtimeModule,
  interactionModule,
  socialModule,
  marketingModule,
  membersModule,
  analyticsModule,
  // Growth: shares and attribution, invitations, posters, distribution (分销).
  growthModule,
  postersModule,
  distributionModule,
  // Customer service and the shopper's message centre.
  notificationsModule,
  supportModule,
  // WeChat platform calls for the mini-program (subscribe messages, msgSecCheck, phone binding).
  wechatModule,
  // Reconciliation (对账) of every module's books.
  reconciliationModule,
  // The platform operator's views across shops.
  operatorModule,
];
