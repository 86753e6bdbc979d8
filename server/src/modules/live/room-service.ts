// Live rooms: schedule (trailers), stream keys, product bag and "now explaining" pin, reminders,
// and the live/ended lifecycle driven by the media ingest. Play URLs come from here too.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { RoomStatus } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';
import { termsText } from '../../platform/text/segment.ts';
import type { RoomGrant } from './room-access.ts';
import type { OutFrame } from '../realtime/protocol.ts';

export interface RoomInput {
  title: string;
  coverUrl?: string | null | undefined;
  anchorUserId?: number | null | undefined;
  scheduledAt?: string | null | undefined;
  productIds?: number[] | undefined;
  visibility?: 'public' | 'private' | undefined;
}

export interface RoomContract {
  id: number;
  merchantId: number;
  title: string;
  status: RoomStatus;
  anchorUserId: number | null;
  isPrivate: boolean;
  coverUrl: string | null;
  scheduledAt: Date | null;
}

const newKey = () => crypto.randomBytes(12).toString('hex');
export const ROOM_WRITERS: ['merchant_owner', 'merchant_staff'] = ['merchant_owner', 'merchant_staff'];

export class RoomService {
  /** Room → its shop. A room never changes shop and is never deleted, so a node keeps what it has read. */
  private readonly shopOfRoom = new LRUCache<number, number>({ max: 50_000 });

  constructor(private readonly ctx: AppContext) {}

  /** The shop whose room this is (null: no such room); checkout asks on every quote and order. */
  async roomMerchantId(roomId: number, db: Db = this.ctx.db): Promise<number | null> {
    const known = this.shopOfRoom.get(roomId);
    if (known !== undefined) return known;
    const row = await db.selectFrom('live_rooms').select('merchant_id').where('id', '=', roomId).executeTakeFirst();
    if (row) this.shopOfRoom.set(roomId, row.merchant_id);
    return row?.merchant_id ?? null;
  }

