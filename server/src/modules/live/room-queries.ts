// Room listings and detail for shoppers (live now, trailers, replays) and for the shop.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { RoomGrant, ViewerCredentials } from './room-access.ts';
import type { RoomStatus } from './tables.ts';
import './tables.ts';

type RoomRow = {
  id: number;
  merchant_id: number;
  title: string;
  cover_url: string | null;
  status: RoomStatus;
  visibility: 'public' | 'private';
  scheduled_at: Date | string | null;
  started_at: Date | null;
  ended_at: Date | null;
  anchor_user_id: number | null;
  pinned_product_id: number | null;
};

export class RoomQueries {
  constructor(private readonly ctx: AppContext) {}

  private async viewers(roomId: number) {
    return this.ctx.services.realtime.roomOnline(roomId).catch(() => ({ online: 0, cumulative: 0 }));
  }

  private async card(r: RoomRow) {
    const [merchant, reminders] = await Promise.all([
      this.ctx.services.directory.merchantBrief(r.merchant_id),
      this.ctx.db
        .selectFrom('live_reminders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('room_id', '=', r.id)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      id: r.id,
      merchantId: r.merchant_id,
      merchantName: merchant?.name ?? '',
      title: r.title,
      coverUrl: r.cover_url,
      status: r.status,
      isPrivate: r.visibility === 'private',
      scheduledAt: r.scheduled_at ? new Date(r.scheduled_at) : null,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      reminders: reminders.n,
      viewers: await this.viewers(r.id),
    };
  }

  /** Public lists: live now, upcoming trailers (预告), or replays. Private rooms and inactive shops never appear. */
  async list(kind: 'live' | 'upcoming' | 'replays', merchantId?: number) {
    let q = this.ctx.db
      .selectFrom('live_rooms')
      .selectAll()
      .where('visibility', '=', 'public')
      .where('merchant_id', 'in', this.ctx.services.merchants.publicMerchantIds());
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    if (kind === 'live') q = q.where('status', '=', 'live').orderBy('started_at', 'desc');
    if (kind === 'upcoming') q = q.where('status', '=', 'scheduled').orderBy('scheduled_at', 'asc');
    if (kind === 'replays')
      q = q
        .where('status', '=', 'ended')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('live_sessions')
              .select('id')
              .whereRef('live_sessions.room_id', '=', 'live_rooms.id')
              .where('replay_ready', '=', true),
          ),
        )
        .orderBy('ended_at', 'desc');
    const rows = await q.limit(50).execute();
    return Promise.all(rows.map((r) => this.card(r)));
  }

  /** A room page for whoever RoomAccess admits: status, play URLs (signed for private rooms), bag, replays. */
  async detail(roomId: number, creds: ViewerCredentials & { actor?: Actor | undefined }) {
    const { grant } = await this.ctx.services.roomAccess.authorize(roomId, creds);
    return this.detailFor(roomId, grant, creds.actor);
  }

  private async detailFor(roomId: number, grant: RoomGrant, actor: Actor | undefined) {
    const r = await this.ctx.db.selectFrom('live_rooms').selectAll().where('id', '=', roomId).executeTakeFirst();
    if (!r) throw notFound('Room', 'ROOM_NOT_FOUND');
    const sessions = await this.ctx.db
      .selectFrom('live_sessions')
      .select(['id', 'started_at', 'ended_at', 'replay_duration_sec'])
      .where('room_id', '=', roomId)
      .where('replay_ready', '=', true)
      .orderBy('id', 'desc')
      .execute();
    const urls = this.ctx.services.live.playUrls(
      r,
      sessions.map((s) => s.id),
      grant,
    );
    const reminded = actor
      ? !!(await this.ctx.db
          .selectFrom('live_reminders')
          .select('user_id')
          .where('room_id', '=', roomId)
          .where('user_id', '=', actor.userId)
          .executeTakeFirst())
      : false;
    return {
      ...(await this.card(r)),
      anchorUserId: r.anchor_user_id,
      pinnedProductId: r.pinned_product_id,
      reminded,
      play: {
        flv: r.status === 'live' ? urls.flv : null,
        hls: r.status === 'live' ? urls.hls : null,
        ...(urls.expiresAt ? { expiresAt: urls.expiresAt } : {}),
      },
      replays: sessions.map((s, i) => ({
        sessionId: s.id,
        startedAt: s.started_at,
        endedAt: s.ended_at,
        durationSec: s.replay_duration_sec ?? 0,
        hls: urls.replays[i]!,
      })),
      products: await this.ctx.services.live.bag(roomId),
    };
  }

  async merchantList(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('live_rooms')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    return Promise.all(rows.map((r) => this.card(r)));
  }
}
