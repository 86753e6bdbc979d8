// Merchant reports from the hour and day rollups: over time, by room, by product. UV comes from
// the per-day visitor sets, so it is exact (a visitor on two days of a range counts once by room).
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';

export type ReportBy = 'time' | 'room' | 'product';
export interface ReportRow {
  key: string;
  label: string;
  visitors: number | null;
  pageViews: number;
  enters: number;
  watchSeconds: number;
  clicks: number;
  carts: number;
  comments: number;
  follows: number;
  orders: number;
  paidOrders: number;
  gmvFen: number;
  refundFen: number;
}

const SUMS = `sum(r.page_views) as page_views, sum(r.enters) as enters, sum(r.watch_seconds) as watch_seconds, sum(r.clicks) as clicks,
  sum(r.carts) as carts, sum(r.comments) as comments, sum(r.follows) as follows, sum(r.orders) as orders, sum(r.paid_orders) as paid_orders,
  sum(r.gmv_fen) as gmv_fen, sum(r.refund_fen) as refund_fen`;

/** Names of the rows' rooms and products by id (the live and catalog modules'); a missing one is labelled ''. */
export interface ReportLabels {
  rooms(ids: number[]): Promise<Map<number, string>>;
  products(ids: number[]): Promise<Map<number, string>>;
}

export async function report(
  db: Db,
  q: {
    merchantId: number;
    by: ReportBy;
    grain: 'hour' | 'day';
    from: Date;
    to: Date;
    roomId?: number | undefined;
    timeZone: string;
  },
  labels: ReportLabels,
): Promise<ReportRow[]> {
  const grain = q.by === 'time' ? q.grain : 'day';
  const room = q.roomId !== undefined ? sql`and r.room_id = ${q.roomId}` : sql``;
  const tz = q.timeZone;
  // Whole buckets: every hour/day the range touches (days are local days).
  const start =
    grain === 'day'
      ? sql`(date_trunc('day', ${q.from}::timestamptz at time zone ${tz}) at time zone ${tz})`
      : sql`date_trunc('hour', ${q.from}::timestamptz)`;
  const end =
    grain === 'day'
      ? sql`(date_trunc('day', ${q.to}::timestamptz at time zone ${tz}) at time zone ${tz} + interval '1 day')`
      : sql`(date_trunc('hour', ${q.to}::timestamptz) + interval '1 hour')`;
  if (q.by === 'time') {
    const rows = await sql<Record<string, unknown>>`
      select r.bucket as key, ${sql.raw(SUMS)},
        ${grain === 'day' ? sql`(select count(*) from analytics_daily_visitors v where v.merchant_id = ${q.merchantId} and v.room_id = ${q.roomId ?? 0} and v.day = (r.bucket at time zone ${tz})::date)` : sql`null`} as visitors
      from analytics_rollups r
      where r.grain = ${grain} and r.merchant_id = ${q.merchantId} and r.product_id = 0 and r.bucket >= ${start} and r.bucket < ${end} ${room}
      group by r.bucket order by r.bucket`.execute(db);
    return rows.rows.map((r) => toRow(r, new Date(r.key as Date).toISOString(), new Date(r.key as Date).toISOString()));
  }
  if (q.by === 'room') {
    const rows = await sql<Record<string, unknown>>`
      select r.room_id as key, ${sql.raw(SUMS)},
        (select count(distinct v.visitor) from analytics_daily_visitors v where v.merchant_id = ${q.merchantId} and v.room_id = r.room_id
          and v.day >= (${start} at time zone ${tz})::date and v.day < (${end} at time zone ${tz})::date) as visitors
      from analytics_rollups r
      where r.grain = 'day' and r.merchant_id = ${q.merchantId} and r.product_id = 0 and r.room_id <> 0 and r.bucket >= ${start} and r.bucket < ${end} ${room}
      group by r.room_id order by sum(r.gmv_fen) desc, sum(r.enters) desc limit 200`.execute(db);
    const titles = await labels.rooms(rows.rows.map((r) => Number(r.key)));
    return rows.rows.map((r) => toRow(r, String(r.key), titles.get(Number(r.key)) ?? ''));
  }
  const rows = await sql<Record<string, unknown>>`
    select r.product_id as key, ${sql.raw(SUMS)}, null as visitors
    from analytics_rollups r
    where r.grain = 'day' and r.merchant_id = ${q.merchantId} and r.product_id <> 0 and r.bucket >= ${start} and r.bucket < ${end} ${room}
    group by r.product_id order by sum(r.gmv_fen) desc, sum(r.clicks) desc limit 200`.execute(db);
  const titles = await labels.products(rows.rows.map((r) => Number(r.key)));
  return rows.rows.map((r) => toRow(r, String(r.key), titles.get(Number(r.key)) ?? ''));
}

function toRow(r: Record<string, unknown>, key: string, label: string): ReportRow {
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    key,
    label,
    visitors: r.visitors === null || r.visitors === undefined ? null : Number(r.visitors),
    pageViews: n('page_views'),
    enters: n('enters'),
    watchSeconds: n('watch_seconds'),
    clicks: n('clicks'),
    carts: n('carts'),
    comments: n('comments'),
    follows: n('follows'),
    orders: n('orders'),
    paidOrders: n('paid_orders'),
    gmvFen: n('gmv_fen'),
    refundFen: n('refund_fen'),
  };
}
