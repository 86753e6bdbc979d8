// Exact integer splits of money (fen). Every discount, points deduction, commission or refund
// that is spread over several lines goes through here, so the parts always sum to the whole.

/**
 * Split `total` over `weights` in proportion, with the largest-remainder method: parts are
 * integers, sum exactly to `total`, and ties go to the earlier line (stable, reproducible).
 * When `capByWeight` is set (the usual case: a discount on line prices), no part exceeds its
 * weight, and `total` must not exceed the sum of weights.
 */
export function allocate(total: number, weights: number[], opts: { capByWeight?: boolean } = {}): number[] {
  assertFen(total, 'total');
  for (const [i, w] of weights.entries()) assertFen(w, `weights[${i}]`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over no lines');
    return [];
  }
  if (opts.capByWeight && total > sum) throw new RangeError(`total ${total} exceeds the sum of weights ${sum}`);
  if (sum === 0) {
    // Nothing to weigh by: spread evenly (only possible when uncapped or total is 0).
    return allocate(
      total,
      weights.map(() => 1),
    );
  }
  // BigInt keeps total * weight exact even for large amounts.
  const parts = weights.map((w) => (BigInt(total) * BigInt(w)) / BigInt(sum));
  const remainders = weights.map((w, i) => ({ i, r: (BigInt(total) * BigInt(w)) % BigInt(sum) }));
  let left = BigInt(total) - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    if (opts.capByWeight && parts[i]! >= BigInt(weights[i]!)) continue;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

export function assertFen(v: number, name = 'amount'): void {
  if (!Number.isSafeInteger(v) || v < 0)
    throw new RangeError(`${name} must be a non-negative integer number of fen, got ${v}`);
}

/** Format fen as yuan text for humans (never for arithmetic). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
