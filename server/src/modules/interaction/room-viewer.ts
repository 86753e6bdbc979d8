// Viewer actions over REST that name a room through something in it (a lucky bag, a coupon drop)
// pass the same RoomAccess as joining the room: nobody claims a private room's coupons or enters its
// lucky bags without the invitation, and nothing of a suspended shop's rooms can be taken.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';

export interface ViewerRequest {
  actor?: Actor | undefined;
  invite?: string | undefined;
}

/** Throws `hidden()` where RoomAccess says the room does not exist for this viewer. */
export async function requireRoomViewer(
  ctx: AppContext,
  roomId: number,
  viewer: ViewerRequest,
  hidden: () => AppError,
): Promise<void> {
  try {
    await ctx.services.roomAccess.authorize(roomId, { actor: viewer.actor ?? null, invite: viewer.invite });
  } catch (err) {
    if (err instanceof AppError && err.code === 'ROOM_NOT_FOUND') throw hidden();
    throw err;
  }
}
