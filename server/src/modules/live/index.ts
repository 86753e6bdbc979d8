// Live rooms: scheduling and trailers, stream keys, product bag and "now explaining" pin,
// reminders, the live/ended lifecycle (driven by the media module's ingest), play URLs, and who
// may watch (room-access.ts) with revocable invitations for private rooms (invites.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { InviteService } from './invites.ts';
import { RoomAccess } from './room-access.ts';
import { RoomSearch } from './room-search.ts';
import { RoomDirectory } from './room-directory.ts';
import { Replays } from './replays.ts';
import { RoomQueries } from './room-queries.ts';
import { RoomService } from './room-service.ts';
import { liveRoutes } from './routes.ts';
import { seedLive } from './seed.ts';
import { registerShopGovernance } from './shop-governance.ts';
import { LIVE_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    live: RoomService;
    liveQueries: RoomQueries;
    roomAccess: RoomAccess;
    roomInvites: InviteService;
    /** Rooms by id, the live ones, by title: for other modules (they never query live's tables). */
    roomDirectory: RoomDirectory;
    roomSearch: RoomSearch;
    /** A show's replay: published, retired and looked up by the media module. */
    replays: Replays;
  }
}

export const liveModule: Module = {
  name: 'live',
  events: LIVE_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.live = new RoomService(ctx);
    ctx.services.liveQueries = new RoomQueries(ctx);
    ctx.services.roomAccess = new RoomAccess(ctx);
    ctx.services.roomInvites = new InviteService(ctx);
    ctx.services.roomDirectory = new RoomDirectory(ctx);
    ctx.services.roomSearch = new RoomSearch(ctx);
    ctx.services.replays = new Replays(ctx);
    registerShopGovernance(ctx);
  },
  routes: liveRoutes,
  seed: seedLive,
};
