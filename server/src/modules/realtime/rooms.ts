// Rooms belong to the live module (ctx.services.live.getRoom, docs/service-contracts.md). Lookups
// are cached briefly per node: joins and chat ask for the room far more often than it changes.
import type { AppContext } from '../../platform/context.ts';
import type { ViewerGrant } from './connection.ts';

export interface LiveRoom {
  id: number;
  merchantId: number;
  title: string;
  status: 'scheduled' | 'live' | 'ended';
  anchorUserId: number | null;
  isPrivate: boolean;
  coverUrl: string | null;
  scheduledAt: Date | null;
}
export interface LiveRoomLookup {
  getRoom(roomId: number): Promise<LiveRoom | null>;
}

export interface ViewerCreds {
  actor?: { userId: number; isPlatformAdmin: boolean } | null | undefined;
  invite?: string | undefined;
}

/** The live module's RoomAccess (live/room-access.ts): who may watch, decided once for every path. */
export interface RoomAuthorizer {
  authorize(roomId: number, creds: ViewerCreds): Promise<{ room: LiveRoom; grant: ViewerGrant }>;
}

export function roomAuthorizer(ctx: AppContext): RoomAuthorizer | undefined {
  return (ctx.services as { roomAccess?: RoomAuthorizer }).roomAccess;
}

const TTL_MS = 3000;
const cache = new WeakMap<AppContext, Map<number, { at: number; room: Promise<LiveRoom | null> }>>();

export function liveService(ctx: AppContext): LiveRoomLookup | undefined {
  return (ctx.services as { live?: LiveRoomLookup }).live;
}

export async function getLiveRoom(ctx: AppContext, roomId: number): Promise<LiveRoom | null> {
  const live = liveService(ctx);
  if (!live) return null;
  let perCtx = cache.get(ctx);
  if (!perCtx) {
    perCtx = new Map();
    cache.set(ctx, perCtx);
  }
  const hit = perCtx.get(roomId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.room;
  const room = live.getRoom(roomId).catch((err: unknown) => {
    perCtx.delete(roomId);
    throw err;
  });
  perCtx.set(roomId, { at: Date.now(), room });
  if (perCtx.size > 10_000) perCtx.delete(perCtx.keys().next().value!);
  return room;
}
