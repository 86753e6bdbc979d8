// The spread tree and the fission coefficient, as pure functions of the shares (with their parents)
// and the new visitors each brought in (visitors whose first touch in the shop came through it).
// K at a level = new visitors brought by that level's shares ÷ distinct sharers at that level;
// its decay = K of the level ÷ K of the level above (how fast the spread dies out).

export interface SpreadShare {
  id: number;
  parentId: number | null;
  depth: number;
  sharerKey: string;
  newVisitors: number;
}
export interface SpreadLevel {
  depth: number;
  shares: number;
  sharers: number;
  newVisitors: number;
  /** New visitors per sharer at this level. */
  k: number;
  /** k ÷ k of the level above; null at the root level or when the level above brought no one. */
  decay: number | null;
}
export interface SpreadSummary {
  levels: SpreadLevel[];
  sharers: number;
  newVisitors: number;
  /** Over the whole tree: new visitors per distinct sharer. */
  k: number;
  maxDepth: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

export function spreadSummary(shares: readonly SpreadShare[]): SpreadSummary {
  const byDepth = new Map<number, { shares: number; sharers: Set<string>; newVisitors: number }>();
  for (const s of shares) {
    const level = byDepth.get(s.depth) ?? { shares: 0, sharers: new Set<string>(), newVisitors: 0 };
    level.shares++;
    level.sharers.add(s.sharerKey);
    level.newVisitors += s.newVisitors;
    byDepth.set(s.depth, level);
  }
  const maxDepth = shares.length === 0 ? -1 : Math.max(...byDepth.keys());
  const levels: SpreadLevel[] = [];
  for (let depth = 0; depth <= maxDepth; depth++) {
    const l = byDepth.get(depth) ?? { shares: 0, sharers: new Set<string>(), newVisitors: 0 };
    const k = ratio(l.newVisitors, l.sharers.size);
    const above = levels[depth - 1];
    levels.push({
      depth,
      shares: l.shares,
      sharers: l.sharers.size,
      newVisitors: l.newVisitors,
      k,
      decay: above && above.k > 0 ? ratio(k, above.k) : null,
    });
  }
  const sharers = new Set(shares.map((s) => s.sharerKey)).size;
  const newVisitors = shares.reduce((n, s) => n + s.newVisitors, 0);
  return { levels, sharers, newVisitors, k: ratio(newVisitors, sharers), maxDepth: Math.max(maxDepth, 0) };
}

/**
 * The shares under `rootIds` (all roots when empty), each with its depth below the chosen root
 * and how many shares hang below it; a share whose parent is outside the set becomes a root.
 */
export function subtree(shares: readonly SpreadShare[], rootIds: readonly number[] = []): SpreadShare[] {
  const byId = new Map(shares.map((s) => [s.id, s]));
  const children = new Map<number, SpreadShare[]>();
  for (const s of shares) {
    if (s.parentId === null || !byId.has(s.parentId)) continue;
    const list = children.get(s.parentId) ?? [];
    list.push(s);
    children.set(s.parentId, list);
  }
  const roots = rootIds.length
    ? rootIds.map((id) => byId.get(id)).filter((s): s is SpreadShare => s !== undefined)
    : shares.filter((s) => s.parentId === null || !byId.has(s.parentId));
  // Depth-first, pre-order, without recursion (a long chain must not exhaust the stack).
  const out: SpreadShare[] = [];
  const stack: Array<[SpreadShare, number]> = roots.map((r) => [r, 0] as [SpreadShare, number]).reverse();
  while (stack.length > 0) {
    const [s, depth] = stack.pop()!;
    out.push({ ...s, depth });
    const below = children.get(s.id) ?? [];
    for (let i = below.length - 1; i >= 0; i--) stack.push([below[i]!, depth + 1]);
  }
  return out;
}