  /** The contract other modules use (realtime, analytics, marketing). */
  async getRoom(roomId: number, db: Db = this.ctx.db): Promise<RoomContract | null> {
    const r = await db.selectFrom('live_rooms').selectAll().where('id', '=', roomId).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      merchantId: r.merchant_id,
      title: r.title,
      status: r.status,
      anchorUserId: r.anchor_user_id,
      isPrivate: r.visibility === 'private',
      coverUrl: r.cover_url,
      scheduledAt: r.scheduled_at ? new Date(r.scheduled_at) : null,
    };
  }

  /**
   * Tenancy for every module taking a room id from a shop (flash sales, lucky bags, coupon drops,
   * alert rules, report filters): the shop's own room, else 404 ROOM_NOT_FOUND (another shop's
   * room is not disclosed).
   */
  async requireOwnRoom(db: Db, merchantId: number, roomId: number): Promise<RoomContract> {
    const room = await this.getRoom(roomId, db);
    if (!room || room.merchantId !== merchantId) throw notFound('Room', 'ROOM_NOT_FOUND');
    return room;
  }

  async create(actor: Actor, merchantId: number, input: RoomInput) {
    await this.ctx.services.merchants.requireOperating(actor, merchantId, ROOM_WRITERS, 'broadcast');
    return transact(this.ctx.db, async (trx) => {
      await this.checkAnchor(trx, merchantId, input.anchorUserId);
      const room = await trx
        .insertInto('live_rooms')
        .values({
          merchant_id: merchantId,
          title: input.title.trim(),
          search_terms: termsText(input.title),
          cover_url: input.coverUrl ?? null,
          anchor_user_id: input.anchorUserId ?? null,
          scheduled_at: input.scheduledAt ?? null,
          visibility: input.visibility ?? 'public',
          stream_key: newKey(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.productIds) await this.writeBag(trx, merchantId, room.id, input.productIds);
      await this.ctx.events.emit(trx, {
        type: 'room.scheduled',
        aggregateType: 'room',
        aggregateId: room.id,
        payload: { roomId: room.id, merchantId, scheduledAt: input.scheduledAt ?? null },
      });
      return room.id;
    });
  }

  async update(actor: Actor, merchantId: number, roomId: number, input: Partial<RoomInput>) {
    await this.ctx.services.merchants.requireOperating(actor, merchantId, ROOM_WRITERS, 'broadcast');
    const visibilityChanged = await transact(this.ctx.db, async (trx) => {
      const room = await this.lockOwned(trx, merchantId, roomId);
      if (room.status === 'ended') throw conflict('ROOM_ENDED', 'This show has ended');
      if (input.anchorUserId !== undefined) await this.checkAnchor(trx, merchantId, input.anchorUserId);
      await trx
        .updateTable('live_rooms')
        .set({
          ...(input.title !== undefined ? { title: input.title.trim(), search_terms: termsText(input.title) } : {}),
          ...(input.coverUrl !== undefined ? { cover_url: input.coverUrl } : {}),
          ...(input.anchorUserId !== undefined ? { anchor_user_id: input.anchorUserId } : {}),
          ...(input.scheduledAt !== undefined ? { scheduled_at: input.scheduledAt } : {}),
          ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
          updated_at: sql`now()`,
        })
        .where('id', '=', roomId)
        .execute();
      if (input.productIds) await this.writeBag(trx, merchantId, roomId, input.productIds);
      return input.visibility !== undefined && input.visibility !== room.visibility;
    });
    if (input.productIds) await this.broadcastBag(roomId);
    // Viewers admitted to a public room must hold an invitation once it turns private.
    if (visibilityChanged) await this.recheckViewers({ roomId });
  }

  /** Ask every node to re-check its viewers' access (best effort: viewers are also re-checked periodically). */
  async recheckViewers(scope: { roomId?: number; merchantId?: number }) {
    await this.ctx.services.realtime
      .recheckViewers(scope)
      .catch((err: unknown) => this.ctx.log.warn({ err, ...scope }, 'realtime recheck failed'));
  }

  async rotateKey(actor: Actor, merchantId: number, roomId: number): Promise<void> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ROOM_WRITERS);
    const res = await this.ctx.db
      .updateTable('live_rooms')
      .set({ stream_key: newKey(), updated_at: sql`now()` })
      .where('id', '=', roomId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('Room', 'ROOM_NOT_FOUND');
  }

  async pushSettings(actor: Actor, merchantId: number, roomId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff', 'anchor']);
    const r = await this.ctx.db
      .selectFrom('live_rooms')
      .select(['stream_key', 'anchor_user_id'])
      .where('id', '=', roomId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!r) throw notFound('Room', 'ROOM_NOT_FOUND');
    const host = new URL(this.ctx.config.publicUrl).hostname;
    const server = `rtmp://${host}:${this.ctx.config.rtmpPort}/live`;
    return {
      server,
      streamKey: r.stream_key,
      pushUrl: `${server}/${r.stream_key}`,
      obs: {
        service: 'Custom…',
        server,
        streamKey: r.stream_key,
        keyframeIntervalSec: 1,
        videoBitrateKbps: 2500,
        audioBitrateKbps: 128,
        resolution: '1280x720 (or 720x1280 portrait)',
        fps: 30,
        encoder: 'x264, profile main, tune zerolatency',
        rateControl: 'CBR',
      },
      advice:
        '关键帧间隔设为 1 秒可让观众更快进入画面；上行带宽建议不低于码率的 1.5 倍。 Keyframe every 1 s lets viewers start fast; keep upload bandwidth ≥ 1.5× the bitrate.',
    };
  }

  // ---- product bag ----
  private async writeBag(trx: Db, merchantId: number, roomId: number, productIds: number[]) {
    const unique = [...new Set(productIds)];
    if (unique.length > 200) throw badRequest('BAG_TOO_LARGE', 'At most 200 products in a room');
    await this.ctx.services.catalog.requireOwnProducts(trx, merchantId, unique);
    await trx.deleteFrom('live_room_products').where('room_id', '=', roomId).execute();
    if (unique.length)
      await trx
        .insertInto('live_room_products')
        .values(unique.map((productId, position) => ({ room_id: roomId, product_id: productId, position })))
        .execute();
    const room = await trx
      .selectFrom('live_rooms')
      .select('pinned_product_id')
      .where('id', '=', roomId)
      .executeTakeFirstOrThrow();
    if (room.pinned_product_id && !unique.includes(room.pinned_product_id))
      await trx.updateTable('live_rooms').set({ pinned_product_id: null }).where('id', '=', roomId).execute();
  }

  async bag(roomId: number) {
    const rows = await this.ctx.db
      .selectFrom('live_room_products')
      .select(['product_id'])
      .where('room_id', '=', roomId)
      .orderBy('position')
      .execute();
    const room = await this.ctx.db
      .selectFrom('live_rooms')
      .select('pinned_product_id')
      .where('id', '=', roomId)
      .executeTakeFirst();
    const summaries = await this.ctx.services.catalog.getProductSummaries(rows.map((r) => r.product_id));
    return summaries.map((p) => ({ ...p, explaining: p.id === room?.pinned_product_id }));
  }

  /** "Now explaining" (讲解中): pin one product of the bag, or clear with null. */
  async pin(actor: Actor, merchantId: number, roomId: number, productId: number | null) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    await transact(this.ctx.db, async (trx) => {
      await this.lockOwned(trx, merchantId, roomId);
      if (productId !== null) {
        const inBag = await trx
          .selectFrom('live_room_products')
          .select('product_id')
          .where('room_id', '=', roomId)
          .where('product_id', '=', productId)
          .executeTakeFirst();
        if (!inBag) throw badRequest('PRODUCT_NOT_IN_BAG', 'Add the product to the room first');
      }
      await trx
        .updateTable('live_rooms')
        .set({ pinned_product_id: productId, updated_at: sql`now()` })
        .where('id', '=', roomId)
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'room.product_pinned',
        aggregateType: 'room',
        aggregateId: roomId,
        payload: { roomId, merchantId, productId },
      });
    });
    const product = productId ? ((await this.ctx.services.catalog.getProductSummaries([productId]))[0] ?? null) : null;
    await this.publish(roomId, { type: 'product.pinned', data: { roomId, product } });
  }

  private async broadcastBag(roomId: number) {
    await this.publish(roomId, { type: 'bag.updated', data: { roomId, products: await this.bag(roomId) } });
  }

  /** Push to the room's viewers (best effort: the database already holds the truth). */
  private async publish(roomId: number, frame: OutFrame) {
    await this.ctx.services.realtime
      .publishToRoom(roomId, frame, { kind: 'commerce' })
      .catch((err: unknown) => this.ctx.log.warn({ err, roomId }, 'realtime publish failed'));
  }

  // ---- reminders (预约提醒) ----
  async remind(userId: number, roomId: number, on: boolean) {
    const { room } = await this.ctx.services.roomAccess.authorize(roomId, {}); // trailers of listed rooms only
    if (room.status !== 'scheduled')
      throw conflict('ROOM_NOT_UPCOMING', 'Reminders are for shows that have not started');
    if (on)
      await this.ctx.db
        .insertInto('live_reminders')
        .values({ room_id: roomId, user_id: userId })
        .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
        .execute();
    else
      await this.ctx.db
        .deleteFrom('live_reminders')
        .where('room_id', '=', roomId)
        .where('user_id', '=', userId)
        .execute();
    const n = await this.ctx.db
      .selectFrom('live_reminders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('room_id', '=', roomId)
      .executeTakeFirstOrThrow();
    return { reminded: on, subscribers: n.n };
  }

  // ---- lifecycle, driven by the ingest ----
  async roomForKey(key: string) {
    return this.ctx.db
      .selectFrom('live_rooms')
      .select(['id', 'merchant_id', 'status'])
      .where('stream_key', '=', key)
      .executeTakeFirst();
  }

  /** May an RTMP publisher push with this key? The room must exist, not have ended, and its shop be active. */
  async mayPublish(key: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const room = await this.roomForKey(key);
    if (!room) return { ok: false, reason: 'unknown key' };
    if (room.status === 'ended') return { ok: false, reason: 'show ended' };
    const status = await this.ctx.services.merchants.statusOf(room.merchant_id);
    if (status !== 'active') return { ok: false, reason: `shop ${status}` };
    return { ok: true };
  }

  /** A shop was suspended or rejected: its live shows end now (and their replays are kept for the shop). */
  async endShopShows(merchantId: number): Promise<number[]> {
    const live = await this.ctx.db
      .selectFrom('live_rooms')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'live')
      .execute();
    for (const r of live) {
      const sessionId = await this.end(r.id, 'shop suspended');
      await this.ctx.services.media.stopRoom(r.id, sessionId);
    }
    return live.map((r) => r.id);
  }

  async goLive(roomId: number): Promise<number> {
    let started = false;
    const sessionId = await transact(this.ctx.db, async (trx) => {
      const room = await trx
        .selectFrom('live_rooms')
        .selectAll()
        .where('id', '=', roomId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const open = await trx
        .selectFrom('live_sessions')
        .select('id')
        .where('room_id', '=', roomId)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      if (room.status === 'live' && open) return open.id;
      const session = await trx
        .insertInto('live_sessions')
        .values({ room_id: roomId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('live_rooms')
        .set({ status: 'live', started_at: sql`now()`, updated_at: sql`now()` })
        .where('id', '=', roomId)
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'room.live',
        aggregateType: 'room',
        aggregateId: roomId,
        payload: { roomId, merchantId: room.merchant_id, sessionId: session.id },
      });
      const reminders = await trx
        .updateTable('live_reminders')
        .set({ notified_at: sql`now()` })
        .where('room_id', '=', roomId)
        .where('notified_at', 'is', null)
        .returning('user_id')
        .execute();
      if (reminders.length)
        await this.ctx.events.emit(trx, {
          type: 'room.reminder_due',
          aggregateType: 'room',
          aggregateId: roomId,
          payload: {
            roomId,
            merchantId: room.merchant_id,
            title: room.title,
            userIds: reminders.map((r) => r.user_id),
          },
        });
      started = true;
      return session.id;
    });
    // Viewers waiting on the trailer page and the console switch to the live player.
    if (started) await this.publish(roomId, { type: 'room.live', data: { roomId, sessionId } });
    return sessionId;
  }

  async end(roomId: number, reason: string): Promise<number | null> {
    let ended = false;
    const sessionId = await transact(this.ctx.db, async (trx) => {
      const room = await trx
        .selectFrom('live_rooms')
        .selectAll()
        .where('id', '=', roomId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (room.status !== 'live') return null;
      const session = await trx
        .updateTable('live_sessions')
        .set({ ended_at: sql`now()` })
        .where('room_id', '=', roomId)
        .where('ended_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      await trx
        .updateTable('live_rooms')
        .set({ status: 'ended', ended_at: sql`now()`, updated_at: sql`now()` })
        .where('id', '=', roomId)
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'room.ended',
        aggregateType: 'room',
        aggregateId: roomId,
        payload: { roomId, merchantId: room.merchant_id, sessionId: session?.id ?? null, reason },
      });
      ended = true;
      return session?.id ?? null;
    });
    if (ended) await this.publish(roomId, { type: 'room.ended', data: { roomId, sessionId } });
    return sessionId;
  }

  async endByStaff(actor: Actor, merchantId: number, roomId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    await this.lockOwned(this.ctx.db, merchantId, roomId);
    const sessionId = await this.end(roomId, 'ended by staff');
    await this.ctx.services.media.stopRoom(roomId, sessionId);
    // The publisher may still be pushing, on whichever node has it: it is asked again and dropped.
    await this.recheckViewers({ roomId });
  }

  private async lockOwned(db: Db, merchantId: number, roomId: number) {
    const r = await db
      .selectFrom('live_rooms')
      .selectAll()
      .where('id', '=', roomId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!r) throw notFound('Room', 'ROOM_NOT_FOUND');
    return r;
  }

  private async checkAnchor(db: Db, merchantId: number, anchorUserId: number | null | undefined) {
    if (anchorUserId === undefined || anchorUserId === null) return;
    const role = await this.ctx.services.directory.memberRole(merchantId, anchorUserId, db);
    if (!role) throw badRequest('ANCHOR_NOT_IN_TEAM', "The anchor must be on the shop's team");
  }

  // ---- play URLs (signed by RoomAccess for private rooms) ----
  signPlay(roomId: number, exp: number): string {
    return this.ctx.services.roomAccess.signPlay(roomId, exp);
  }

  verifyPlay(roomId: number, exp: number | undefined, sig: string | undefined): boolean {
    return this.ctx.services.roomAccess.verifyPlay(roomId, exp, sig);
  }

  /** FLV, HLS and replay URLs; for a private room signed for `grant` (and no longer than it lasts). */
  playUrls(room: { id: number; visibility: string }, sessionIds: number[], grant: RoomGrant | null = null) {
    const base = this.ctx.config.publicUrl;
    const isPrivate = room.visibility === 'private';
    const { query: q, expiresAt } = this.ctx.services.roomAccess.playQuery({ id: room.id, isPrivate }, grant);
    return {
      flv: `${base}/live/${room.id}.flv${q}`,
      hls: this.ctx.services.media.ffmpegAvailable ? `${base}/live/${room.id}/index.m3u8${q}` : null,
      replays: sessionIds.map((id) => `${base}/replays/${id}/index.m3u8${q}`),
      ...(expiresAt ? { expiresAt } : {}),
    };
  }
}
