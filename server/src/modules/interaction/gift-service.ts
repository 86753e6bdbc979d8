// Gifts: a catalog, a coin wallet per user with a ledger, top-ups paid through the payments module
// (credited once when `payment.succeeded` arrives, however often), and sending a gift: one
// conditional debit (never below zero), a ledger row, the send (idempotent per client ref) and the
// earnings split between the shop and the platform (commission), all in one transaction.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { Conn } from '../realtime/connection.ts';
import { getLiveRoom } from '../realtime/rooms.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

/** 1 coin = 10 fen (¥1 = 10 coins), the usual rate in Chinese live apps. */
export const FEN_PER_COIN = 10;

export class GiftService {
  constructor(private readonly ctx: AppContext) {}

  catalog() {
    return this.ctx.db
      .selectFrom('gifts')
      .select(['id', 'name', 'icon_url', 'price_coins', 'effect'])
      .where('enabled', '=', true)
      .orderBy('sort')
      .orderBy('price_coins')
      .execute()
      .then((rows) =>
        rows.map((g) => ({ id: g.id, name: g.name, iconUrl: g.icon_url, priceCoins: g.price_coins, effect: g.effect })),
      );
  }

  async wallet(userId: number) {
    const w = await this.ctx.db
      .selectFrom('coin_wallets')
      .select('balance')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const ledger = await this.ctx.db
      .selectFrom('coin_ledger')
      .select(['id', 'delta', 'balance_after', 'reason', 'ref', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return {
      balance: w?.balance ?? 0,
      fenPerCoin: FEN_PER_COIN,
      ledger: ledger.map((l) => ({
        id: l.id,
        delta: l.delta,
        balanceAfter: l.balance_after,
        reason: l.reason,
        ref: l.ref,
        at: l.created_at,
      })),
    };
  }

  private async change(db: Db, userId: number, delta: number, reason: string, ref: string): Promise<number> {
    await db
      .insertInto('coin_wallets')
      .values({ user_id: userId })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    const w = await db
      .updateTable('coin_wallets')
      .set({ balance: sql`balance + ${delta}`, updated_at: sql`now()` })
      .where('user_id', '=', userId)
      .where(sql<boolean>`balance + ${delta} >= 0`)
      .returning('balance')
      .executeTakeFirst();
    if (!w) throw new AppError(409, 'INSUFFICIENT_COINS', 'Not enough coins; top up first');
    await db
      .insertInto('coin_ledger')
      .values({ user_id: userId, delta, balance_after: w.balance, reason, ref })
      .execute();
    return w.balance;
  }

  async topup(userId: number, coins: number) {
    return transact(this.ctx.db, async (trx) => {
      const t = await trx
        .insertInto('coin_topups')
        .values({ user_id: userId, coins, amount_fen: coins * FEN_PER_COIN })
        .returning('id')
        .executeTakeFirstOrThrow();
      const p = await this.ctx.services.payments.createPayment(trx, {
        userId,
        amountFen: coins * FEN_PER_COIN,
        subject: `充值 ${coins} 钻`,
        bizType: 'coin_topup',
        bizId: String(t.id),
        merchantId: null,
      });
      await trx.updateTable('coin_topups').set({ payment_id: p.paymentId }).where('id', '=', t.id).execute();
      return {
        topupId: t.id,
        coins,
        amountFen: coins * FEN_PER_COIN,
        paymentNo: p.paymentNo,
        cashierUrl: p.cashierUrl,
      };
    });
  }

  /** The `gift` frame: send `quantity` of a gift to the room's anchor. */
  async send(conn: Conn, data: Record<string, unknown>) {
    if (!conn.user) throw new AppError(401, 'AUTH_REQUIRED', 'Sign in to send gifts');
    if (conn.roomId === null) throw badRequest('NOT_IN_ROOM', 'Join a room first');
    const giftId = Number(data.giftId);
    const quantity = Math.floor(Number(data.quantity ?? 1));
    const ref = typeof data.ref === 'string' ? data.ref.slice(0, 64) : '';
    if (!Number.isSafeInteger(giftId) || giftId <= 0 || !(quantity >= 1 && quantity <= 9999) || !ref)
      throw badRequest('VALIDATION_FAILED', 'gift needs giftId, quantity 1–9999 and a ref');
    const room = await getLiveRoom(this.ctx, conn.roomId);
    if (room?.status !== 'live') throw conflict('ROOM_NOT_LIVE', 'Gifts go to live shows');
    const userId = conn.user.userId;
    const sent = await transact(this.ctx.db, async (trx) => {
      const again = await trx
        .selectFrom('gift_sends')
        .select(['id', 'coins'])
        .where('sender_id', '=', userId)
        .where('client_ref', '=', ref)
        .executeTakeFirst();
      if (again)
        return {
          id: again.id,
          coins: again.coins,
          replay: true,
          balance: (
            await trx
              .selectFrom('coin_wallets')
              .select('balance')
              .where('user_id', '=', userId)
              .executeTakeFirstOrThrow()
          ).balance,
          gift: null,
        };
      const gift = await trx
        .selectFrom('gifts')
        .selectAll()
        .where('id', '=', giftId)
        .where('enabled', '=', true)
        .executeTakeFirst();
      if (!gift) throw notFound('Gift', 'GIFT_NOT_FOUND');
      const coins = gift.price_coins * quantity;
      const s = await trx
        .insertInto('gift_sends')
        .values({
          room_id: room.id,
          merchant_id: room.merchantId,
          anchor_user_id: room.anchorUserId,
          sender_id: userId,
          gift_id: giftId,
          quantity,
          coins,
          client_ref: ref,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const balance = await this.change(trx, userId, -coins, 'gift', String(s.id));
      const merchant = await this.ctx.services.directory.merchantBrief(room.merchantId, trx);
      if (!merchant) throw new Error(`merchant ${room.merchantId} of room ${room.id} is missing`);
      const gross = coins * FEN_PER_COIN;
      const platform = Math.floor((gross * merchant.commissionRateBp) / 10_000);
      await trx
        .insertInto('gift_earnings')
        .values({
          gift_send_id: s.id,
          merchant_id: room.merchantId,
          anchor_user_id: room.anchorUserId,
          room_id: room.id,
          gross_fen: gross,
          merchant_fen: gross - platform,
          platform_fen: platform,
        })
        .execute();
      return { id: s.id, coins, replay: false, balance, gift };
    });
    if (sent.gift) {
      await this.ctx.services.realtime.publishToRoom(
        room.id,
        {
          type: 'gift',
          data: {
            sendId: sent.id,
            userId,
            nickname: conn.user.nickname,
            giftId,
            name: sent.gift.name,
            iconUrl: sent.gift.icon_url,
            quantity,
            effect: sent.gift.effect,
          },
        },
        { kind: 'commerce' },
      );
    }
    return { sendId: sent.id, coins: sent.coins, balance: sent.balance, replay: sent.replay };
  }

  async earnings(merchantId: number) {
    const r = await this.ctx.db
      .selectFrom('gift_earnings')
      .select([
        sql<number>`coalesce(sum(gross_fen), 0)`.as('gross'),
        sql<number>`coalesce(sum(merchant_fen), 0)`.as('merchant'),
        sql<number>`coalesce(sum(platform_fen), 0)`.as('platform'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow();
    return {
      gifts: Number(r.n),
      grossFen: Number(r.gross),
      merchantFen: Number(r.merchant),
      platformFen: Number(r.platform),
    };
  }

  register(): void {
    this.ctx.events.subscribe({
      name: 'interaction.topup_on_paid',
      events: ['payment.succeeded'],
      handle: async (e, db) => {
        if (e.payload.bizType !== 'coin_topup') return;
        const t = await db
          .updateTable('coin_topups')
          .set({ status: 'credited', credited_at: sql`now()` })
          .where('id', '=', Number(e.payload.bizId))
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (t) await this.change(db, t.user_id, t.coins, 'topup', String(t.id));
      },
    });
  }

  async seed(): Promise<void> {
    const have = await this.ctx.db.selectFrom('gifts').select('id').limit(1).executeTakeFirst();
    if (have) return;
    await this.ctx.db
      .insertInto('gifts')
      .values([
        { name: '小心心', price_coins: 1, effect: 'float', sort: 1 },
        { name: '玫瑰', price_coins: 10, effect: 'float', sort: 2 },
        { name: '棒棒糖', price_coins: 52, effect: 'banner', sort: 3 },
        { name: '嘉年华', price_coins: 3000, effect: 'fullscreen', sort: 4 },
      ])
      .execute();
  }
}
