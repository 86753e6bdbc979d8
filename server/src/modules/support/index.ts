// Customer service (客服): conversations between shoppers and a shop's agents (this folder), the bot that
// answers first (bot/), and tickets with SLA timers plus the service metrics (tickets/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { botRoutes, initBot } from './bot/index.ts';
import { SUPPORT_EVENTS } from './events.ts';
import { initTickets, ticketRoutes } from './tickets/index.ts';

export const supportModule: Module = {
  name: 'support',
  events: SUPPORT_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    initBot(ctx);
    initTickets(ctx);
  },
  routes(app, ctx) {
    botRoutes(app, ctx);
    ticketRoutes(app, ctx);
  },
};
