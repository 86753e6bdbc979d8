// Points and refunds as pure functions: what comes back of the points paid with, and what is taken
// back of the points earned, over random sequences of partial refunds handled in any order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POINTS_POLICY, earnedPointsToReverse, pointsEarned, pointsUsedToReturn } from './points.ts';

/** Cumulative refunded amounts after each refund, ending at `paid` when `toTheEnd`. */
const refundsArb = fc
  .record({
    paid: fc.integer({ min: 1, max: 1_000_000 }),
    cuts: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }),
    toTheEnd: fc.boolean(),
    order: fc.array(fc.nat()),
  })
  .map(({ paid, cuts, toTheEnd, order }) => {
    const sum = cuts.reduce((a, b) => a + b, 0) || 1;
    let acc = 0;
    const cumulative = cuts.map((c) => (acc = Math.min(paid, acc + Math.floor((paid * c) / sum))));
    if (toTheEnd) cumulative.push(paid);
    // Handlers may see the events in another order (retries): shuffle by `order`.
    const shuffled = [...cumulative].sort(
      (a, b) => (order[cumulative.indexOf(a)] ?? 0) - (order[cumulative.indexOf(b)] ?? 0),
    );
    return { paid, cumulative, shuffled, toTheEnd };
  });

describe('points on refunds', () => {
  it('points paid with come back in proportion, exactly all of them once all goods are refunded, whatever the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), refundsArb, (used, r) => {
        let returned = 0;
        for (const refunded of r.shuffled) {
          const step = pointsUsedToReturn(used, r.paid, refunded, returned);
          expect(step).toBeGreaterThanOrEqual(0);
          returned += step;
          expect(returned).toBeLessThanOrEqual(used);
        }
        const last = Math.max(0, ...r.cumulative);
        expect(returned).toBe(r.toTheEnd ? used : Math.floor((used * last) / r.paid));
      }),
      { numRuns: 1000 },
    );
  });

  it('points earned end as what the kept amount earns, whatever the order of the refunds', () => {
    fc.assert(
      fc.property(refundsArb, fc.integer({ min: 0, max: 1_000_000 }), (r, refundedBeforeCompletion) => {
        const keptAtCompletion = Math.max(0, r.paid - Math.min(refundedBeforeCompletion, r.paid));
        const earned = pointsEarned(keptAtCompletion, DEFAULT_POINTS_POLICY);
        let reversed = 0;
        for (const refunded of r.shuffled) {
          const kept = Math.min(keptAtCompletion, r.paid - refunded);
          const step = earnedPointsToReverse(earned, reversed, kept, DEFAULT_POINTS_POLICY);
          expect(step).toBeGreaterThanOrEqual(0);
          reversed += step;
        }
        const keptAtEnd = Math.min(keptAtCompletion, r.paid - Math.max(0, ...r.cumulative));
        expect(earned - reversed).toBe(Math.min(earned, pointsEarned(keptAtEnd, DEFAULT_POINTS_POLICY)));
      }),
      { numRuns: 1000 },
    );
  });
});
