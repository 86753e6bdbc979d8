// Points (积分): a balance with a ledger. Earned when an order completes (at the configured rate),
// taken back in proportion when it is refunded, spent at checkout and returned if that order is
// cancelled. Every change is one ledger row, unique per (reason, ref): replays change nothing.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { conflict } from '../../platform/errors.ts';
import { pointsEarned, pointsToReverse, type PointsPolicy } from './rules/points.ts';
import './tables.ts';

export class PointsService {
  readonly policy: PointsPolicy;
  constructor(private readonly ctx: AppContext) {
    this.policy = { earnPerYuan: ctx.config.pointsEarnPerYuan, pointsPerYuan: ctx.config.pointsPerYuan, maxShareBp: ctx.config.pointsMaxShareBp };
  }

  async balance(db: Db, userId: number): Promise<number> {
    const r = await db.selectFrom('points_accounts').select('balance').where('user_id', '=', userId).executeTakeFirst();
    return r?.balance ?? 0;
  }

  /** Apply a change once: false when this (reason, ref) was already applied. */
  private async change(db: Db, userId: number, delta: number, reason: string, ref: string): Promise<boolean> {
    const seen = await db.selectFrom('points_ledger').select('id').where('reason', '=', reason).where('ref', '=', ref).executeTakeFirst();
    if (seen || delta === 0) return false;
    await db.insertInto('points_accounts').values({ user_id: userId }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
    const acc = await db.updateTable('points_accounts').set({ balance: sql`balance + ${delta}`, updated_at: sql`now()` })
      .where('user_id', '=', userId).where(sql<boolean>`balance + ${delta} >= 0`).returning('balance').executeTakeFirst();
    if (!acc) throw conflict('POINTS_INSUFFICIENT', 'Not enough points');
    await db.insertInto('points_ledger').values({ user_id: userId, delta, balance_after: acc.balance, reason, ref }).execute();
    return true;
  }

  spend(db: Db, userId: number, points: number, ref: string) { return this.change(db, userId, -points, 'spent', ref); }

  /** Operator corrections and promotional grants; `ref` makes the grant happen once. */
  adjust(db: Db, userId: number, delta: number, ref: string) { return this.change(db, userId, delta, 'adjusted', ref); }

  async ledger(userId: number) {
    const [balance, rows] = await Promise.all([
      this.balance(this.ctx.db, userId),
      this.ctx.db.selectFrom('points_ledger').select(['id', 'delta', 'balance_after', 'reason', 'ref', 'created_at']).where('user_id', '=', userId).orderBy('id', 'desc').limit(100).execute(),
    ]);
    return { balance, policy: this.policy, entries: rows.map((r) => ({ id: r.id, delta: r.delta, balanceAfter: r.balance_after, reason: r.reason, ref: r.ref, at: r.created_at })) };
  }

  subscribe(): void {
    const { events } = this.ctx;
    events.subscribe<{ orderId: number; userId: number }>({
      name: 'marketing.points_on_completed', events: ['order.completed'],
      handle: async (e, db) => {
        const o = await db.selectFrom('orders').select(['user_id', 'total_fen', 'refunded_fen']).where('id', '=', e.payload.orderId).executeTakeFirst();
        if (!o) return;
        await this.change(db, o.user_id, pointsEarned(o.total_fen - o.refunded_fen, this.policy), 'earned', `order:${e.payload.orderId}`);
      },
    });
    events.subscribe<{ orderId: number; refundId: number }>({
      name: 'marketing.points_on_refund', events: ['order.refunded'],
      handle: async (e, db) => {
        const o = await db.selectFrom('orders').select(['user_id', 'total_fen', 'refunded_fen', 'points_used']).where('id', '=', e.payload.orderId).executeTakeFirst();
        if (!o) return;
        const ref = `order:${e.payload.orderId}`;
        const earned = await db.selectFrom('points_ledger').select('delta').where('reason', '=', 'earned').where('ref', '=', ref).executeTakeFirst();
        if (earned) {
          const reversed = await db.selectFrom('points_ledger').select(sql<number>`coalesce(-sum(delta), 0)`.as('n')).where('reason', '=', 'reversed').where('ref', 'like', `${ref}:%`).executeTakeFirstOrThrow();
          const take = pointsToReverse(earned.delta, o.total_fen, o.refunded_fen, Number(reversed.n));
          const bal = await this.balance(db, o.user_id);
          // Points already spent elsewhere cannot go below zero: take what is there.
          await this.change(db, o.user_id, -Math.min(take, bal), 'reversed', `${ref}:refund:${e.payload.refundId}`);
        }
        // Points paid with are given back when the whole order is refunded.
        if (o.points_used > 0 && o.refunded_fen >= o.total_fen) await this.change(db, o.user_id, o.points_used, 'returned', ref);
      },
    });
    events.subscribe<{ orderId: number }>({
      name: 'marketing.on_order_cancelled', events: ['order.cancelled'],
      handle: async (e, db) => {
        const o = await db.selectFrom('orders').select(['user_id', 'points_used']).where('id', '=', e.payload.orderId).executeTakeFirst();
        if (o && o.points_used > 0) await this.change(db, o.user_id, o.points_used, 'returned', `order:${e.payload.orderId}`);
        await this.ctx.services.coupons.returnForOrder(db, e.payload.orderId);
      },
    });
  }
}
