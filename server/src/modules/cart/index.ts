// Cart: add/update/remove, grouped by shop, lines flagged when they cannot be bought as added.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { CartService } from './cart-service.ts';
import { cartRoutes } from './routes.ts';

declare module '../../platform/context.ts' {
  interface Services {
    cart: CartService;
  }
}

export const cartModule: Module = {
  name: 'cart',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const cart = new CartService(ctx);
    ctx.services.cart = cart;
    ctx.events.subscribe({
      name: 'cart.ordered',
      events: ['order.placed'],
      handle: async (e, db) => {
        const p = e.payload;
        if (p.fromCart)
          await cart.remove(
            p.userId,
            p.items.map((i) => i.skuId),
            db,
          );
      },
    });
  },
  routes: cartRoutes,
};
