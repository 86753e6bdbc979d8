// Growth: share tokens, attribution (first and last touch), share analytics, invitations.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { GROWTH_EVENTS } from './events.ts';
import { GrowthService } from './growth-service.ts';
import { growthRoutes } from './routes.ts';
import { seedGrowth } from './seed.ts';

declare module '../../platform/context.ts' {
  interface Services {
    growth: GrowthService;
  }
}

export const growthModule: Module = {
  name: 'growth',
  events: GROWTH_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const growth = new GrowthService(ctx);
    ctx.services.growth = growth;
    ctx.events.subscribe({
      name: 'growth.signups',
      events: ['user.registered'],
      handle: (e, db) => growth.touches.registered(db, e.payload.userId, new Date(e.createdAt)),
    });
    ctx.events.subscribe({
      name: 'growth.order_placed',
      events: ['order.placed'],
      handle: async (e, db) => {
        await growth.attribution.placed(db, e.payload);
      },
    });
    ctx.events.subscribe({
      name: 'growth.order_paid',
      events: ['order.paid'],
      handle: async (e, db) => {
        await growth.attribution.paid(db, e.payload);
        await growth.invitations.onPaid(db, e.payload);
      },
    });
    ctx.events.subscribe({
      name: 'growth.order_refunded',
      events: ['order.refunded'],
      handle: async (e, db) => {
        await growth.attribution.refunded(db, e.payload.orderId, e.payload.refundedFen);
        await growth.invitations.onRefunded(db, e.payload);
      },
    });
    ctx.events.subscribe({
      name: 'growth.order_completed',
      events: ['order.completed'],
      handle: (e, db) => growth.invitations.onCompleted(db, e.payload.orderId),
    });
  },
  routes: growthRoutes,
  seed: seedGrowth,
};
