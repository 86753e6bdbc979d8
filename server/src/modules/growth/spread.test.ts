// Properties of the spread tree and K (spread.ts) over random share forests: every share is in the
// tree once at its parent's depth + 1, the levels add up to the whole, and K is new visitors per
// distinct sharer at each level, its decay the ratio to the level above.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SpreadShare, spreadSummary, subtree } from './spread.ts';

const forest = fc
  .array(fc.record({ parentPick: fc.option(fc.nat(), { nil: null }), sharer: fc.nat(7), newVisitors: fc.nat(5) }), {
    minLength: 1,
    maxLength: 60,
  })
  .map((rows) => {
    const shares: SpreadShare[] = [];
    rows.forEach((r, i) => {
      const parent = r.parentPick === null || i === 0 ? null : shares[r.parentPick % i]!;
      shares.push({
        id: i + 1,
        parentId: parent?.id ?? null,
        depth: parent ? parent.depth + 1 : 0,
        sharerKey: `u:${r.sharer}`,
        newVisitors: r.newVisitors,
      });
    });
    return shares;
  });
const round = (x: number) => Math.round(x * 10_000) / 10_000;

describe('spread tree and K', () => {
  it('adds the levels up to the whole and computes K and its decay per level', () => {
    fc.assert(
      fc.property(forest, (shares) => {
        const s = spreadSummary(shares);
        const total = shares.reduce((n, x) => n + x.newVisitors, 0);
        expect(s.newVisitors).toBe(total);
        expect(s.levels.reduce((n, l) => n + l.newVisitors, 0)).toBe(total);
        expect(s.levels.reduce((n, l) => n + l.shares, 0)).toBe(shares.length);
        expect(s.k).toBe(round(total / new Set(shares.map((x) => x.sharerKey)).size));
        s.levels.forEach((l, depth) => {
          const at = shares.filter((x) => x.depth === depth);
          const sharers = new Set(at.map((x) => x.sharerKey)).size;
          expect(l).toMatchObject({ depth, shares: at.length, sharers });
          expect(l.k).toBe(sharers === 0 ? 0 : round(l.newVisitors / sharers));
          const above = s.levels[depth - 1];
          expect(l.decay).toBe(above && above.k > 0 ? round(l.k / above.k) : null);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('puts every share in the tree once, at its parent depth + 1, and a subtree holds exactly the descendants', () => {
    fc.assert(
      fc.property(forest, fc.nat(), (shares, pick) => {
        const all = subtree(shares);
        expect(all.map((x) => x.id).sort((a, b) => a - b)).toEqual(shares.map((x) => x.id));
        const depthOf = new Map(all.map((x) => [x.id, x.depth]));
        for (const x of all) expect(x.depth).toBe(x.parentId === null ? 0 : depthOf.get(x.parentId)! + 1);
        const root = shares[pick % shares.length]!;
        const below = new Set([root.id]);
        for (const x of shares) if (x.parentId !== null && below.has(x.parentId)) below.add(x.id);
        const part = subtree(shares, [root.id]);
        expect(new Set(part.map((x) => x.id))).toEqual(below);
        expect(part[0]).toMatchObject({ id: root.id, depth: 0 });
        for (const x of part) expect(x.depth).toBe(x.id === root.id ? 0 : depthOf.get(x.id)! - root.depth);
      }),
      { numRuns: 300 },
    );
  });
});
