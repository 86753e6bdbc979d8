// Order promotions a shop runs for a time: full-reduction / full-discount tiers (满减/满折),
// limited-time discounts (限时折扣) and new-user prices (新人价). Pricing is in pricing-steps.ts.
import type { Actor } from '../../platform/auth/access.ts';
import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { type NearCache, nodeNearCache } from '../../platform/cache/near-cache.ts';
import type { Database } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { PromotionKind } from './tables.ts';
import './tables.ts';

export type PromotionRow = Selectable<Database['promotions']>;

/** A copy missed by a lost pub/sub message (a Redis reconnect) lives at most this long. */
const SHOWN_TTL_MS = 5_000;

export interface PromotionInput {
  kind: PromotionKind;
  title: string;
  terms: Record<string, unknown>;
  startsAt: string;
  endsAt: string;
}

export class PromotionService {
  /** Each shop's active promotions that have not ended, as this node keeps them for quotes (see shownActive). */
  private readonly shown: NearCache<number, PromotionRow[]>;

  constructor(private readonly ctx: AppContext) {
    this.shown = nodeNearCache(ctx, {
      name: 'marketing:promotions',
      ttlMs: SHOWN_TTL_MS,
      max: 10_000,
      what: 'promotions',
    });
  }
  start = () => this.shown.start();
  stop = () => this.shown.stop();

  /**
   * The promotions running at `now` in these shops, as a quote shows them: from this node's copy (no query when
   * warm; dropped on every node when the shop creates one or changes its status). Placement reads the rows.
   */
  async shownActive(merchantIds: number[], now: Date): Promise<PromotionRow[]> {
    const byShop = await this.shown.getMany(merchantIds, async (missing) => {
      const rows = await this.ctx.db
        .selectFrom('promotions')
        .selectAll()
        .where('status', '=', 'active')
        .where('merchant_id', 'in', missing)
        .where('ends_at', '>', new Date())
        .execute();
      return new Map(missing.map((m) => [m, rows.filter((r) => r.merchant_id === m)]));
    });
    const at = now.getTime();
    return [...byShop.values()]
      .flat()
      .filter((r) => new Date(r.starts_at).getTime() <= at && new Date(r.ends_at).getTime() > at)
      .sort((a, b) => a.id - b.id);
  }

  private check(input: PromotionInput) {
    if (new Date(input.endsAt) <= new Date(input.startsAt))
      throw badRequest('PROMOTION_INVALID', 'endsAt must be after startsAt');
    const t = input.terms as {
      tiers?: Array<{ thresholdFen: number; amountOffFen?: number; percentOffBp?: number }>;
      items?: Array<{ priceFen?: number }>;
      percentOffBp?: number;
    };
    if (input.kind === 'full_reduction') {
      if (!t.tiers?.length) throw badRequest('PROMOTION_INVALID', 'Full-reduction needs tiers');
      for (const tier of t.tiers) {
        if (!(tier.thresholdFen > 0) || (!tier.amountOffFen && !tier.percentOffBp))
          throw badRequest('PROMOTION_INVALID', 'Each tier needs thresholdFen and amountOffFen or percentOffBp');
        if (tier.amountOffFen && tier.amountOffFen >= tier.thresholdFen)
          throw badRequest('PROMOTION_INVALID', 'The amount off must be below its threshold');
      }
    } else if (!t.items?.length && !t.percentOffBp)
      throw badRequest('PROMOTION_INVALID', 'Give items with priceFen, or percentOffBp');
  }

  async create(actor: Actor, merchantId: number, input: PromotionInput) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    this.check(input);
    await this.requireOwnGoods(merchantId, input);
    const r = await this.ctx.db
      .insertInto('promotions')
      .values({
        merchant_id: merchantId,
        kind: input.kind,
        title: input.title,
        terms: JSON.stringify(input.terms),
        starts_at: input.startsAt,
        ends_at: input.endsAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    this.shown.invalidate([merchantId]);
    return this.view(r);
  }

  /** Every product and SKU the terms name is the shop's own (PRODUCT_NOT_IN_SHOP otherwise). */
  private async requireOwnGoods(merchantId: number, input: PromotionInput) {
    const t = input.terms as { productIds?: number[]; items?: Array<{ skuId?: number; productId?: number }> };
    const items = t.items ?? [];
    const itemProducts = items.flatMap((i) => (i.productId === undefined ? [] : [i.productId]));
    const productIds = [...(t.productIds ?? []), ...itemProducts];
    const skuIds = items.flatMap((i) => (i.skuId !== undefined ? [i.skuId] : []));
    const { catalog } = this.ctx.services;
    await catalog.requireOwnProducts(this.ctx.db, merchantId, productIds);
    await catalog.requireOwnSkus(this.ctx.db, merchantId, skuIds);
  }

  async list(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('promotions')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    // Results: orders that carried each promotion, and the discount it gave.
    const used = rows.length
      ? await this.ctx.services.orderQueries.adjustmentTotals(this.ctx.db, merchantId, 'promotion:')
      : new Map();
    return rows.map((r) => {
      const u = used.get(`promotion:${r.id}`);
      return { ...this.view(r), paidOrders: u?.orders ?? 0, discountFen: u?.discountFen ?? 0 };
    });
  }

  async setStatus(actor: Actor, merchantId: number, id: number, status: 'active' | 'paused' | 'ended') {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    const r = await this.ctx.db
      .updateTable('promotions')
      .set({ status })
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('Promotion', 'PROMOTION_NOT_FOUND');
    this.shown.invalidate([merchantId]);
  }

  /** Running promotions of a shop, for product pages and the room ("满199减30"). */
  async running(merchantId: number) {
    const now = new Date();
    const rows = await this.ctx.db
      .selectFrom('promotions')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'active')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .execute();
    return rows.map((r) => this.view(r));
  }

  private view(r: {
    id: number;
    merchant_id: number;
    kind: PromotionKind;
    title: string;
    terms: Record<string, unknown>;
    starts_at: Date | string;
    ends_at: Date | string;
    status: string;
  }) {
    return {
      id: r.id,
      merchantId: r.merchant_id,
      kind: r.kind,
      title: r.title,
      terms: r.terms,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      status: r.status,
    };
  }
}
