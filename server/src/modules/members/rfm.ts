// RFM (recency, frequency, monetary value): each customer ranked 1–5 on each against the shop's
// other customers, and the usual reading of the three as a named segment.

export type Segment = 'champions' | 'loyal' | 'new' | 'at_risk' | 'hibernating' | 'others';
export const SEGMENTS: readonly Segment[] = ['champions', 'loyal', 'new', 'at_risk', 'hibernating', 'others'];

/** The usual RFM reading: high scores are recent, frequent, big spenders. */
export function segmentOf(r: number, f: number, m: number): Segment {
  if (r >= 4 && f >= 4 && m >= 4) return 'champions';
  if (f >= 4 && r >= 3) return 'loyal';
  if (r >= 4 && f <= 2) return 'new';
  if (r <= 2 && f >= 3) return 'at_risk';
  if (r <= 2 && f <= 2) return 'hibernating';
  return 'others';
}

/**
 * SQL's ntile(buckets) over `key` ascending: rank i of n goes to the bucket of the same number; with
 * n = q·buckets + rest, the first `rest` buckets hold q + 1 and the others q. Ties keep input order.
 */
export function ntile<T>(items: readonly T[], buckets: number, key: (t: T) => number): Map<T, number> {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const q = Math.floor(sorted.length / buckets);
  const rest = sorted.length % buckets;
  const out = new Map<T, number>();
  let i = 0;
  for (let b = 1; b <= buckets; b++) {
    for (let k = 0; k < q + (b <= rest ? 1 : 0); k++) out.set(sorted[i++]!, b);
  }
  return out;
}
