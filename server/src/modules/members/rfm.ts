// RFM (recency, frequency, monetary value) on thresholds a merchant can read: "bought in the last
// 30 days", "3 orders or more", "¥500 or more", "nothing for 90 days". Ranks among a shop's few
// customers called today's only buyer 沉睡 when the others happened to buy a minute later; an
// absolute threshold cannot. Scores 1–5 stay for the console's R-F-M column, each on the same scale.

export type Segment = 'champions' | 'loyal' | 'new' | 'at_risk' | 'hibernating' | 'others';
export const SEGMENTS: readonly Segment[] = ['champions', 'loyal', 'new', 'at_risk', 'hibernating', 'others'];

export interface RfmThresholds {
  /** Bought within this many days: recent. */
  activeDays: number;
  /** Nothing bought for this many days: lapsed. */
  lapsedDays: number;
  /** This many paid orders or more: frequent. */
  loyalOrders: number;
  /** This much paid in all (fen) or more: a big spender. */
  bigSpendFen: number;
}

export const DEFAULT_RFM: RfmThresholds = { activeDays: 30, lapsedDays: 90, loyalOrders: 3, bigSpendFen: 50_000 };

export interface CustomerFacts {
  /** Whole days since the last paid order (0 = today). */
  recencyDays: number;
  orders: number;
  paidFen: number;
}

/** Recency 5 (within activeDays) … 1 (more than twice lapsedDays). */
export function recencyScore(days: number, t: RfmThresholds): number {
  if (days <= t.activeDays) return 5;
  if (days <= (t.activeDays + t.lapsedDays) / 2) return 4;
  if (days < t.lapsedDays) return 3;
  if (days < 2 * t.lapsedDays) return 2;
  return 1;
}

/** 5 at twice the threshold, 4 at the threshold, 3 above half of it, 2 above nothing, 1 at one unit. */
function levelScore(value: number, threshold: number, unit: number): number {
  if (value >= 2 * threshold) return 5;
  if (value >= threshold) return 4;
  if (value * 2 >= threshold && value > unit) return 3;
  if (value > unit) return 2;
  return 1;
}

export function scoresOf(c: CustomerFacts, t: RfmThresholds) {
  return {
    r: recencyScore(c.recencyDays, t),
    f: levelScore(c.orders, t.loyalOrders, 1),
    m: levelScore(c.paidFen, t.bigSpendFen, 0),
  };
}

/** The named segment, from the three plain facts. */
export function segmentOf(c: CustomerFacts, t: RfmThresholds): Segment {
  const recent = c.recencyDays <= t.activeDays;
  const lapsed = c.recencyDays >= t.lapsedDays;
  const frequent = c.orders >= t.loyalOrders;
  const big = c.paidFen >= t.bigSpendFen;
  if (recent && frequent && big) return 'champions';
  if (!lapsed && frequent) return 'loyal';
  if (recent) return 'new';
  if (lapsed && (frequent || big)) return 'at_risk';
  if (lapsed) return 'hibernating';
  return 'others';
}

/** Whole days between two instants in the shop's time zone (calendar days, not 24-hour periods). */
export function daysBetween(from: Date, to: Date, timeZone: string): number {
  const day = (d: Date) => {
    const [y, m, dd] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(d)
      .split('-')
      .map(Number);
    return Date.UTC(y!, m! - 1, dd!) / 86_400_000;
  };
  return Math.max(0, day(to) - day(from));
}
