// Coupons: templates (merchant or platform), claiming with total and per-user limits enforced in
// one conditional update (no over-issue under concurrency), the shopper's wallet, and returning a
// coupon when its order is cancelled before payment.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import { describe, type CouponKind, type CouponScope, type CouponTerms } from './rules/coupons.ts';
import type { CouponChannel } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

export interface TemplateInput {
  title: string;
  kind: CouponKind;
  amountFen?: number | undefined;
  percentOffBp?: number | undefined;
  capFen?: number | undefined;
  thresholdFen?: number | undefined;
  scope?: CouponScope | undefined;
  validFrom?: string | undefined;
  validUntil?: string | undefined;
  validDays?: number | undefined;
  claimStartsAt?: string | undefined;
  claimEndsAt?: string | undefined;
  totalQuantity: number;
  perUserLimit?: number | undefined;
  channels?: CouponChannel[] | undefined;
}

type TemplateRow = Awaited<ReturnType<CouponService['templateRow']>>;
const DAY = 86400_000;

export function termsOf(t: {
  kind: CouponKind;
  amount_fen: number | null;
  percent_off_bp: number | null;
  cap_fen: number | null;
  threshold_fen: number;
  scope: CouponScope;
  funding: 'platform' | 'merchant';
  merchant_id: number | null;
}): CouponTerms {
  return {
    kind: t.kind,
    scope: t.scope,
    funding: t.funding,
    thresholdFen: t.threshold_fen,
    ...(t.amount_fen !== null ? { amountFen: t.amount_fen } : {}),
    ...(t.percent_off_bp !== null ? { percentOffBp: t.percent_off_bp } : {}),
    ...(t.cap_fen !== null ? { capFen: t.cap_fen } : {}),
    ...(t.merchant_id !== null ? { merchantId: t.merchant_id } : {}),
  };
}

export class CouponService {
  constructor(private readonly ctx: AppContext) {}

  // ---- templates ----
  private validate(input: TemplateInput) {
    if ((input.kind === 'fixed' || input.kind === 'threshold') && !input.amountFen)
      throw badRequest('COUPON_TERMS_INVALID', 'Fixed and threshold coupons need amountFen');
    if (input.kind === 'threshold' && !input.thresholdFen)
      throw badRequest('COUPON_TERMS_INVALID', 'Threshold coupons (满X减Y) need thresholdFen');
    if (input.kind === 'threshold' && input.amountFen! >= input.thresholdFen!)
      throw badRequest('COUPON_TERMS_INVALID', 'The amount off must be below the threshold');
    if (input.kind === 'percent' && !input.percentOffBp)
      throw badRequest('COUPON_TERMS_INVALID', 'Percent coupons need percentOffBp');
    if (!input.validDays && !input.validUntil)
      throw badRequest('COUPON_TERMS_INVALID', 'Give a validity window (validUntil) or validDays after claim');
    if (input.validFrom && input.validUntil && new Date(input.validUntil) <= new Date(input.validFrom))
      throw badRequest('COUPON_TERMS_INVALID', 'validUntil must be after validFrom');
  }

