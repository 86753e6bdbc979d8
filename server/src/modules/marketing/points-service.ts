// Points (积分): a balance with a ledger. Earned when an order completes (at the configured rate),
// taken back when it is refunded so that what remains is what the kept amount earns, spent at
// checkout, returned if that order is cancelled, and returned in proportion to the goods refunded.
// Every change is one ledger row, unique per (reason, ref): replays change nothing. Refund amounts
// are cumulative targets, so redelivered or reordered refund events cannot over- or under-return.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { conflict } from '../../platform/errors.ts';
import { earnedPointsToReverse, pointsEarned, pointsUsedToReturn, type PointsPolicy } from './rules/points.ts';
import { pointsBooksCheck } from './points-reconcile.ts';
import './tables.ts';

/** What order.refunded says about the order after the refund (orders/refunds.ts). */
interface RefundFigures {
  orderId: number;
  userId: number;
  totalFen: number;
  refundedFen: number;
  pointsUsed: number;
  goodsPaidFen: number;
  goodsRefundedFen: number;
}

export class PointsService {
  readonly policy: PointsPolicy;
  constructor(private readonly ctx: AppContext) {
    this.policy = {
      earnPerYuan: ctx.config.pointsEarnPerYuan,
      pointsPerYuan: ctx.config.pointsPerYuan,
      maxShareBp: ctx.config.pointsMaxShareBp,
    };
  }

  async balance(db: Db, userId: number): Promise<number> {
    const r = await db.selectFrom('points_accounts').select('balance').where('user_id', '=', userId).executeTakeFirst();
    return r?.balance ?? 0;
  }

  /** Balances of these users (0 for one without an account), by user id. */
  async balances(userIds: readonly number[], db: Db = this.ctx.db): Promise<Map<number, number>> {
    const out = new Map(userIds.map((id) => [id, 0]));
    if (userIds.length === 0) return out;
    const rows = await db
      .selectFrom('points_accounts')
      .select(['user_id', 'balance'])
      .where('user_id', 'in', [...new Set(userIds)])
      .execute();
    for (const r of rows) out.set(r.user_id, r.balance);
    return out;
  }

  /** Apply a change once: false when this (reason, ref) was already applied. */
  private async change(db: Db, userId: number, delta: number, reason: string, ref: string): Promise<boolean> {
    // One change per (reason, ref) at a time (the ledger's unique key, across users): without the
    // lock two at once both find no row, and the second fails on the key with a 500.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`points:${reason}:${ref}`}, 0))`.execute(db);
    const seen = await db
      .selectFrom('points_ledger')
      .select('id')
      .where('reason', '=', reason)
      .where('ref', '=', ref)
      .executeTakeFirst();
    if (seen || delta === 0) return false;
    await db
      .insertInto('points_accounts')
      .values({ user_id: userId })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    const acc = await db
      .updateTable('points_accounts')
      .set({ balance: sql`balance + ${delta}`, updated_at: sql`now()` })
      .where('user_id', '=', userId)
      .where(sql<boolean>`balance + ${delta} >= 0`)
      .returning('balance')
      .executeTakeFirst();
    if (!acc) throw conflict('POINTS_INSUFFICIENT', 'Not enough points');
    await db
      .insertInto('points_ledger')
      .values({ user_id: userId, delta, balance_after: acc.balance, reason, ref })
      .execute();
    return true;
  }

  spend(db: Db, userId: number, points: number, ref: string) {
    return this.change(db, userId, -points, 'spent', ref);
  }

  /** Operator corrections and promotional grants; `ref` makes the grant happen once. */
  adjust(db: Db, userId: number, delta: number, ref: string) {
    return this.change(db, userId, delta, 'adjusted', ref);
  }

  async ledger(userId: number) {
    const [balance, rows] = await Promise.all([
      this.balance(this.ctx.db, userId),
      this.ctx.db
        .selectFrom('points_ledger')
        .select(['id', 'delta', 'balance_after', 'reason', 'ref', 'created_at'])
        .where('user_id', '=', userId)
        .orderBy('id', 'desc')
        .limit(100)
        .execute(),
    ]);
    return {
      balance,
      policy: this.policy,
      entries: rows.map((r) => ({
        id: r.id,
        delta: r.delta,
        balanceAfter: r.balance_after,
        reason: r.reason,
        ref: r.ref,
        at: r.created_at,
      })),
    };
  }

