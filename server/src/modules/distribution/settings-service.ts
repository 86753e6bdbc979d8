// A shop's distribution settings, its promoter levels (普通/高级…, each with its own rates) and its
// per-product rates. Two levels at most: asking for a third is refused (DISTRIBUTION_MAX_TWO_LEVELS).
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { BP_WHOLE, MAX_LEVELS, type TierRates } from './rules.ts';
import type { BindingMode } from './tables.ts';
import './tables.ts';

export interface DistributionSettings {
  enabled: boolean;
  levels: number;
  level1Bp: number;
  level2Bp: number;
  bindingDays: number;
  bindingMode: BindingMode;
  selfPurchase: boolean;
  autoApprove: boolean;
  minWithdrawFen: number;
}

export const DEFAULT_SETTINGS: DistributionSettings = {
  enabled: true,
  levels: 2,
  level1Bp: 1000,
  level2Bp: 300,
  bindingDays: 30,
  bindingMode: 'first',
  selfPurchase: false,
  autoApprove: false,
  minWithdrawFen: 100,
};

const OPERATORS = ['merchant_owner', 'merchant_staff'] as const;

export const refuseThirdLevel = () =>
  badRequest(
    'DISTRIBUTION_MAX_TWO_LEVELS',
    'At most two levels of distribution: WeChat treats three or more levels (三级分销) as a violation',
  );

/** Rates given as a list (tier 1, tier 2): a third is refused by name, and both together are at most 100 %. */
export function ratesFrom(rates: readonly number[]): TierRates {
  if (rates.length > MAX_LEVELS) throw refuseThirdLevel();
  const [level1Bp = 0, level2Bp = 0] = rates;
  if (level1Bp + level2Bp > BP_WHOLE)
    throw badRequest('DISTRIBUTION_RATE_TOO_HIGH', 'The two levels together cannot pay more than the line (100 %)');
  return { level1Bp, level2Bp };
}

export class DistributionSettingsService {
  constructor(private readonly ctx: AppContext) {}

  private guard(actor: Actor, merchantId: number) {
    return this.ctx.services.merchants.requireRole(actor, merchantId, [...OPERATORS]);
  }

