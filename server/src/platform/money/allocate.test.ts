import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, formatYuan } from './allocate.ts';

describe('allocate', () => {
  it('splits a worked example by largest remainder', () => {
    // 1000 off three lines worth 3333, 3333, 3334 (total 10000): 333.3, 333.3, 333.4 -> 333, 333, 334
    expect(allocate(1000, [3333, 3333, 3334])).toEqual([333, 333, 334]);
    // Equal remainders: the earlier line gets the extra fen.
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [5, 7])).toEqual([0, 0]);
  });

  it('always sums exactly, parts are non-negative integers, and caps hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, share) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          const total = Math.floor(sum * share);
          const parts = allocate(total, weights, { capByWeight: true });
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(Number.isInteger(p)).toBe(true);
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(weights[i]!);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is proportional within one fen', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (weights, total) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          const parts = allocate(total, weights);
          for (const [i, p] of parts.entries()) expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects floats, negatives and over-allocation', () => {
    expect(() => allocate(10.5, [1, 2])).toThrow(RangeError);
    expect(() => allocate(-1, [1])).toThrow(RangeError);
    expect(() => allocate(5, [1, 2], { capByWeight: true })).toThrow(RangeError);
  });

  it('formats yuan for display', () => {
    expect(formatYuan(12345)).toBe('¥123.45');
    expect(formatYuan(5)).toBe('¥0.05');
  });
});
