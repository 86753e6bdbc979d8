// After-sales: refund-only and return-and-refund requests, exact partial refunds, restocking.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { AftersaleService } from './aftersale-service.ts';
import { registerAftersaleChecks } from './reconcile.ts';
import { aftersaleRoutes } from './routes.ts';
import { AFTERSALE_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    aftersales: AftersaleService;
  }
}

export const aftersalesModule: Module = {
  name: 'aftersales',
  events: AFTERSALE_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.aftersales = new AftersaleService(ctx);
    ctx.services.aftersales.registerHandlers();
    registerAftersaleChecks(ctx);
  },
  routes: aftersaleRoutes,
};
