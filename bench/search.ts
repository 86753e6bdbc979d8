// Search quality on the demo catalogue: precision@10 of the shopper search (jieba words, synonyms,
// typo fallback, ranking) next to the substring search it replaced (ILIKE on title/subtitle plus
// trigram similarity, the old SQL verbatim), both over the same freshly seeded database in one run.
// The queries and their relevant products are labelled in bench/search-queries.json.
//   npx tsx bench/search.ts            DATABASE_URL=… npx tsx bench/search.ts
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type SqlBool } from 'kysely';
import { escapeLike } from '../server/src/modules/inventory/inventory-service.ts';
import { seedDemo } from '../server/src/seed/seed.ts';
import { startNode } from '../server/test/harness.ts';

interface Labelled {
  q: string;
  relevant: string[];
  note?: string;
}
const { queries } = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'search-queries.json'), 'utf8')) as {
  queries: Labelled[];
};

const node = await startNode(process.env.DATABASE_URL ? { db: 'postgres' } : {});
try {
  await seedDemo(node.app, { write: () => true });
  const db = node.app.ctx.db;
  const codes = new Map(
    (await db.selectFrom('products').select(['id', 'spu_code']).where('spu_code', 'is not', null).execute()).map(
      (r) => [r.id, r.spu_code!],
    ),
  );

  /** The search before this one: substrings and trigram similarity, ranked as it did. */
  async function substring(kw: string): Promise<number[]> {
    const like = `%${escapeLike(kw)}%`;
    const rows = await db
      .selectFrom('products as p')
      .select('p.id')
      .where('p.status', '=', 'on_shelf')
      .where('p.deleted_at', 'is', null)
      .where((eb) =>
        eb.or([eb('p.title', 'ilike', like), eb('p.subtitle', 'ilike', like), sql<SqlBool>`p.title % ${kw}`]),
      )
      .orderBy(sql`(p.title ilike ${like})`, 'desc')
      .orderBy(sql`similarity(p.title, ${kw})`, 'desc')
      .orderBy('p.sales', 'desc')
      .orderBy('p.id', 'desc')
      .limit(10)
      .execute();
    return rows.map((r) => r.id);
  }
  async function current(kw: string): Promise<number[]> {
    return (await node.app.ctx.services.productSearch.rank(kw)).ids.slice(0, 10);
  }

  type Score = { p10: number; returnedPrecision: number; empty: boolean; ms: number };
  async function score(run: (q: string) => Promise<number[]>, l: Labelled): Promise<Score> {
    const t0 = performance.now();
    const top = (await run(l.q)).map((id) => codes.get(id) ?? `#${id}`);
    const ms = performance.now() - t0;
    const hits = top.filter((c) => l.relevant.includes(c)).length;
    return {
      // Relevant results in the top 10 over how many there could be (a query with 2 relevant goods scores 1 for both).
      p10: hits / Math.min(10, l.relevant.length),
      returnedPrecision: top.length ? hits / top.length : 0,
      empty: top.length === 0,
      ms,
    };
  }

  // Warm both paths (jieba dictionary, catch-up indexing, query plans) before timing.
  await current('芒果');
  await substring('芒果');
  const rows: Array<{ l: Labelled; now: Score; before: Score }> = [];
  for (const l of queries) rows.push({ l, now: await score(current, l), before: await score(substring, l) });

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `Search on the demo catalogue (${codes.size} products, ${queries.length} labelled queries, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  );
  console.log('| search | precision@10 | precision of what is shown | queries with no result | median ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, pick] of [
    ['words + synonyms + fallback (now)', (r: (typeof rows)[number]) => r.now],
    ['substring + trigram (before)', (r: (typeof rows)[number]) => r.before],
  ] as const) {
    const s = rows.map(pick);
    console.log(
      `| ${name} | ${pct(mean(s.map((x) => x.p10)))} | ${pct(mean(s.map((x) => x.returnedPrecision)))} | ${s.filter((x) => x.empty).length} | ${median(s.map((x) => x.ms)).toFixed(1)} |`,
    );
  }
  if (process.env.BENCH_VERBOSE)
    for (const r of rows) console.log(`${r.l.q}\tnow ${r.now.p10.toFixed(2)}\tbefore ${r.before.p10.toFixed(2)}`);
} finally {
  await node.close();
}
