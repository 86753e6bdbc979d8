// Analytics benchmark, in one process against one database (the embedded PGlite, or PostgreSQL
// with DATABASE_URL):
//   1. ingest: the beacon path (validation + one multi-row INSERT per 100 events) next to the
//      naive tracker, one INSERT statement per event, same table, same run;
//   2. a million raw events stored (spread over the demo shop's rooms and products, 3 hours of a
//      show), rolled up (minute → hour → day), then the room dashboard query's p50/p99 next to the
//      same numbers computed straight from raw events.
//   npx tsx bench/analytics.ts            DATABASE_URL=postgres://… npx tsx bench/analytics.ts
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createApp } from '../server/src/app.ts';
import { testConfig } from '../server/src/platform/config.ts';
import { roomDashboard } from '../server/src/modules/analytics/room-metrics.ts';
import { seedDemo } from '../server/src/seed/seed.ts';
import { progress } from '../server/src/platform/progress.ts';
import { createPostgresDatabase } from '../server/test/backends.ts';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const INGEST_BATCHED = Number(process.env.BENCH_INGEST ?? 50_000);
const INGEST_ROWS = Number(process.env.BENCH_ROW_INSERTS ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-bench-analytics-'));
const pgDb = process.env.DATABASE_URL ? await createPostgresDatabase() : undefined;
console.log(
  `LiveMall analytics benchmark (${pgDb ? 'PostgreSQL' : 'PGlite'}): ${TOTAL.toLocaleString()} stored events`,
);
const app = await createApp({
  ...testConfig({ dataDir, databaseUrl: pgDb?.url, seedDemo: false, demoStream: false, logLevel: 'warn' }),
  analytics: {
    tickMs: 86_400_000,
    lagMs: 0,
    timeZone: 'Asia/Shanghai',
    rawRetentionDays: 90,
    webhookAllowPrivate: false,
  },
  workers: false,
});
const { db } = app.ctx;
const ingest = app.ctx.services.analytics.ingest;
const ms = (ns: bigint) => Number(ns) / 1e6;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

try {
  await seedDemo(app);
  const rooms = (await db.selectFrom('live_rooms').select(['id', 'merchant_id']).orderBy('id').execute()).map((r) => ({
    id: Number(r.id),
    merchantId: Number(r.merchant_id),
  }));
  const products = (await db.selectFrom('products').select(['id', 'merchant_id']).execute()).map((p) => ({
    id: Number(p.id),
    merchantId: Number(p.merchant_id),
  }));
  const room = rooms[0]!;
  const roomProducts = products.filter((p) => p.merchantId === room.merchantId);
  console.log(`${rooms.length} rooms, ${products.length} products`);

  // A plausible event for visitor v at time t in a room: mostly heartbeats, some entries and clicks.
  const event = (v: number, t: number, r: { id: number; merchantId: number }) => {
    const x = (v * 7919 + t) % 100;
    const p =
      products.filter((q) => q.merchantId === r.merchantId)[v % Math.max(1, roomProducts.length)] ?? roomProducts[0]!;
    if (x < 60) return { type: 'heartbeat', roomId: r.id, seconds: 15 };
    if (x < 75) return { type: 'room_enter', roomId: r.id };
    if (x < 85) return { type: 'exposure', roomId: r.id };
    if (x < 95) return { type: 'product_click', roomId: r.id, productId: p.id };
    return { type: 'add_to_cart', roomId: r.id, productId: p.id };
  };

  // 1. Ingest.
  console.log(
    `\ningest: ${fmt(INGEST_BATCHED)} events through the beacon path (100 per beacon) vs ${fmt(INGEST_ROWS)} single-row INSERTs`,
  );
  let t = process.hrtime.bigint();
  const batched = progress('  beacon path, batched', INGEST_BATCHED);
  for (let i = 0; i < INGEST_BATCHED; i += 100) {
    const deviceId = `bench-${crypto.randomBytes(6).toString('hex')}`;
    const r = await ingest.beacon({
      deviceId,
      userId: null,
      userAgent: UA,
      events: Array.from({ length: 100 }, (_, k) => event(i + k, i + k, room)),
    });
    if (r.accepted !== 100) throw new Error(`beacon rejected events: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    batched.update(i + 100);
  }
  batched.finish();
  const batchedMs = ms(process.hrtime.bigint() - t);
  t = process.hrtime.bigint();
  const rowByRow = progress('  row-at-a-time INSERT', INGEST_ROWS);
  for (let i = 0; i < INGEST_ROWS; i++) {
    const e = event(i, i, room);
    await sql`insert into analytics_events (type, source, device_id, merchant_id, room_id, product_id, seconds, occurred_at)
      values (${e.type}, 'client', ${`row-${i % 500}`}, ${room.merchantId}, ${e.roomId}, ${e.productId ?? null}, ${e.seconds ?? 0}, now())`.execute(
      db,
    );
    rowByRow.update(i + 1);
  }
  rowByRow.finish();
  const rowMs = ms(process.hrtime.bigint() - t);
  const batchedRate = INGEST_BATCHED / (batchedMs / 1000);
  const rowRate = INGEST_ROWS / (rowMs / 1000);
  console.log(`  ${'beacon path, batched (100/INSERT)'.padEnd(40)} ${fmt(batchedRate).padStart(9)} events/s`);
  console.log(
    `  ${'row-at-a-time INSERT (baseline)'.padEnd(40)} ${fmt(rowRate).padStart(9)} events/s   → batched is ${(batchedRate / rowRate).toFixed(1)}×`,
  );

  // 2. Fill to TOTAL with a 3-hour show spread over the rooms (the first room gets half), bulk-loaded.
  const have = Number((await sql<{ n: string }>`select count(*) as n from analytics_events`.execute(db)).rows[0]!.n);
  const start = Date.now() - 3 * 3600_000;
  const CHUNK = 5000;
  t = process.hrtime.bigint();
  const storing = progress('  stored events', TOTAL - have);
  for (let i = have; i < TOTAL; i += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, TOTAL - i) }, (_, k) => {
      const n = i + k;
      const r = n % 2 === 0 ? room : rooms[n % rooms.length]!;
      const visitor = n % 40_000;
      const e = event(visitor, n, r);
      return {
        type: e.type,
        source: 'client' as const,
        device_id: `dev-${visitor}`,
        user_id: null,
        merchant_id: r.merchantId,
        room_id: r.id,
        product_id: e.productId ?? null,
        seconds: e.seconds ?? 0,
        props: '{}',
        occurred_at: new Date(start + Math.floor((n / TOTAL) * 3 * 3600_000)),
        dedupe_key: null,
        amount_fen: 0,
      };
    });
    await db.insertInto('analytics_events').values(rows).execute();
    storing.update(i + rows.length - have);
  }
  storing.finish();
  t = process.hrtime.bigint();
  let rolled = 0;
  const rolling = progress('  rolled up events', TOTAL);
  for (;;) {
    const r = await app.ctx.services.analytics.rollup();
    if (r.events === 0) break;
    rolled += r.events;
    rolling.update(rolled);
  }
  rolling.finish();
  const rollupSec = ms(process.hrtime.bigint() - t) / 1000;
  console.log(`  rolled up ${fmt(rolled)} events in ${rollupSec.toFixed(1)} s (${fmt(rolled / rollupSec)} events/s)`);
  const inRoom = Number(
    (await sql<{ n: string }>`select count(*) as n from analytics_events where room_id = ${room.id}`.execute(db))
      .rows[0]!.n,
  );

  // 3. The room dashboard: rollups vs straight from raw events.
  const fromRaw = async () =>
    sql`
    with v as (
      select coalesce('u:' || user_id, 'd:' || device_id) as visitor, bool_or(type = 'exposure') as exposed, bool_or(type in ('room_enter', 'heartbeat')) as entered,
        coalesce(sum(seconds) filter (where type = 'heartbeat'), 0) as watch, bool_or(type = 'product_click') as clicked, bool_or(type = 'order') as ordered, bool_or(type = 'order_paid') as paid
      from analytics_events where room_id = ${room.id} group by 1)
    select (select count(*) filter (where type = 'room_enter') from analytics_events where room_id = ${room.id}) as views,
      count(*) filter (where entered) as viewers, avg(watch) filter (where entered) as avg_watch, count(*) filter (where exposed) as exposed,
      count(*) filter (where entered and watch >= 60) as stayed, count(*) filter (where clicked) as clicked, count(*) filter (where ordered) as ordered, count(*) filter (where paid) as paid,
      (select json_agg(m) from (select date_trunc('minute', occurred_at) as minute, count(*) filter (where type = 'room_enter') as views, count(*) filter (where type = 'product_click') as clicks
        from analytics_events where room_id = ${room.id} group by 1 order by 1) m) as series
    from v`.execute(db);
  const time = async (label: string, n: number, fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    const querying = progress(`  ${label} queries`, n);
    for (let i = 0; i < n; i++) {
      const s = process.hrtime.bigint();
      await fn();
      samples.push(ms(process.hrtime.bigint() - s));
      querying.update(i + 1);
    }
    querying.finish();
    return { label, p50: pct(samples, 50), p99: pct(samples, 99), n };
  };
  console.log(`\nroom dashboard (room ${room.id}: ${fmt(inRoom)} of ${fmt(TOTAL)} events, ${QUERIES} queries):`);
  const titles = { titles: app.ctx.services.analytics.productTitles };
  const viaRollups = await time('rollups', QUERIES, () => roomDashboard(db, room.id, titles));
  const viaRaw = await time('raw', Math.max(5, Math.floor(QUERIES / 20)), fromRaw);
  const check = await roomDashboard(db, room.id, titles);
  const raw = (await fromRaw()).rows[0] as Record<string, unknown>;
  if (Number(raw.viewers) !== check.summary.viewers || Number(raw.views) !== check.summary.views)
    throw new Error(
      `rollups disagree with raw: ${JSON.stringify({ raw: { viewers: raw.viewers, views: raw.views }, rollups: check.summary })}`,
    );
  for (const r of [viaRollups, viaRaw]) {
    console.log(
      `  ${(r === viaRollups ? 'LiveMall (rollups + visitor funnel)' : 'straight from raw events (baseline)').padEnd(40)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   (${r.n} queries)`,
    );
  }
  console.log(
    `  same answer: ${fmt(check.summary.viewers)} viewers, ${fmt(check.summary.views)} views; rollups are ${(viaRaw.p99 / viaRollups.p99).toFixed(0)}× faster at p99`,
  );
} finally {
  await app.close();
  await pgDb?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