  private async lockAccount(db: Db, userId: number): Promise<void> {
    await db
      .insertInto('points_accounts')
      .values({ user_id: userId })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    await db.selectFrom('points_accounts').select('user_id').where('user_id', '=', userId).forUpdate().execute();
  }

  /** Σ delta of one reason for an order: its own row (`order:12`) and its per-refund rows (`order:12:…`). */
  private async sumFor(db: Db, reason: string, orderRef: string): Promise<number> {
    const r = await db
      .selectFrom('points_ledger')
      .select(sql<number>`coalesce(sum(delta), 0)`.as('n'))
      .where('reason', '=', reason)
      .where((eb) => eb.or([eb('ref', '=', orderRef), eb('ref', 'like', `${orderRef}:%`)]))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The refund event carries its figures (cumulative at the time); events written before it did are read from the order. */
  private async refundFigures(db: Db, p: Partial<RefundFigures> & { orderId: number }): Promise<RefundFigures | null> {
    if (p.goodsPaidFen !== undefined && p.userId !== undefined) return p as RefundFigures;
    return this.ctx.services.orderQueries.pointsBasis(db, p.orderId);
  }

  /** Event handlers, and the points books' reconciliation check (points-reconcile.ts). */
  subscribe(): void {
    const { events } = this.ctx;
    this.ctx.reconcile.register(pointsBooksCheck);
    events.subscribe({
      name: 'marketing.points_on_completed',
      events: ['order.completed'],
      handle: async (e, db) => {
        // The account lock first, then what was kept: a refund handled at the same time either
        // sees this grant and takes its share back, or finished before and is counted here.
        if (e.payload.userId !== undefined) await this.lockAccount(db, e.payload.userId);
        const o = await this.ctx.services.orderQueries.pointsBasis(db, e.payload.orderId);
        if (!o) return;
        await this.change(
          db,
          o.userId,
          pointsEarned(o.totalFen - o.refundedFen, this.policy),
          'earned',
          `order:${e.payload.orderId}`,
        );
      },
    });
    events.subscribe({
      name: 'marketing.points_on_refund',
      events: ['order.refunded'],
      handle: async (e, db) => {
        const f = await this.refundFigures(db, e.payload);
        if (!f) return;
        // Two refunds of one order handled at once (two nodes) must see each other's rows.
        await this.lockAccount(db, f.userId);
        const ref = `order:${f.orderId}`;
        const stepRef = `${ref}:refund:${e.payload.refundId}`;
        const earned = await db
          .selectFrom('points_ledger')
          .select('delta')
          .where('reason', '=', 'earned')
          .where('ref', '=', ref)
          .executeTakeFirst();
        if (earned) {
          const take = earnedPointsToReverse(
            earned.delta,
            -(await this.sumFor(db, 'reversed', ref)),
            f.totalFen - f.refundedFen,
            this.policy,
          );
          // Points already spent elsewhere cannot go below zero: take what is there.
          await this.change(db, f.userId, -Math.min(take, await this.balance(db, f.userId)), 'reversed', stepRef);
        }
        const give = pointsUsedToReturn(
          f.pointsUsed,
          f.goodsPaidFen,
          f.goodsRefundedFen,
          await this.sumFor(db, 'returned', ref),
        );
        await this.change(db, f.userId, give, 'returned', stepRef);
      },
    });
    events.subscribe({
      name: 'marketing.on_order_cancelled',
      events: ['order.cancelled'],
      handle: async (e, db) => {
        // The event carries the points the order used; rows written before it did ask the order.
        const stored: Partial<typeof e.payload> = e.payload;
        const used =
          stored.pointsUsed ??
          (await this.ctx.services.orderQueries.pointsBasis(db, e.payload.orderId))?.pointsUsed ??
          0;
        if (used > 0) await this.change(db, e.payload.userId, used, 'returned', `order:${e.payload.orderId}`);
        await this.ctx.services.coupons.returnForOrder(db, e.payload.orderId);
      },
    });
  }
}