  async createTemplate(actor: Actor, merchantId: number | null, input: TemplateInput) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform coupons are for platform operators');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    this.validate(input);
    const scope: CouponScope = input.scope ?? (merchantId ? { type: 'merchant', merchantId } : { type: 'all' });
    if (merchantId !== null && scope.type === 'merchant' && scope.merchantId !== merchantId)
      throw badRequest('COUPON_TERMS_INVALID', 'A shop coupon covers only that shop');
    // A shop coupon covers the shop's own products only (PRODUCT_NOT_IN_SHOP); the platform's any.
    if (merchantId !== null && scope.type === 'products') {
      await this.ctx.services.catalog.requireOwnProducts(this.ctx.db, merchantId, scope.productIds);
    }
    const row = await this.ctx.db
      .insertInto('coupon_templates')
      .values({
        merchant_id: merchantId,
        title: input.title,
        kind: input.kind,
        amount_fen: input.amountFen ?? null,
        percent_off_bp: input.percentOffBp ?? null,
        cap_fen: input.capFen ?? null,
        threshold_fen: input.thresholdFen ?? 0,
        scope: JSON.stringify(scope),
        funding: merchantId === null ? 'platform' : 'merchant',
        valid_from: input.validFrom ?? null,
        valid_until: input.validUntil ?? null,
        valid_days: input.validDays ?? null,
        ...(input.claimStartsAt ? { claim_starts_at: new Date(input.claimStartsAt) } : {}),
        claim_ends_at: input.claimEndsAt ?? null,
        total_quantity: input.totalQuantity,
        per_user_limit: input.perUserLimit ?? 1,
        channels: JSON.stringify(input.channels ?? ['claim_centre']),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.view((await this.templateRow(this.ctx.db, row.id))!);
  }

  async listTemplates(actor: Actor, merchantId: number | null) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db.selectFrom('coupon_templates').selectAll().orderBy('id', 'desc').limit(200);
    q = merchantId === null ? q.where('merchant_id', 'is', null) : q.where('merchant_id', '=', merchantId);
    const rows = await q.execute();
    const used = rows.length
      ? await this.ctx.db
          .selectFrom('coupons')
          .select(['template_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where(
            'template_id',
            'in',
            rows.map((r) => r.id),
          )
          .where('status', '=', 'used')
          .groupBy('template_id')
          .execute()
      : [];
    return rows.map((r) => ({ ...this.view(r), used: Number(used.find((u) => u.template_id === r.id)?.n ?? 0) }));
  }

  async setTemplateStatus(
    actor: Actor,
    merchantId: number | null,
    templateId: number,
    status: 'active' | 'paused' | 'ended',
  ) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    let q = this.ctx.db.updateTable('coupon_templates').set({ status }).where('id', '=', templateId);
    q = merchantId === null ? q.where('merchant_id', 'is', null) : q.where('merchant_id', '=', merchantId);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('Coupon', 'COUPON_NOT_FOUND');
  }

