// Binding (绑定): a customer who arrives through an approved promoter's share (any share they made,
// the promoter link included) is bound to that promoter for the shop's period; first binding wins,
// or the last, as the shop chooses. The touch's own time decides, so late-linked touches are fair.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { DomainEvents } from '../../platform/events/catalogue.ts';
import { bindingDecision } from './rules.ts';
import './tables.ts';

type Touch = DomainEvents['share.touched'];
export type BindOutcome = 'bound' | 'refreshed' | 'kept' | 'ignored';

const DAY_MS = 86_400_000;

export class BindingService {
  constructor(private readonly ctx: AppContext) {}

  /** share.touched: bind the visitor when the sharer is an approved promoter of the shop. Runs in the handler's transaction. */
  async onShareTouched(db: Db, t: Touch): Promise<BindOutcome> {
    if (t.sharerUserId === null || t.sharerUserId === t.visitorUserId) return 'ignored';
    const settings = await this.ctx.services.distributionSettings.settingsOf(db, t.merchantId);
    if (!settings.enabled) return 'ignored';
    const promoters = this.ctx.services.promoters;
    const promoter = await promoters.promoterOf(db, t.merchantId, t.sharerUserId);
    if (promoter?.status !== 'approved') return 'ignored';
    // A promoter of the shop earns on their own orders by the self-purchase rule, never through another.
    const visitorAsPromoter = await promoters.promoterOf(db, t.merchantId, t.visitorUserId);
    if (visitorAsPromoter?.status === 'approved') return 'ignored';
    const at = new Date(t.occurredAt);
    const expiresAt = new Date(at.getTime() + settings.bindingDays * DAY_MS);
    await sql`select pg_advisory_xact_lock(hashtextextended(${`distribution:bind:${t.merchantId}:${t.visitorUserId}`}, 0))`.execute(
      db,
    );
    const existing = await db
      .selectFrom('distribution_bindings')
      .selectAll()
      .where('merchant_id', '=', t.merchantId)
      .where('customer_user_id', '=', t.visitorUserId)
      .forUpdate()
      .executeTakeFirst();
    const decision = bindingDecision(
      existing && {
        promoterId: existing.promoter_id,
        boundAt: new Date(existing.bound_at),
        expiresAt: new Date(existing.expires_at),
      },
      promoter.id,
      at,
      settings.bindingMode,
    );
    if (decision === 'keep') return 'kept';
    if (decision === 'refresh') {
      // The period runs from the latest touch; an older touch never shortens it.
      await db
        .updateTable('distribution_bindings')
        .set({ expires_at: sql`greatest(expires_at, ${expiresAt})` })
        .where('merchant_id', '=', t.merchantId)
        .where('customer_user_id', '=', t.visitorUserId)
        .execute();
      return 'refreshed';
    }
    const row = {
      promoter_id: promoter.id,
      share_id: t.shareId,
      bound_at: at,
      expires_at: expiresAt,
    };
    await db
      .insertInto('distribution_bindings')
      .values({ merchant_id: t.merchantId, customer_user_id: t.visitorUserId, ...row })
      .onConflict((oc) => oc.columns(['merchant_id', 'customer_user_id']).doUpdateSet(row))
      .execute();
    return 'bound';
  }

  /** The promoter the customer is bound to at `at` (bound then and not expired), or null. */
  async boundPromoterAt(db: Db, merchantId: number, customerUserId: number, at: Date): Promise<number | null> {
    const r = await db
      .selectFrom('distribution_bindings')
      .select('promoter_id')
      .where('merchant_id', '=', merchantId)
      .where('customer_user_id', '=', customerUserId)
      .where('bound_at', '<=', at)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return r?.promoter_id ?? null;
  }

  /** The promoter's customers (bindings), newest first, with whether each is still bound. */
  async customersOf(promoterId: number, page: number, pageSize: number) {
    const db = this.ctx.db;
    const q = db.selectFrom('distribution_bindings').where('promoter_id', '=', promoterId);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('bound_at', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    const names = await this.ctx.services.directory.nicknames(rows.map((r) => r.customer_user_id));
    const now = Date.now();
    return {
      items: rows.map((r) => ({
        userId: r.customer_user_id,
        nickname: names.get(r.customer_user_id) ?? '',
        boundAt: r.bound_at,
        expiresAt: r.expires_at,
        active: new Date(r.expires_at).getTime() > now,
      })),
      total: Number(count.n),
      page,
      pageSize,
    };
  }
}
