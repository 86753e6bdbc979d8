import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCuts } from './cut-plan.ts';

describe('bargain cut plans', () => {
  it('sum exactly to the reduction in exactly the configured number of helps, every cut ≥ 1 fen', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (helps, extra, seed) => {
          const reduction = helps + extra;
          const cuts = planCuts(reduction, helps, seed);
          expect(cuts).toHaveLength(helps);
          expect(cuts.reduce((a, b) => a + b, 0)).toBe(reduction);
          for (const c of cuts) {
            expect(Number.isInteger(c)).toBe(true);
            expect(c).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is reproducible from its seed, varies between seeds, and front-loads the first cut', () => {
    expect(planCuts(10_000, 8, 42)).toEqual(planCuts(10_000, 8, 42));
    expect(planCuts(10_000, 8, 42)).not.toEqual(planCuts(10_000, 8, 43));
    const cuts = planCuts(100_000, 10, 7);
    expect(cuts[0]).toBe(Math.max(...cuts));
  });

  it('refuses impossible plans', () => {
    expect(() => planCuts(3, 5, 1)).toThrow(RangeError);
    expect(() => planCuts(100, 0, 1)).toThrow(RangeError);
  });
});
