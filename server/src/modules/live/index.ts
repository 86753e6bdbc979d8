// Live rooms: scheduling and trailers, stream keys, product bag and "now explaining" pin,
// reminders, the live/ended lifecycle (driven by the media module's ingest), play URLs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { RoomQueries } from './room-queries.ts';
import { RoomService } from './room-service.ts';
import { liveRoutes } from './routes.ts';
import { seedLive } from './seed.ts';

declare module '../../platform/context.ts' {
  interface Services { live: RoomService; liveQueries: RoomQueries }
}

export const liveModule: Module = {
  name: 'live',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.live = new RoomService(ctx);
    ctx.services.liveQueries = new RoomQueries(ctx);
  },
  routes: liveRoutes,
  seed: seedLive,
};
