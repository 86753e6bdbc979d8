// Checkout: the pricing pipeline (quote) that orders and marketing share.
import type { Module } from '../../platform/context.ts';
import { CheckoutService } from './checkout-service.ts';

declare module '../../platform/context.ts' {
  interface Services { checkout: CheckoutService }
}

export const checkoutModule: Module = {
  name: 'checkout',
  init(ctx) { ctx.services.checkout = new CheckoutService(ctx); },
};
