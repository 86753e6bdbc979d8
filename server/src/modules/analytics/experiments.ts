// A/B tests: a unit (the device, or the user when there is no device id) gets a variant by stable
// hashing, so it sees the same variant on every visit and every node; exposure is recorded on
// assignment, conversion when the experiment's goal event arrives (see the rollup).
import crypto from 'node:crypto';
import { errorFunction } from 'simple-statistics';
import type { AppContext } from '../../platform/context.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { Variant } from './tables.ts';

/** Events an experiment can count as its conversion. */
export const GOAL_EVENTS = [
  'room_enter',
  'product_click',
  'add_to_cart',
  'checkout_start',
  'share',
  'order',
  'order_paid',
  'follow',
  'comment',
] as const;

/** A number in [0, 1) that depends only on the experiment and the unit. */
export function hashUnit(experimentKey: string, unit: string): number {
  return crypto.createHash('sha256').update(`${experimentKey}:${unit}`).digest().readUInt32BE(0) / 2 ** 32;
}

export function pickVariant(variants: Variant[], u: number): string {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let acc = 0;
  for (const v of variants) {
    acc += v.weight / total;
    if (u < acc) return v.key;
  }
  return variants[variants.length - 1]!.key;
}

/** Pooled two-proportion z-test of b against a (two-sided). */
export function twoProportionTest(
  a: { n: number; conversions: number },
  b: { n: number; conversions: number },
): { z: number; pValue: number } | null {
  if (a.n === 0 || b.n === 0) return null;
  const pooled = (a.conversions + b.conversions) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (se === 0) return null;
  const z = (b.conversions / b.n - a.conversions / a.n) / se;
  return { z, pValue: 1 - errorFunction(Math.abs(z) / Math.SQRT2) };
}

export interface ExperimentInput {
  key: string;
  name: string;
  variants: Variant[];
  goal: (typeof GOAL_EVENTS)[number];
}

export class ExperimentService {
  constructor(private readonly ctx: AppContext) {}

  async create(merchantId: number, input: ExperimentInput) {
    // A platform admin may name any shop id (the route guard lets them in): it must exist, a 404 otherwise.
    await this.ctx.services.merchants.statusOf(merchantId);
    const keys = new Set(input.variants.map((v) => v.key));
    if (keys.size !== input.variants.length) throw badRequest('DUPLICATE_VARIANT', 'Variant keys must be unique');
    const row = await this.ctx.db
      .insertInto('analytics_experiments')
      .values({
        merchant_id: merchantId,
        key: input.key,
        name: input.name,
        variants: JSON.stringify(input.variants),
        goal: input.goal,
      })
      .onConflict((oc) => oc.columns(['merchant_id', 'key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('EXPERIMENT_EXISTS', `An experiment with key "${input.key}" exists`);
    return toExperiment(row);
  }

  async list(merchantId: number) {
    return (
      await this.ctx.db
        .selectFrom('analytics_experiments')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .orderBy('id', 'desc')
        .execute()
    ).map(toExperiment);
  }

  async setStatus(merchantId: number, id: number, status: 'running' | 'stopped') {
    const row = await this.ctx.db
      .updateTable('analytics_experiments')
      .set({ status })
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Experiment', 'EXPERIMENT_NOT_FOUND');
    return toExperiment(row);
  }

  /** The variant for this visitor; the first assignment records the exposure. Stopped experiments give the control. */
  async assign(merchantId: number, key: string, who: { deviceId?: string | undefined; userId: number | null }) {
    const x = await this.ctx.db
      .selectFrom('analytics_experiments')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!x) throw notFound('Experiment', 'EXPERIMENT_NOT_FOUND');
    const unit = who.deviceId ? `d:${who.deviceId}` : who.userId !== null ? `u:${who.userId}` : null;
    if (!unit) throw badRequest('UNIT_REQUIRED', 'Send a deviceId or sign in');
    const variants = x.variants as Variant[];
    if (x.status !== 'running') return { experimentId: x.id, variant: variants[0]!.key, running: false };
    const variant = pickVariant(variants, hashUnit(x.key, unit));
    await this.ctx.db
      .insertInto('analytics_experiment_units')
      .values({ experiment_id: x.id, unit, variant, user_id: who.userId, exposed_at: new Date() })
      .onConflict((oc) => oc.columns(['experiment_id', 'unit']).doNothing())
      .execute();
    return { experimentId: x.id, variant, running: true };
  }

  /** Exposures and conversions per variant, each tested against the first (control) variant. */
  async results(merchantId: number, id: number) {
    const x = await this.ctx.db
      .selectFrom('analytics_experiments')
      .selectAll()
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!x) throw notFound('Experiment', 'EXPERIMENT_NOT_FOUND');
    const counts = await this.ctx.db
      .selectFrom('analytics_experiment_units')
      .select((eb) => ['variant', eb.fn.countAll<string>().as('n'), eb.fn.count<string>('converted_at').as('c')])
      .where('experiment_id', '=', id)
      .groupBy('variant')
      .execute();
    const byKey = new Map(counts.map((r) => [r.variant, { n: Number(r.n), conversions: Number(r.c) }]));
    const variants = (x.variants as Variant[]).map((v) => ({
      key: v.key,
      ...(byKey.get(v.key) ?? { n: 0, conversions: 0 }),
    }));
    const control = variants[0]!;
    return {
      experiment: toExperiment(x),
      variants: variants.map((v, i) => {
        const rate = v.n > 0 ? v.conversions / v.n : 0;
        const test = i === 0 ? null : twoProportionTest(control, v);
        const controlRate = control.n > 0 ? control.conversions / control.n : 0;
        return {
          variant: v.key,
          exposures: v.n,
          conversions: v.conversions,
          conversionRate: round(rate, 6),
          liftVsControl: i === 0 || controlRate === 0 ? null : round(rate / controlRate - 1, 6),
          z: test ? round(test.z, 4) : null,
          pValue: test ? round(test.pValue, 6) : null,
          significant: test ? test.pValue < 0.05 : null,
        };
      }),
    };
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function toExperiment(r: {
  id: number;
  key: string;
  name: string;
  variants: Variant[];
  goal: string;
  status: 'running' | 'stopped';
  created_at: Date;
}) {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    variants: r.variants,
    goal: r.goal,
    status: r.status,
    createdAt: r.created_at,
  };
}
