// A shop's RFM thresholds (member_rfm_settings), with the defaults when it never changed them.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { badRequest } from '../../platform/errors.ts';
import { DEFAULT_RFM, type RfmThresholds } from './rfm.ts';
import './tables.ts';

export class RfmSettings {
  constructor(private readonly ctx: AppContext) {}

  /** The thresholds in force for the shop (no role check: callers have made theirs). */
  async of(merchantId: number): Promise<RfmThresholds> {
    const row = await this.ctx.db
      .selectFrom('member_rfm_settings')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    return row
      ? {
          activeDays: row.active_days,
          lapsedDays: row.lapsed_days,
          loyalOrders: row.loyal_orders,
          bigSpendFen: row.big_spend_fen,
        }
      : { ...DEFAULT_RFM };
  }

  async get(actor: Actor, merchantId: number): Promise<RfmThresholds & { timeZone: string }> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return { ...(await this.of(merchantId)), timeZone: this.ctx.config.analytics.timeZone };
  }

  async set(actor: Actor, merchantId: number, t: RfmThresholds): Promise<RfmThresholds & { timeZone: string }> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner']);
    if (t.lapsedDays <= t.activeDays)
      throw badRequest('RFM_LAPSED_BEFORE_ACTIVE', 'The lapsed period must be longer than the recent one');
    const values = {
      active_days: t.activeDays,
      lapsed_days: t.lapsedDays,
      loyal_orders: t.loyalOrders,
      big_spend_fen: t.bigSpendFen,
    };
    await this.ctx.db
      .insertInto('member_rfm_settings')
      .values({ merchant_id: merchantId, ...values })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
    return this.get(actor, merchantId);
  }
}
