import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RFM, daysBetween, scoresOf, segmentOf } from './rfm.ts';

const facts = (recencyDays: number, orders: number, paidFen: number) => ({ recencyDays, orders, paidFen });

describe('RFM on absolute thresholds', () => {
  it('reads today’s only buyer as new, never 沉睡', () => {
    expect(segmentOf(facts(0, 1, 3_990), DEFAULT_RFM)).toBe('new');
    expect(scoresOf(facts(0, 1, 3_990), DEFAULT_RFM).r).toBe(5);
  });

  it('reads recent, frequent big spenders as champions and long-gone one-off buyers as hibernating', () => {
    expect(segmentOf(facts(3, 5, 80_000), DEFAULT_RFM)).toBe('champions');
    expect(segmentOf(facts(45, 4, 20_000), DEFAULT_RFM)).toBe('loyal');
    expect(segmentOf(facts(120, 4, 20_000), DEFAULT_RFM)).toBe('at_risk');
    expect(segmentOf(facts(120, 1, 60_000), DEFAULT_RFM)).toBe('at_risk'); // one big order, long ago
    expect(segmentOf(facts(120, 1, 2_000), DEFAULT_RFM)).toBe('hibernating');
    expect(segmentOf(facts(60, 1, 2_000), DEFAULT_RFM)).toBe('others');
  });

  it('follows the shop’s own thresholds', () => {
    const strict = { activeDays: 7, lapsedDays: 30, loyalOrders: 10, bigSpendFen: 1_000_000 };
    expect(segmentOf(facts(10, 5, 20_000), DEFAULT_RFM)).toBe('loyal');
    expect(segmentOf(facts(10, 5, 20_000), strict)).toBe('others');
    expect(segmentOf(facts(31, 5, 20_000), strict)).toBe('hibernating');
  });

  it('never calls a customer who bought within the recent period hibernating or at risk, whatever the thresholds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (activeDays, extra, loyalOrders, bigSpendFen, days, orders, paid) => {
          const t = { activeDays, lapsedDays: activeDays + extra, loyalOrders, bigSpendFen };
          const seg = segmentOf(facts(days, orders, paid), t);
          const s = scoresOf(facts(days, orders, paid), t);
          for (const v of [s.r, s.f, s.m]) expect(v >= 1 && v <= 5).toBe(true);
          if (days <= activeDays) expect(['champions', 'loyal', 'new']).toContain(seg);
          if (days >= t.lapsedDays) expect(['at_risk', 'hibernating']).toContain(seg);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts days in the shop’s time zone: 23:30 and 00:30 in Shanghai are a day apart', () => {
    const late = new Date('2026-12-01T15:30:00Z'); // 23:30 in Shanghai
    const early = new Date('2026-12-01T16:30:00Z'); // 00:30 the next day there
    expect(daysBetween(late, early, 'Asia/Shanghai')).toBe(1);
    expect(daysBetween(late, early, 'UTC')).toBe(0);
  });
});
