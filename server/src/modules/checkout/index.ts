// Checkout: the pricing pipeline (quote) that orders and marketing share, and the quote route.
import type { Module } from '../../platform/context.ts';
import { CheckoutService } from './checkout-service.ts';
import { checkoutRoutes } from './routes.ts';

declare module '../../platform/context.ts' {
  interface Services {
    checkout: CheckoutService;
  }
}

export const checkoutModule: Module = {
  name: 'checkout',
  init(ctx) {
    ctx.services.checkout = new CheckoutService(ctx);
  },
  routes: checkoutRoutes,
};
