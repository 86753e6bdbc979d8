// Bargain (砍价): start, friends cut once each (the cut plan from cut-plan.ts reaches the floor
// exactly in `helps_needed` helps), buy at the reached price before it expires.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../../platform/errors.ts';
import { planCuts } from './cut-plan.ts';
import { assertDealVisible, DEAL_WRITERS, listedShops, type DealAudience } from '../shop-visibility.ts';
import '../tables.ts';

const bargainNotFound = () => notFound('Bargain', 'BARGAIN_NOT_FOUND');
import { transact } from '../../../platform/db/transact.ts';

export interface CampaignInput {
  skuId: number;
  title: string;
  floorPriceFen: number;
  helpsNeeded: number;
  expireHours: number;
  startsAt: string;
  endsAt: string;
}

export class BargainService {
  constructor(private readonly ctx: AppContext) {}

  async createCampaign(actor: Actor, merchantId: number, input: CampaignInput) {
    // A suspended or rejected shop starts no new deal (a pending one may prepare them, unseen).
    await this.ctx.services.merchants.requireOperating(actor, merchantId, [...DEAL_WRITERS], 'build');
    const sku = (await this.ctx.services.catalog.requireOwnSkus(this.ctx.db, merchantId, [input.skuId]))[0]!;
    if (input.floorPriceFen >= sku.priceFen)
      throw badRequest('BARGAIN_INVALID', 'The floor price must be below the price');
    if (sku.priceFen - input.floorPriceFen < input.helpsNeeded)
      throw badRequest('BARGAIN_INVALID', 'Each help must cut at least 1 fen');
    if (new Date(input.endsAt) <= new Date(input.startsAt))
      throw badRequest('BARGAIN_INVALID', 'endsAt must be after startsAt');
    const r = await this.ctx.db
      .insertInto('bargain_campaigns')
      .values({
        merchant_id: merchantId,
        product_id: sku.productId,
        sku_id: sku.skuId,
        title: input.title,
        floor_price_fen: input.floorPriceFen,
        helps_needed: input.helpsNeeded,
        expire_hours: input.expireHours,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.campaignView(r);
  }

  async campaigns(merchantId?: number, audience: DealAudience = 'shoppers') {
    let q = this.ctx.db
      .selectFrom('bargain_campaigns')
      .selectAll()
      .where('status', '=', 'active')
      .where('ends_at', '>', new Date())
      .orderBy('id', 'desc')
      .limit(50);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    if (audience === 'shoppers') q = q.where('merchant_id', 'in', listedShops(this.ctx));
    const rows = await q.execute();
    const stats = rows.length
      ? await this.ctx.db
          .selectFrom('bargains')
          .select(['campaign_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
          .where(
            'campaign_id',
            'in',
            rows.map((r) => r.id),
          )
          .groupBy(['campaign_id', 'status'])
          .execute()
      : [];
    return rows.map((r) => ({
      ...this.campaignView(r),
      results: Object.fromEntries(
        stats.filter((s) => s.campaign_id === r.id).map((s) => [s.status, Number(s.n)]),
      ) as Record<string, number>,
    }));
  }

  private campaignView(r: {
    id: number;
    merchant_id: number;
    product_id: number;
    sku_id: number;
    title: string;
    floor_price_fen: number;
    helps_needed: number;
    expire_hours: number;
    starts_at: Date | string;
    ends_at: Date | string;
    status: string;
  }) {
    return {
      id: r.id,
      merchantId: r.merchant_id,
      productId: r.product_id,
      skuId: r.sku_id,
      title: r.title,
      floorPriceFen: r.floor_price_fen,
      helpsNeeded: r.helps_needed,
      expireHours: r.expire_hours,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      status: r.status,
    };
  }

  async start(userId: number, campaignId: number) {
    const c = await this.ctx.db
      .selectFrom('bargain_campaigns')
      .selectAll()
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!c) throw bargainNotFound();
    await assertDealVisible(this.ctx, c.merchant_id, 'shoppers', bargainNotFound);
    const now = Date.now();
    if (c.status !== 'active' || now < new Date(c.starts_at).getTime() || now >= new Date(c.ends_at).getTime())
      throw conflict('BARGAIN_NOT_ACTIVE', 'This bargain campaign is not running');
    const existing = await this.ctx.db
      .selectFrom('bargains')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing) return this.view(existing.id, 'shop');
    const [sku] = await this.ctx.services.catalog.getSkusForCheckout(this.ctx.db, [c.sku_id]);
    if (!sku?.purchasable) throw conflict('BARGAIN_NOT_ACTIVE', 'The item is not on sale');
    const r = await this.ctx.db
      .insertInto('bargains')
      .values({
        campaign_id: campaignId,
        user_id: userId,
        start_price_fen: sku.priceFen,
        current_price_fen: sku.priceFen,
        floor_price_fen: c.floor_price_fen,
        helps_needed: c.helps_needed,
        seed: crypto.randomInt(1, 2 ** 31),
        expires_at: new Date(Math.min(now + c.expire_hours * 3600_000, new Date(c.ends_at).getTime())),
      })
      .onConflict((oc) => oc.columns(['campaign_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const id =
      r?.id ??
      (
        await this.ctx.db
          .selectFrom('bargains')
          .select('id')
          .where('campaign_id', '=', campaignId)
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).id;
    return this.view(id, 'shop');
  }

  /** A bargain (the share link); shoppers get BARGAIN_NOT_FOUND for a shop they may not see. */
  async view(bargainId: number, audience: DealAudience = 'shoppers') {
    const b = await this.ctx.db
      .selectFrom('bargains as b')
      .innerJoin('bargain_campaigns as c', 'c.id', 'b.campaign_id')
      .select([
        'b.id',
        'b.campaign_id',
        'b.user_id',
        'b.start_price_fen',
        'b.current_price_fen',
        'b.floor_price_fen',
        'b.helps',
        'b.helps_needed',
        'b.status',
        'b.expires_at',
        'b.order_id',
        'c.title',
        'c.sku_id',
        'c.product_id',
        'c.merchant_id',
      ])
      .where('b.id', '=', bargainId)
      .executeTakeFirst();
    if (!b) throw bargainNotFound();
    await assertDealVisible(this.ctx, b.merchant_id, audience, bargainNotFound);
    const helpRows = await this.ctx.db
      .selectFrom('bargain_helps')
      .select(['seq', 'cut_fen', 'helper_user_id'])
      .where('bargain_id', '=', bargainId)
      .orderBy('seq')
      .execute();
    const names = await this.ctx.services.directory.nicknames(helpRows.map((h) => h.helper_user_id));
    const helps = helpRows
      .filter((h) => names.has(h.helper_user_id))
      .map((h) => ({ ...h, nickname: names.get(h.helper_user_id)! }));
    const status = b.status === 'active' && new Date(b.expires_at).getTime() <= Date.now() ? 'expired' : b.status;
    return {
      id: b.id,
      campaignId: b.campaign_id,
      userId: b.user_id,
      title: b.title,
      skuId: b.sku_id,
      productId: b.product_id,
      startPriceFen: b.start_price_fen,
      currentPriceFen: b.current_price_fen,
      floorPriceFen: b.floor_price_fen,
      helps: b.helps,
      helpsNeeded: b.helps_needed,
      status,
      expiresAt: new Date(b.expires_at),
      orderId: b.order_id,
      shareUrl: `${this.ctx.config.publicUrl}/shop/bargain/${b.id}`,
      cuts: helps.map((h) => ({ seq: h.seq, cutFen: h.cut_fen, nickname: h.nickname })),
    };
  }

  /** A friend's one cut: the next planned cut, under the bargain's row lock. */
  async help(helperId: number, bargainId: number) {
    const shop = await this.ctx.db
      .selectFrom('bargains as b')
      .innerJoin('bargain_campaigns as c', 'c.id', 'b.campaign_id')
      .select('c.merchant_id')
      .where('b.id', '=', bargainId)
      .executeTakeFirst();
    if (!shop) throw bargainNotFound();
    await assertDealVisible(this.ctx, shop.merchant_id, 'shoppers', bargainNotFound);
    return transact(this.ctx.db, async (trx) => {
      const b = await trx.selectFrom('bargains').selectAll().where('id', '=', bargainId).forUpdate().executeTakeFirst();
      if (!b) throw notFound('Bargain', 'BARGAIN_NOT_FOUND');
      if (b.user_id === helperId) throw conflict('BARGAIN_SELF_HELP', 'Ask friends to help; you cannot cut your own');
      if (new Date(b.expires_at).getTime() <= Date.now()) throw conflict('BARGAIN_EXPIRED', 'This bargain has expired');
      if (b.status !== 'active') throw conflict('BARGAIN_DONE', 'This bargain has already reached its floor price');
      const already = await trx
        .selectFrom('bargain_helps')
        .select('seq')
        .where('bargain_id', '=', bargainId)
        .where('helper_user_id', '=', helperId)
        .executeTakeFirst();
      if (already) throw conflict('BARGAIN_ALREADY_HELPED', 'You have already helped with this bargain');
      const plan = planCuts(b.start_price_fen - b.floor_price_fen, b.helps_needed, b.seed);
      const cut = plan[b.helps]!;
      const price = b.current_price_fen - cut;
      await trx
        .insertInto('bargain_helps')
        .values({ bargain_id: bargainId, helper_user_id: helperId, seq: b.helps + 1, cut_fen: cut })
        .execute();
      await trx
        .updateTable('bargains')
        .set({
          current_price_fen: price,
          helps: sql`helps + 1`,
          ...(b.helps + 1 === b.helps_needed ? { status: 'reached' as const } : {}),
        })
        .where('id', '=', bargainId)
        .execute();
      return { cutFen: cut, currentPriceFen: price, reached: b.helps + 1 === b.helps_needed };
    });
  }

  /** Pricing: the bargain's current price, for its owner, before it expires. */
  async forBasket(db: Db, userId: number, bargainId: number) {
    const b = await db
      .selectFrom('bargains as b')
      .innerJoin('bargain_campaigns as c', 'c.id', 'b.campaign_id')
      .select(['b.id', 'b.user_id', 'b.status', 'b.expires_at', 'b.current_price_fen', 'c.sku_id', 'c.title'])
      .where('b.id', '=', bargainId)
      .executeTakeFirst();
    if (!b || b.user_id !== userId) throw notFound('Bargain', 'BARGAIN_NOT_FOUND');
    if (b.status === 'bought') throw conflict('BARGAIN_DONE', 'Already bought');
    if (new Date(b.expires_at).getTime() <= Date.now()) throw conflict('BARGAIN_EXPIRED', 'This bargain has expired');
    return b;
  }

  async markBought(db: Db, bargainId: number, orderId: number) {
    const r = await db
      .updateTable('bargains')
      .set({ status: 'bought', order_id: orderId })
      .where('id', '=', bargainId)
      .where('status', 'in', ['active', 'reached'])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw conflict('BARGAIN_DONE', 'Already bought');
  }

  register(): void {
    // A cancelled bargain order lets the shopper buy again at the same price.
    this.ctx.events.subscribe({
      name: 'marketing.bargain_on_cancel',
      events: ['order.cancelled'],
      handle: async (e, db) => {
        const b = await db
          .selectFrom('bargains')
          .select(['id', 'helps', 'helps_needed'])
          .where('order_id', '=', e.payload.orderId)
          .where('status', '=', 'bought')
          .executeTakeFirst();
        if (b)
          await db
            .updateTable('bargains')
            .set({ status: b.helps >= b.helps_needed ? 'reached' : 'active', order_id: null })
            .where('id', '=', b.id)
            .execute();
      },
    });
  }
}
