// The arithmetic as properties: a commission never pays more than the rate on what the buyer kept,
// its line shares sum exactly, refunds only ever lower it, and a full refund takes it to zero; the
// rate precedence and the binding decisions as a table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRefund, bindingDecision, earned, lineRates, withShares } from './rules.ts';

const line = fc.record({
  lineId: fc.integer({ min: 1, max: 1_000_000 }),
  skuId: fc.integer({ min: 1, max: 100 }),
  productId: fc.integer({ min: 1, max: 100 }),
  payableFen: fc.integer({ min: 0, max: 50_000_000 }),
  refundedFen: fc.constant(0),
  bp: fc.integer({ min: 0, max: 10_000 }),
});
const lines = fc.uniqueArray(line, { minLength: 1, maxLength: 8, selector: (l) => l.lineId });

describe('commission arithmetic', () => {
  it('never pays more than Σ rate × kept, and the line shares sum to the amount', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const { amountFen, shares } = earned(ls);
        const exact = ls.reduce((a, l) => a + (l.bp * l.payableFen) / 10_000, 0);
        expect(amountFen).toBeLessThanOrEqual(exact + 1e-6);
        expect(amountFen).toBeGreaterThan(exact - 1 - 1e-6);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(amountFen);
      }),
    );
  });

  it('only lowers the commission with each refund, and a full refund takes it to zero', () => {
    fc.assert(
      fc.property(
        lines,
        fc.array(fc.tuple(fc.nat(7), fc.integer({ min: 0, max: 60_000_000 })), { maxLength: 6 }),
        (ls, refunds) => {
          let current = withShares(ls);
          for (const [i, amountFen] of refunds) {
            const target = ls[i % ls.length]!;
            const next = withShares(applyRefund(current.lines, [{ lineId: target.lineId, amountFen }], false));
            expect(next.amountFen).toBeLessThanOrEqual(current.amountFen);
            for (const l of next.lines) expect(l.refundedFen).toBeLessThanOrEqual(l.payableFen);
            current = next;
          }
          expect(withShares(applyRefund(current.lines, [], true)).amountFen).toBe(0);
        },
      ),
    );
  });

  it("takes the product's rates first, then the promoters' levels, then the shop's, capped at 100 % together", () => {
    const shop = { level1Bp: 1000, level2Bp: 300 };
    expect(lineRates(shop, undefined, undefined, undefined)).toEqual(shop);
    expect(lineRates(shop, undefined, { level1Bp: 2000, level2Bp: 1 }, { level1Bp: 1, level2Bp: 500 })).toEqual({
      level1Bp: 2000,
      level2Bp: 500,
    });
    expect(lineRates(shop, { level1Bp: 50, level2Bp: 10 }, { level1Bp: 2000, level2Bp: 1 }, undefined)).toEqual({
      level1Bp: 50,
      level2Bp: 10,
    });
    expect(lineRates(shop, undefined, { level1Bp: 9000, level2Bp: 0 }, { level1Bp: 0, level2Bp: 9000 })).toEqual({
      level1Bp: 9000,
      level2Bp: 1000,
    });
  });

  it('binds when there is no live binding, refreshes the same promoter, and lets the mode decide otherwise', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const live = {
      promoterId: 1,
      boundAt: new Date('2026-11-30T00:00:00Z'),
      expiresAt: new Date('2026-12-20T00:00:00Z'),
    };
    const gone = { ...live, expiresAt: new Date('2026-12-01T00:00:00Z') };
    expect(bindingDecision(undefined, 2, now, 'first')).toBe('bind');
    expect(bindingDecision(gone, 2, now, 'first')).toBe('bind');
    expect(bindingDecision(live, 1, now, 'first')).toBe('refresh');
    expect(bindingDecision(live, 2, now, 'first')).toBe('keep');
    expect(bindingDecision(live, 2, now, 'last')).toBe('bind');
    expect(bindingDecision(live, 2, new Date('2026-11-29T00:00:00Z'), 'last')).toBe('keep');
  });
});
