// Inventory: warehouses, stock levels, order reservations, the stock ledger, low-stock alerts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { InventoryService } from './inventory-service.ts';
import { registerInventoryChecks } from './reconcile.ts';
import { inventoryRoutes } from './routes.ts';
import { INVENTORY_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    inventory: InventoryService;
  }
}

export const inventoryModule: Module = {
  name: 'inventory',
  events: INVENTORY_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.inventory = new InventoryService(ctx);
    registerInventoryChecks(ctx);
    // Units held for an order whose node died before writing it go back on sale (order-stock.ts, hold).
    ctx.jobs.recurring({
      type: 'inventory.release_lapsed_holds',
      everyMs: Math.min(30_000, ctx.config.stockHoldLapseSec * 500),
      run: async (_job, db) => void (await ctx.services.inventory.releaseLapsedHolds(db)),
    });
  },
  routes: inventoryRoutes,
  start: (ctx) => ctx.services.inventory.start(),
  stop: (ctx) => ctx.services.inventory.stop(),
};
