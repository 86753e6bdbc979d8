// Shipping: address book, shipping-fee templates, parcels.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { ShippingService } from './shipping-service.ts';
import { shippingRoutes } from './routes.ts';
import { seedShipping } from './seed.ts';

declare module '../../platform/context.ts' {
  interface Services {
    shipping: ShippingService;
  }
}

export const shippingModule: Module = {
  name: 'shipping',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.shipping = new ShippingService(ctx);
  },
  start: (ctx) => ctx.services.shipping.start(),
  stop: (ctx) => ctx.services.shipping.stop(),
  routes: shippingRoutes,
  seed: seedShipping,
};
