// Orders: placement (pricing, stock, payment in one transaction), the state machine, queries.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { OrderPlacement } from './placement.ts';
import { OrderQueries } from './order-queries.ts';
import { OrderService } from './order-service.ts';
import { OrderRefunds } from './refunds.ts';
import { registerOrderRefundChecks } from './refund-reconcile.ts';
import { orderRoutes } from './routes.ts';
import { ORDER_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    orders: OrderService;
    orderPlacement: OrderPlacement;
    orderQueries: OrderQueries;
    orderRefunds: OrderRefunds;
  }
}

export const ordersModule: Module = {
  name: 'orders',
  events: ORDER_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.orders = new OrderService(ctx);
    ctx.services.orderPlacement = new OrderPlacement(ctx);
    ctx.services.orderQueries = new OrderQueries(ctx);
    ctx.services.orders.registerJobsAndHandlers();
    ctx.services.orderRefunds = new OrderRefunds(ctx);
    registerOrderRefundChecks(ctx);
  },
  routes: orderRoutes,
};
