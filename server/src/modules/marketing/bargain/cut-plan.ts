// Bargain (砍价) cut plans: N random-looking cuts that add up to exactly the reduction, so the
// price lands on the floor with the last configured help. The plan is drawn once at start from
// a seed (kept with the bargain), so it is reproducible and cannot be gamed by retrying a help.
import { allocate } from '../../../platform/money/allocate.ts';

/** mulberry32: a small, well-distributed seeded PRNG (32-bit state). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Plan `helps` cuts summing to `reductionFen`. The first friend cuts the most (it feels
 * rewarding and invites sharing), later cuts shrink with noise; every cut is at least 1 fen.
 */
export function planCuts(reductionFen: number, helps: number, seed: number): number[] {
  if (!Number.isSafeInteger(helps) || helps < 1) throw new RangeError('helps must be a positive integer');
  if (!Number.isSafeInteger(reductionFen) || reductionFen < helps) {
    throw new RangeError(`reduction ${reductionFen} fen cannot be cut in ${helps} helps of at least 1 fen`);
  }
  const random = seededRandom(seed);
  const weights = Array.from({ length: helps }, (_, i) => {
    const decay = 0.82 ** i;
    const noise = 0.6 + random() * 0.8;
    const firstBoost = i === 0 ? 2.5 : 1;
    return Math.max(1, Math.round(decay * noise * firstBoost * 10_000));
  });
  const spread = allocate(reductionFen - helps, weights);
  return spread.map((c) => c + 1);
}
