// Likes (点赞): taps are added to a shared counter per room and the total goes out to viewers at a
// fixed cadence (each node, for its own viewers, when the total changed) — never a frame per tap.
// Coupon drops (直播间发券): staff drop a number of a shop coupon into the room; viewers claim one
// each while they last, the marketing module enforcing the coupon's own limits.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { Conn } from '../realtime/connection.ts';
import { requireRoomViewer, type ViewerRequest } from './room-viewer.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

const likesKey = (roomId: number) => `rt:room:${roomId}:likes`;
const dropNotFound = () => notFound('Coupon drop', 'DROP_NOT_FOUND');
const MAX_TAPS_PER_FRAME = 50;

export class LikeService {
  private readonly lastSent = new Map<number, number>();
  constructor(private readonly ctx: AppContext) {}

  /** The `like` frame: a batch of taps from one viewer (clients coalesce too). */
  async tap(conn: Conn, data: Record<string, unknown>) {
    if (conn.roomId === null) throw badRequest('NOT_IN_ROOM', 'Join a room first');
    const count = Math.min(MAX_TAPS_PER_FRAME, Math.max(1, Math.floor(Number(data.count ?? 1)) || 1));
    const limit = await this.ctx.cache.rateLimit(`like:rl:${conn.viewerKey}`, 600, 60_000);
    if (!limit.allowed) throw new AppError(429, 'RATE_LIMITED', 'Too many likes');
    const total = await this.ctx.cache.incrBy(likesKey(conn.roomId), count);
    return { total };
  }

  async total(roomId: number): Promise<number> {
    return Number((await this.ctx.cache.get(likesKey(roomId))) ?? 0);
  }

  /** Runs on the realtime tick: push changed totals to this node's viewers. */
  async broadcast(): Promise<void> {
    const rt = this.ctx.services.realtime;
    for (const roomId of rt.hub.localRoomIds()) {
      const total = await this.total(roomId);
      if (this.lastSent.get(roomId) === total) continue;
      this.lastSent.set(roomId, total);
      rt.hub.deliverLocal(roomId, { type: 'likes', data: { total }, kind: 'system' });
    }
  }
}

export class CouponDropService {
  constructor(private readonly ctx: AppContext) {}

  async create(
    actor: Actor,
    merchantId: number,
    roomId: number,
    input: { templateId: number; quantity: number; minutes: number },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, roomId);
    const t = await this.ctx.services.coupons.requireOwnTemplate(this.ctx.db, merchantId, input.templateId);
    if (t.status !== 'active') throw conflict('COUPON_NOT_CLAIMABLE', 'This coupon is not active');
    const endsAt = new Date(Date.now() + input.minutes * 60_000);
    const d = await this.ctx.db
      .insertInto('coupon_drops')
      .values({
        room_id: roomId,
        merchant_id: merchantId,
        coupon_id: t.id,
        title: t.title,
        quantity: input.quantity,
        ends_at: endsAt,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const view = await this.view(d.id);
    await this.ctx.services.realtime.publishToRoom(roomId, { type: 'coupon.drop', data: view }, { kind: 'commerce' });
    return view;
  }

  /** A drop as a viewer of its room sees it (GET /api/coupon-drops/:dropId). */
  async viewAsViewer(dropId: number, viewer: ViewerRequest) {
    await requireRoomViewer(this.ctx, await this.roomOf(dropId), viewer, dropNotFound);
    return this.view(dropId);
  }

  /** A viewer of the drop's room claims one (POST /api/coupon-drops/:dropId/claim). */
  async claimAsViewer(actor: Actor, dropId: number, invite: string | undefined) {
    await requireRoomViewer(this.ctx, await this.roomOf(dropId), { actor, invite }, dropNotFound);
    return this.claim(actor.userId, dropId);
  }

  private async roomOf(dropId: number): Promise<number> {
    const d = await this.ctx.db
      .selectFrom('coupon_drops')
      .select('room_id')
      .where('id', '=', dropId)
      .executeTakeFirst();
    if (!d) throw dropNotFound();
    return d.room_id;
  }

  async view(dropId: number) {
    const d = await this.ctx.db
      .selectFrom('coupon_drops')
      .select(['id', 'room_id', 'title', 'quantity', 'claimed', 'ends_at', 'coupon_id'])
      .where('id', '=', dropId)
      .executeTakeFirst();
    const description = d && (await this.ctx.services.coupons.describeTemplate(d.coupon_id));
    if (!d || description === null || description === undefined) throw notFound('Coupon drop', 'DROP_NOT_FOUND');
    return {
      dropId: d.id,
      roomId: d.room_id,
      templateId: d.coupon_id,
      title: d.title,
      description,
      quantity: d.quantity,
      remaining: d.quantity - d.claimed,
      endsAt: new Date(d.ends_at),
    };
  }

  /** Claim one: the drop's own count first (row-locked), then the coupon through marketing, all in one transaction. */
  async claim(userId: number, dropId: number) {
    const result = await transact(this.ctx.db, async (trx) => {
      const d = await trx
        .selectFrom('coupon_drops')
        .selectAll()
        .where('id', '=', dropId)
        .forUpdate()
        .executeTakeFirst();
      if (!d) throw notFound('Coupon drop', 'DROP_NOT_FOUND');
      if (new Date(d.ends_at).getTime() <= Date.now()) throw conflict('DROP_ENDED', 'This drop has ended');
      const mine = await trx
        .selectFrom('coupon_drop_claims')
        .select('user_id')
        .where('drop_id', '=', dropId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (mine) throw conflict('DROP_ALREADY_CLAIMED', 'You already have one from this drop');
      if (d.claimed >= d.quantity) throw conflict('DROP_SOLD_OUT', 'All gone');
      const coupon = await this.ctx.services.coupons.claim(trx, userId, d.coupon_id, {
        channel: 'room_drop',
        ref: `drop:${dropId}`,
      });
      await trx.updateTable('coupon_drops').set({ claimed: sql`claimed + 1` }).where('id', '=', dropId).execute();
      await trx
        .insertInto('coupon_drop_claims')
        .values({
          drop_id: dropId,
          user_id: userId,
          status: 'granted',
          detail: JSON.stringify({ couponId: coupon.couponId }),
        })
        .execute();
      return { coupon, roomId: d.room_id, remaining: d.quantity - d.claimed - 1 };
    });
    await this.ctx.services.realtime.publishToRoom(
      result.roomId,
      { type: 'coupon.drop.remaining', data: { dropId, remaining: result.remaining } },
      { kind: 'commerce' },
    );
    return { ...result.coupon, remaining: result.remaining };
  }
}