  private templateRow(db: Db, id: number) {
    return db.selectFrom('coupon_templates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  view(t: NonNullable<TemplateRow>) {
    return {
      id: t.id,
      merchantId: t.merchant_id,
      title: t.title,
      kind: t.kind,
      description: describe(termsOf(t)),
      amountFen: t.amount_fen,
      percentOffBp: t.percent_off_bp,
      capFen: t.cap_fen,
      thresholdFen: t.threshold_fen,
      scope: t.scope,
      funding: t.funding,
      validFrom: t.valid_from ? new Date(t.valid_from) : null,
      validUntil: t.valid_until ? new Date(t.valid_until) : null,
      validDays: t.valid_days,
      claimStartsAt: new Date(t.claim_starts_at),
      claimEndsAt: t.claim_ends_at ? new Date(t.claim_ends_at) : null,
      totalQuantity: t.total_quantity,
      claimed: t.claimed,
      remaining: t.total_quantity - t.claimed,
      perUserLimit: t.per_user_limit,
      channels: t.channels,
      status: t.status,
    };
  }

  /** Tenancy for modules taking a coupon from a shop (room drops, lucky-bag prizes): its own, else 404. */
  async requireOwnTemplate(db: Db, merchantId: number, templateId: number) {
    const t = await this.templateRow(db, templateId);
    if (!t || t.merchant_id !== merchantId) throw notFound('Coupon', 'COUPON_NOT_FOUND');
    return { id: t.id, merchantId, title: t.title, kind: t.kind, status: t.status, channels: t.channels };
  }

  /** The contract (docs/service-contracts.md) for other modules (room drops, lucky bags). */
  async getTemplate(templateId: number) {
    const t = await this.templateRow(this.ctx.db, templateId);
    return t ? { id: t.id, merchantId: t.merchant_id, title: t.title, kind: t.kind, status: t.status } : null;
  }

  /** What a coupon gives, in words ("满100减20"), for other modules' pages (room drops); null when there is none. */
  async describeTemplate(templateId: number, db: Db = this.ctx.db): Promise<string | null> {
    const t = await this.templateRow(db, templateId);
    return t ? describe(termsOf(t)) : null;
  }

  // ---- claiming ----
  /**
   * Give the user one coupon of the template through a channel: quantity left, active, claim
   * window, channel and per-user limit, decided under the template's row lock (no over-issue under
   * concurrency). Idempotent per (template, user, channel, ref) when ref is given.
   */
  async claim(db: Db, userId: number, templateId: number, opts: { channel: CouponChannel; ref?: string | undefined }) {
    const run = async (trx: Db) => {
      if (opts.ref) {
        const existing = await trx
          .selectFrom('coupons')
          .selectAll()
          .where('template_id', '=', templateId)
          .where('user_id', '=', userId)
          .where('channel', '=', opts.channel)
          .where('ref', '=', opts.ref)
          .executeTakeFirst();
        if (existing) return this.couponResult(existing);
      }
      // Lock the template row first: checks, the per-user count and the increment then cannot race,
      // and nothing is written before a refusal (safe inside a caller's transaction).
      const t = await trx
        .selectFrom('coupon_templates')
        .selectAll()
        .where('id', '=', templateId)
        .forUpdate()
        .executeTakeFirst();
      if (!t) throw notFound('Coupon', 'COUPON_NOT_FOUND');
      if (!t.channels.includes(opts.channel))
        throw badRequest('COUPON_NOT_CLAIMABLE', 'This coupon is not given out this way');
      const now = Date.now();
      if (
        t.status !== 'active' ||
        new Date(t.claim_starts_at).getTime() > now ||
        (t.claim_ends_at && new Date(t.claim_ends_at).getTime() < now) ||
        (t.valid_until && new Date(t.valid_until).getTime() < now)
      ) {
        throw badRequest('COUPON_NOT_CLAIMABLE', 'This coupon cannot be claimed now');
      }
      if (t.claimed >= t.total_quantity) throw conflict('COUPON_SOLD_OUT', 'All of these coupons have been claimed');
      const held = await trx
        .selectFrom('coupons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('template_id', '=', templateId)
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      if (Number(held.n) >= t.per_user_limit)
        throw conflict('COUPON_LIMIT_REACHED', `You can hold at most ${t.per_user_limit} of these`);
      const took = await trx
        .updateTable('coupon_templates')
        .set({ claimed: sql`claimed + 1` })
        .where('id', '=', templateId)
        .where(sql<boolean>`claimed < total_quantity`)
        .returning('claimed')
        .executeTakeFirst();
      if (!took) throw conflict('COUPON_SOLD_OUT', 'All of these coupons have been claimed');
      const from = t.valid_days ? new Date(now) : new Date(t.valid_from ?? now);
      const until = t.valid_days ? new Date(now + t.valid_days * DAY) : new Date(t.valid_until!);
      const c = await trx
        .insertInto('coupons')
        .values({
          template_id: templateId,
          user_id: userId,
          merchant_id: t.merchant_id,
          channel: opts.channel,
          ref: opts.ref ?? null,
          valid_from: from,
          valid_until: until,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return this.couponResult(c);
    };
    // Join the caller's transaction when there is one; otherwise make one (all or nothing).
    return transact(db, run);
  }

  private couponResult(c: { id: number; template_id: number; valid_from: Date | string; valid_until: Date | string }) {
    return {
      couponId: c.id,
      templateId: c.template_id,
      validFrom: new Date(c.valid_from),
      validUntil: new Date(c.valid_until),
    };
  }

  /** Claim-centre coupons a shopper can take now (optionally one shop's). */
  async claimable(userId: number | null, merchantId?: number) {
    let q = this.ctx.db
      .selectFrom('coupon_templates')
      .selectAll()
      .where('status', '=', 'active')
      .where('claim_starts_at', '<=', new Date())
      .where((eb) => eb.or([eb('claim_ends_at', 'is', null), eb('claim_ends_at', '>', new Date())]))
      .where(sql<boolean>`claimed < total_quantity`)
      .where(sql<boolean>`channels @> '["claim_centre"]'::jsonb`)
      .orderBy('id', 'desc')
      .limit(100);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    const rows = await q.execute();
    const mine =
      userId && rows.length
        ? await this.ctx.db
            .selectFrom('coupons')
            .select(['template_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('user_id', '=', userId)
            .where(
              'template_id',
              'in',
              rows.map((r) => r.id),
            )
            .groupBy('template_id')
            .execute()
        : [];
    return rows.map((r) => {
      const held = Number(mine.find((m) => m.template_id === r.id)?.n ?? 0);
      return { ...this.view(r), held, canClaim: held < r.per_user_limit };
    });
  }

  /** The shopper's coupons; expired ones are marked on the way. */
  async mine(userId: number, status: 'unused' | 'used' | 'expired' = 'unused') {
    await this.ctx.db
      .updateTable('coupons')
      .set({ status: 'expired' })
      .where('user_id', '=', userId)
      .where('status', '=', 'unused')
      .where('valid_until', '<', new Date())
      .execute();
    const rows = await this.ctx.db
      .selectFrom('coupons as c')
      .innerJoin('coupon_templates as t', 't.id', 'c.template_id')
      .select([
        'c.id',
        'c.status',
        'c.valid_from',
        'c.valid_until',
        'c.order_id',
        'c.channel',
        't.id as template_id',
        't.title',
        't.kind',
        't.amount_fen',
        't.percent_off_bp',
        't.cap_fen',
        't.threshold_fen',
        't.scope',
        't.funding',
        't.merchant_id',
      ])
      .where('c.user_id', '=', userId)
      .where('c.status', '=', status)
      .orderBy('c.valid_until', 'asc')
      .limit(200)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      templateId: r.template_id,
      title: r.title,
      description: describe(termsOf(r)),
      kind: r.kind,
      funding: r.funding,
      merchantId: r.merchant_id,
      status: r.status,
      channel: r.channel,
      validFrom: new Date(r.valid_from),
      validUntil: new Date(r.valid_until),
      orderId: r.order_id,
    }));
  }

  /** How many unused coupons of the shop each of these users holds (0 when none), by user id. */
  async unusedCounts(
    merchantId: number,
    userIds: readonly number[],
    db: Db = this.ctx.db,
  ): Promise<Map<number, number>> {
    const out = new Map(userIds.map((id) => [id, 0]));
    if (userIds.length === 0) return out;
    const rows = await db
      .selectFrom('coupons')
      .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'unused')
      .where('user_id', 'in', [...new Set(userIds)])
      .groupBy('user_id')
      .execute();
    for (const r of rows) out.set(r.user_id, Number(r.n));
    return out;
  }

  /** Usable coupons with their terms, for the pricing step. */
  async usable(db: Db, userId: number, now: Date, ids?: number[]) {
    let q = db
      .selectFrom('coupons as c')
      .innerJoin('coupon_templates as t', 't.id', 'c.template_id')
      .select([
        'c.id',
        't.title',
        't.kind',
        't.amount_fen',
        't.percent_off_bp',
        't.cap_fen',
        't.threshold_fen',
        't.scope',
        't.funding',
        't.merchant_id',
      ])
      .where('c.user_id', '=', userId)
      .where('c.status', '=', 'unused')
      .where('c.valid_from', '<=', now)
      .where('c.valid_until', '>', now);
    if (ids) q = q.where('c.id', 'in', ids.length ? ids : [0]);
    return (await q.execute()).map((r) => ({ id: r.id, title: r.title, terms: termsOf(r) }));
  }

  /** Staff issue a coupon to a list of customers (e.g. an RFM segment); each gets one if limits allow. */
  async issue(actor: Actor, merchantId: number, templateId: number, userIds: number[]) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    await this.requireOwnTemplate(this.ctx.db, merchantId, templateId);
    const results = { issued: 0, skipped: [] as Array<{ userId: number; code: string }> };
    // Only the shop's own customers (they ordered here, or follow the shop): not a way to reach
    // every account, nor to learn which user ids exist.
    const wanted = [...new Set(userIds)];
    const customers = new Set([
      ...(await this.ctx.services.orderQueries.customersAmong(merchantId, wanted)),
      ...(await this.ctx.services.social.followersAmong(merchantId, wanted)),
    ]);
    for (const userId of wanted) {
      if (!customers.has(userId)) {
        results.skipped.push({ userId, code: 'NOT_A_CUSTOMER' });
        continue;
      }
      try {
        await this.claim(this.ctx.db, userId, templateId, {
          channel: 'staff_issue',
          ref: `issue:${templateId}:${userId}`,
        });
        results.issued++;
      } catch (e) {
        if (e instanceof AppError) results.skipped.push({ userId, code: e.code });
        else throw e;
      }
    }
    return results;
  }

  /**
   * Take back coupons that were given (an invitation reward whose order was refunded): only those
   * still unused; returns the ids revoked (a used or expired one stays as it is).
   */
  async revokeUnused(db: Db, couponIds: readonly number[]): Promise<number[]> {
    if (couponIds.length === 0) return [];
    const rows = await db
      .updateTable('coupons')
      .set({ status: 'revoked' })
      .where('id', 'in', [...couponIds])
      .where('status', '=', 'unused')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Coupons used by an order that is cancelled before payment come back (if still valid). */
  async returnForOrder(db: Db, orderId: number): Promise<number> {
    const r = await db
      .updateTable('coupons')
      .set({ status: 'unused', order_id: null, used_at: null })
      .where('order_id', '=', orderId)
      .where('status', '=', 'used')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
