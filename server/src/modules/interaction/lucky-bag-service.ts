// Lucky bags (福袋): staff start one in a live room with a prize, a number of winners, an entry
// condition (send a keyword comment, follow the shop, watch N minutes, or share the room) and a countdown. The draw
// is a durable job at the deadline; it is verifiable (lucky-draw.ts) and records the prizes.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { DRAW_ALGORITHM, drawWinners, sha256 } from './lucky-draw.ts';
import { requireRoomViewer, type ViewerRequest } from './room-viewer.ts';
import type { LuckyBagCondition, LuckyBagPrize } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

const firstSeenKey = (roomId: number, userId: number) => `rt:room:${roomId}:seen:${userId}`;
const bagNotFound = () => notFound('Lucky bag', 'LUCKY_BAG_NOT_FOUND');

export class LuckyBagService {
  constructor(private readonly ctx: AppContext) {}

  async start(
    actor: Actor,
    merchantId: number,
    roomId: number,
    input: { title: string; prize: LuckyBagPrize; winners: number; condition: LuckyBagCondition; minutes: number },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const room = await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, roomId);
    if (room.status !== 'live') throw conflict('ROOM_NOT_LIVE', 'Lucky bags run during a live show');
    // Whatever the prize's kind, every id it names is the shop's own: it is stored and shown.
    const { couponId, productId } = input.prize;
    if (input.prize.kind === 'coupon' && !couponId) throw badRequest('PRIZE_INVALID', "Name the shop's coupon");
    if (couponId) await this.ctx.services.coupons.requireOwnTemplate(this.ctx.db, merchantId, couponId);
    if (productId) await this.ctx.services.catalog.requireOwnProducts(this.ctx.db, merchantId, [productId]);
    if (input.condition.kind === 'comment' && !input.condition.keyword.trim())
      throw badRequest('CONDITION_INVALID', 'Give the keyword to comment');
    const seed = crypto.randomBytes(32).toString('hex');
    const drawAt = new Date(Date.now() + input.minutes * 60_000);
    const id = await transact(this.ctx.db, async (trx) => {
      const bag = await trx
        .insertInto('lucky_bags')
        .values({
          room_id: roomId,
          merchant_id: merchantId,
          title: input.title,
          prize: JSON.stringify(input.prize),
          winners_count: input.winners,
          condition: JSON.stringify(input.condition),
          seed_hash: sha256(seed),
          seed,
          draw_at: drawAt,
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.ctx.jobs.schedule(trx, {
        type: 'interaction.lucky_bag_draw',
        payload: { bagId: bag.id },
        runAt: drawAt,
        uniqueKey: `lucky-bag:${bag.id}`,
      });
      return bag.id;
    });
    const view = await this.view(id);
    await this.ctx.services.realtime.publishToRoom(
      roomId,
      { type: 'luckybag.started', data: view },
      { kind: 'commerce' },
    );
    return view;
  }

  async view(bagId: number, db: Db = this.ctx.db) {
    const b = await db.selectFrom('lucky_bags').selectAll().where('id', '=', bagId).executeTakeFirst();
    if (!b) throw notFound('Lucky bag', 'LUCKY_BAG_NOT_FOUND');
    const entrants = await db
      .selectFrom('lucky_bag_entries')
      .select('user_id')
      .where('bag_id', '=', bagId)
      .orderBy('user_id')
      .execute();
    const winnerRows = await db
      .selectFrom('lucky_bag_winners')
      .select(['user_id', 'rank'])
      .where('bag_id', '=', bagId)
      .orderBy('rank')
      .execute();
    const names = await this.ctx.services.directory.nicknames(
      winnerRows.map((w) => w.user_id),
      db,
    );
    const winners = winnerRows
      .filter((w) => names.has(w.user_id))
      .map((w) => ({ ...w, nickname: names.get(w.user_id)! }));
    const drawn = b.status === 'drawn';
    return {
      bagId: b.id,
      roomId: b.room_id,
      title: b.title,
      prize: b.prize,
      winnersCount: b.winners_count,
      condition: b.condition,
      status: b.status,
      drawAt: new Date(b.draw_at),
      seedHash: b.seed_hash,
      seed: drawn ? b.seed : null,
      entrants: entrants.length,
      entrantIds: drawn ? entrants.map((e) => e.user_id) : [],
      winners: winners.map((w) => ({ userId: w.user_id, rank: w.rank, nickname: w.nickname })),
      algorithm: DRAW_ALGORITHM,
    };
  }

  /** A bag as a viewer of its room sees it (GET /api/lucky-bags/:bagId). */
  async viewAsViewer(bagId: number, viewer: ViewerRequest) {
    await requireRoomViewer(this.ctx, await this.roomOf(bagId), viewer, bagNotFound);
    return this.view(bagId);
  }

  /** A viewer of the bag's room enters it (POST /api/lucky-bags/:bagId/enter). */
  async enterAsViewer(actor: Actor, bagId: number, invite: string | undefined) {
    await requireRoomViewer(this.ctx, await this.roomOf(bagId), { actor, invite }, bagNotFound);
    return this.enter(actor.userId, bagId);
  }

  private async roomOf(bagId: number): Promise<number> {
    const b = await this.ctx.db.selectFrom('lucky_bags').select('room_id').where('id', '=', bagId).executeTakeFirst();
    if (!b) throw bagNotFound();
    return b.room_id;
  }

  /** Enter if the condition is met (comment entries also happen automatically from chat). */
  async enter(userId: number, bagId: number, db: Db = this.ctx.db) {
    const b = await db.selectFrom('lucky_bags').selectAll().where('id', '=', bagId).executeTakeFirst();
    if (!b) throw notFound('Lucky bag', 'LUCKY_BAG_NOT_FOUND');
    if (b.status !== 'open' || new Date(b.draw_at).getTime() <= Date.now())
      throw conflict('LUCKY_BAG_CLOSED', 'This lucky bag is closed');
    const c = b.condition;
    if (c.kind === 'follow' && !(await this.ctx.services.social.isFollowing(userId, b.merchant_id)))
      throw new AppError(409, 'CONDITION_NOT_MET', 'Follow the shop to enter');
    if (c.kind === 'watch') {
      const seen = Number((await this.ctx.cache.get(firstSeenKey(b.room_id, userId))) ?? 0);
      if (!seen || Date.now() - seen < c.minutes * 60_000)
        throw new AppError(409, 'CONDITION_NOT_MET', `Watch for ${c.minutes} minutes to enter`);
    }
    // Sharing is enough (no visit through it needed): the friend may open it after the countdown.
    // Growth answers from its own tables; a share made before the bag counts once shared again.
    if (c.kind === 'share_room' && !(await this.ctx.services.growth.hasSharedRoom(userId, b.room_id, b.created_at)))
      throw new AppError(409, 'CONDITION_NOT_MET', 'Share the live room to enter');
    if (c.kind === 'comment') {
      const said = await db
        .selectFrom('chat_messages')
        .select('id')
        .where('room_id', '=', b.room_id)
        .where('user_id', '=', userId)
        .where('status', 'in', ['visible', 'held'])
        .where('created_at', '>=', b.created_at)
        .where('original_text', 'like', `%${c.keyword.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)
        .limit(1)
        .executeTakeFirst();
      if (!said) throw new AppError(409, 'CONDITION_NOT_MET', `Send "${c.keyword}" in the chat to enter`);
    }
    await db
      .insertInto('lucky_bag_entries')
      .values({ bag_id: bagId, user_id: userId })
      .onConflict((oc) => oc.columns(['bag_id', 'user_id']).doNothing())
      .execute();
    return { entered: true };
  }

  /** Chat hook: a message with an open bag's keyword enters its sender. */
  async onChat(roomId: number, userId: number, text: string) {
    const bags = await this.ctx.db
      .selectFrom('lucky_bags')
      .select(['id', 'condition'])
      .where('room_id', '=', roomId)
      .where('status', '=', 'open')
      .where('draw_at', '>', new Date())
      .execute();
    for (const b of bags)
      if (b.condition.kind === 'comment' && text.includes(b.condition.keyword))
        await this.enter(userId, b.id).catch(() => undefined);
  }

  /** Remember when a viewer first joined a room (for "watch N minutes"). */
  async onJoin(roomId: number, userId: number) {
    await this.ctx.cache.set(firstSeenKey(roomId, userId), String(Date.now()), { nx: true, ttlMs: 24 * 3600_000 });
  }

  /** The durable draw job. Idempotent: a drawn bag is left as it is. */
  async draw(db: Db, bagId: number): Promise<void> {
    const b = await db.selectFrom('lucky_bags').selectAll().where('id', '=', bagId).forUpdate().executeTakeFirst();
    if (b?.status !== 'open') return;
    const entrants = (
      await db.selectFrom('lucky_bag_entries').select('user_id').where('bag_id', '=', bagId).execute()
    ).map((e) => e.user_id);
    const winners = drawWinners(b.seed, entrants, b.winners_count);
    for (const [rank, userId] of winners.entries()) {
      await db
        .insertInto('lucky_bag_winners')
        .values({ bag_id: bagId, user_id: userId, rank: rank + 1, prize: JSON.stringify(b.prize) })
        .execute();
      if (b.prize.kind === 'coupon' && b.prize.couponId) {
        await this.ctx.services.coupons
          .claim(db, userId, b.prize.couponId, { channel: 'lucky_bag', ref: `bag:${bagId}` })
          .catch((err: unknown) => this.ctx.log.warn({ err, bagId, userId }, 'lucky-bag coupon prize not granted'));
      }
    }
    await db.updateTable('lucky_bags').set({ status: 'drawn', drawn_at: sql`now()` }).where('id', '=', bagId).execute();
    await this.ctx.events.emit(db, {
      type: 'lucky_bag.drawn',
      aggregateType: 'lucky_bag',
      aggregateId: bagId,
      payload: { bagId, roomId: b.room_id, merchantId: b.merchant_id, winners },
    });
  }

  register(): void {
    this.ctx.jobs.register<{ bagId: number }>({
      type: 'interaction.lucky_bag_draw',
      run: async (job, db) => {
        await this.draw(db, job.payload.bagId);
      },
    });
    // After the draw commits: tell the room (seed revealed) and each winner. The pub/sub fan-out is
    // network work, so the handler books a job for it (one per bag, however often the event comes).
    this.ctx.events.subscribe({
      name: 'interaction.lucky_bag_announce',
      events: ['lucky_bag.drawn'],
      handle: async (e, db) => {
        const { bagId, roomId, winners } = e.payload;
        await this.ctx.jobs.schedule<Announce>(db, {
          type: ANNOUNCE_JOB,
          payload: { bagId, roomId, winners },
          uniqueKey: `lucky-bag-announce:${bagId}`,
        });
      },
    });
    this.ctx.jobs.register<Announce>({
      type: ANNOUNCE_JOB,
      transactional: false,
      run: async ({ payload: { bagId, roomId, winners } }) => {
        const view = await this.view(bagId);
        const rt = this.ctx.services.realtime;
        await rt.publishToRoom(roomId, { type: 'luckybag.drawn', data: view }, { kind: 'commerce' });
        const won = { bagId: view.bagId, title: view.title, prize: view.prize };
        await rt.publishToUsers(roomId, winners, { type: 'luckybag.won', data: won });
      },
    });
  }
}

const ANNOUNCE_JOB = 'interaction.announce_lucky_bag';
interface Announce {
  bagId: number;
  roomId: number;
  winners: number[];
}
