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
  },
  routes: inventoryRoutes,
  start: (ctx) => ctx.services.inventory.start(),
  stop: (ctx) => ctx.services.inventory.stop(),
};