  /** The shop's settings (the defaults until it saves its own); used by handlers in their transaction. */
  async settingsOf(db: Db, merchantId: number): Promise<DistributionSettings> {
    const r = await db
      .selectFrom('distribution_settings')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!r) return { ...DEFAULT_SETTINGS };
    return {
      enabled: r.enabled,
      levels: r.levels,
      level1Bp: r.level1_bp,
      level2Bp: r.level2_bp,
      bindingDays: r.binding_days,
      bindingMode: r.binding_mode,
      selfPurchase: r.self_purchase,
      autoApprove: r.auto_approve,
      minWithdrawFen: Number(r.min_withdraw_fen),
    };
  }

  async get(actor: Actor, merchantId: number): Promise<DistributionSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    return this.settingsOf(this.ctx.db, merchantId);
  }

  async update(
    actor: Actor,
    merchantId: number,
    patch: Partial<Omit<DistributionSettings, 'level1Bp' | 'level2Bp'>> & { rates?: number[] },
  ): Promise<DistributionSettings> {
    await this.guard(actor, merchantId);
    if (patch.levels !== undefined && patch.levels > MAX_LEVELS) throw refuseThirdLevel();
    const next = { ...(await this.settingsOf(this.ctx.db, merchantId)), ...withoutRates(patch) };
    if (patch.rates) Object.assign(next, ratesFrom(patch.rates));
    const row = {
      enabled: next.enabled,
      levels: next.levels,
      level1_bp: next.level1Bp,
      level2_bp: next.level2Bp,
      binding_days: next.bindingDays,
      binding_mode: next.bindingMode,
      self_purchase: next.selfPurchase,
      auto_approve: next.autoApprove,
      min_withdraw_fen: next.minWithdrawFen,
      updated_at: sql<Date>`now()`,
    };
    await this.ctx.db
      .insertInto('distribution_settings')
      .values({ merchant_id: merchantId, ...row })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet(row))
      .execute();
    return next;
  }

  // ---- levels ----
  async levels(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('distribution_levels')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('position')
      .orderBy('id')
      .execute();
    return rows.map(levelView);
  }

  async createLevel(actor: Actor, merchantId: number, body: { name: string; rates: number[]; position?: number }) {
    await this.guard(actor, merchantId);
    const rates = ratesFrom(body.rates);
    const row = await this.ctx.db
      .insertInto('distribution_levels')
      .values({
        merchant_id: merchantId,
        name: body.name,
        level1_bp: rates.level1Bp,
        level2_bp: rates.level2Bp,
        position: body.position ?? 0,
      })
      .onConflict((oc) => oc.columns(['merchant_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('DISTRIBUTION_LEVEL_EXISTS', 'The shop already has a level with this name');
    return levelView(row);
  }

  async updateLevel(
    actor: Actor,
    merchantId: number,
    levelId: number,
    body: { name?: string; rates?: number[]; position?: number },
  ) {
    await this.guard(actor, merchantId);
    const rates = body.rates ? ratesFrom(body.rates) : undefined;
    const changes = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(rates ? { level1_bp: rates.level1Bp, level2_bp: rates.level2Bp } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
    };
    try {
      const row = await this.ctx.db
        .updateTable('distribution_levels')
        // An empty patch still answers the level (set id = id keeps the statement valid).
        .set(Object.keys(changes).length > 0 ? changes : { id: sql`id` })
        .where('id', '=', levelId)
        .where('merchant_id', '=', merchantId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound('Level', 'DISTRIBUTION_LEVEL_NOT_FOUND');
      return levelView(row);
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw conflict('DISTRIBUTION_LEVEL_EXISTS', 'The shop already has a level with this name');
      throw err;
    }
  }

  async deleteLevel(actor: Actor, merchantId: number, levelId: number): Promise<void> {
    await this.guard(actor, merchantId);
    await this.requireOwnLevel(this.ctx.db, merchantId, levelId);
    const used = await this.ctx.db
      .selectFrom('distribution_promoters')
      .select('id')
      .where('level_id', '=', levelId)
      .executeTakeFirst();
    if (used) throw conflict('DISTRIBUTION_LEVEL_IN_USE', 'Promoters are at this level; move them first');
    await this.ctx.db.deleteFrom('distribution_levels').where('id', '=', levelId).execute();
  }

  async requireOwnLevel(db: Db, merchantId: number, levelId: number): Promise<void> {
    const r = await db
      .selectFrom('distribution_levels')
      .select('id')
      .where('id', '=', levelId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!r) throw notFound('Level', 'DISTRIBUTION_LEVEL_NOT_FOUND');
  }

  /** Rates of these levels by id (handlers, in their transaction). */
  async levelRates(db: Db, levelIds: readonly number[]): Promise<Map<number, TierRates>> {
    if (levelIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('distribution_levels')
      .select(['id', 'level1_bp', 'level2_bp'])
      .where('id', 'in', [...new Set(levelIds)])
      .execute();
    return new Map(rows.map((r) => [r.id, { level1Bp: r.level1_bp, level2Bp: r.level2_bp }]));
  }

  // ---- per-product rules ----
  async rules(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('distribution_product_rules')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('product_id')
      .execute();
    return rows.map((r) => ({ productId: r.product_id, rates: [r.level1_bp, r.level2_bp], updatedAt: r.updated_at }));
  }

  async putRule(actor: Actor, merchantId: number, productId: number, rates: number[]) {
    await this.guard(actor, merchantId);
    const r = ratesFrom(rates);
    await this.ctx.services.catalog.requireOwnProducts(this.ctx.db, merchantId, [productId]);
    const row = { level1_bp: r.level1Bp, level2_bp: r.level2Bp, updated_at: sql<Date>`now()` };
    const saved = await this.ctx.db
      .insertInto('distribution_product_rules')
      .values({ merchant_id: merchantId, product_id: productId, ...row })
      .onConflict((oc) => oc.columns(['merchant_id', 'product_id']).doUpdateSet(row))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { productId, rates: [saved.level1_bp, saved.level2_bp], updatedAt: saved.updated_at };
  }

  async deleteRule(actor: Actor, merchantId: number, productId: number): Promise<void> {
    await this.guard(actor, merchantId);
    const r = await this.ctx.db
      .deleteFrom('distribution_product_rules')
      .where('merchant_id', '=', merchantId)
      .where('product_id', '=', productId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Rule', 'DISTRIBUTION_RULE_NOT_FOUND');
  }

  /** Rates of these products' rules (handlers, in their transaction). */
  async productRates(db: Db, merchantId: number, productIds: readonly number[]): Promise<Map<number, TierRates>> {
    if (productIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('distribution_product_rules')
      .select(['product_id', 'level1_bp', 'level2_bp'])
      .where('merchant_id', '=', merchantId)
      .where('product_id', 'in', [...new Set(productIds)])
      .execute();
    return new Map(rows.map((r) => [r.product_id, { level1Bp: r.level1_bp, level2Bp: r.level2_bp }]));
  }
}

function withoutRates<T extends { rates?: unknown }>(p: T): Omit<T, 'rates'> {
  const { rates: _, ...rest } = p;
  return rest;
}

function levelView(r: { id: number; name: string; level1_bp: number; level2_bp: number; position: number }) {
  return { id: r.id, name: r.name, rates: [r.level1_bp, r.level2_bp], position: r.position };
}
