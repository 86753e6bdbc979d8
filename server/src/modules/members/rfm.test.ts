import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntile, segmentOf } from './rfm.ts';

describe('RFM scores', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await PGlite.create();
  });
  afterAll(async () => {
    await pg.close();
  });

  it('splits seven customers 2, 2, 1, 1, 1 from the lowest value up', () => {
    const values = [70, 10, 60, 20, 50, 30, 40];
    const scores = ntile(values, 5, (v) => v);
    expect(values.map((v) => scores.get(v))).toEqual([5, 1, 4, 1, 3, 2, 2]);
  });

  it('gives every customer the score PostgreSQL ntile(5) gives them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 40 }), async (values) => {
        const sql = values.length
          ? `select v, ntile(5) over (order by v) as n from (values ${values.map((v) => `(${v})`).join(', ')}) t(v)`
          : 'select 1 as v, 1 as n where false';
        const expected = new Map((await pg.query<{ v: number; n: number }>(sql)).rows.map((r) => [r.v, r.n]));
        const scores = ntile(values, 5, (v) => v);
        expect(new Map(values.map((v) => [v, scores.get(v)]))).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('reads recent, frequent, big spenders as champions and long-gone one-off buyers as hibernating', () => {
    expect(segmentOf(5, 5, 5)).toBe('champions');
    expect(segmentOf(1, 1, 1)).toBe('hibernating');
    expect(segmentOf(5, 1, 3)).toBe('new');
    expect(segmentOf(2, 4, 2)).toBe('at_risk');
  });
});
