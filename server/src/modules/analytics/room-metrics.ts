// What the console shows for a room: cumulative numbers, the funnel and a per-minute series, all
// read from the rollups and the per-visitor funnel state (never from raw events, so the query
// stays fast however many events a show produced).
import type { RoomSummary } from '@livemall/sdk/realtime-frames';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';

export const FUNNEL_STAGES = ['exposure', 'enter', 'stayed_1min', 'product_click', 'order', 'paid'] as const;
/** Watching at least this long counts as "stayed". */
export const STAYED_SECONDS = 60;

// The summary is what the live-metrics frame carries to the console: one definition, the SDK's.
export type { RoomSummary } from '@livemall/sdk/realtime-frames';

export interface MinutePoint {
  at: Date;
  online: number;
  views: number;
  comments: number;
  follows: number;
  clicks: number;
  orders: number;
  paidOrders: number;
  gmvFen: number;
  watchSeconds: number;
}
export interface RoomDashboard {
  summary: RoomSummary;
  funnel: Array<{ stage: (typeof FUNNEL_STAGES)[number]; visitors: number; rateFromPrevious: number | null }>;
  series: MinutePoint[];
  products: Array<{
    productId: number;
    title: string;
    clicks: number;
    carts: number;
    orders: number;
    paidOrders: number;
    gmvFen: number;
  }>;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);

/** Product titles by id (the catalog's), for the product table. */
export type ProductTitles = (ids: number[]) => Promise<Map<number, string>>;

/**
 * `sinceMinutes` limits the series; `products: false` skips the product table (the live push has no use for
 * it), otherwise `titles` names its products.
 */
export async function roomDashboard(
  db: Db,
  roomId: number,
  opts: { sinceMinutes?: number; products?: false } | { titles: ProductTitles },
): Promise<RoomDashboard> {
  const withProducts = 'titles' in opts;
  const sinceMinutes = 'sinceMinutes' in opts ? opts.sinceMinutes : undefined;
  const since = sql.raw(sinceMinutes ? `and bucket >= now() - interval '${Math.floor(sinceMinutes)} minutes'` : '');
  const [totals, visitors, series, online, products] = await Promise.all([
    sql<
      Record<string, string>
    >`select coalesce(sum(enters), 0) as views, coalesce(sum(follows), 0) as follows, coalesce(sum(comments), 0) as comments,
        coalesce(sum(clicks), 0) as clicks, coalesce(sum(carts), 0) as carts, coalesce(sum(orders), 0) as orders, coalesce(sum(paid_orders), 0) as paid_orders,
        coalesce(sum(gmv_fen), 0) as gmv_fen, coalesce(sum(refund_fen), 0) as refund_fen
      from analytics_rollups where grain = 'minute' and room_id = ${roomId} and product_id = 0`.execute(db),
    sql<
      Record<string, string>
    >`select count(*) filter (where exposed) as exposed, count(*) filter (where entered) as entered,
        count(*) filter (where entered and watch_seconds >= ${STAYED_SECONDS}) as stayed, count(*) filter (where clicked) as clicked,
        count(*) filter (where ordered) as ordered, count(*) filter (where paid) as paid, count(*) filter (where interacted) as interacted,
        coalesce(sum(watch_seconds) filter (where entered), 0) as watch_seconds
      from analytics_room_visitors where room_id = ${roomId}`.execute(db),
    sql<
      Record<string, string | Date>
    >`select bucket, enters, comments, follows, clicks, orders, paid_orders, gmv_fen, watch_seconds
      from analytics_rollups where grain = 'minute' and room_id = ${roomId} and product_id = 0 ${since} order by bucket`.execute(
      db,
    ),
    sql<{ minute: Date; online: number }>`select date_trunc('minute', at) as minute, max(online)::int as online
      from analytics_online_samples where room_id = ${roomId} group by 1 order by 1`.execute(db),
    !withProducts
      ? Promise.resolve({ rows: [] as Array<Record<string, string>> })
      : sql<Record<string, string>>`
      select r.product_id, sum(r.clicks) as clicks, sum(r.carts) as carts, sum(r.orders) as orders,
        sum(r.paid_orders) as paid_orders, sum(r.gmv_fen) as gmv_fen
      from analytics_rollups r
      where r.grain = 'minute' and r.room_id = ${roomId} and r.product_id <> 0
      group by r.product_id order by sum(r.gmv_fen) desc, sum(r.clicks) desc limit 20`.execute(db),
  ]);
  const titles = withProducts
    ? await opts.titles(products.rows.map((r) => Number(r.product_id)))
    : new Map<number, string>();
  const t = numbers(totals.rows[0]!);
  const v = numbers(visitors.rows[0]!);
  const onlineByMinute = new Map(online.rows.map((r) => [new Date(r.minute).getTime(), Number(r.online)]));
  const points = new Map<number, MinutePoint>();
  for (const r of series.rows) {
    const at = new Date(r.bucket as Date);
    points.set(at.getTime(), {
      at,
      online: onlineByMinute.get(at.getTime()) ?? 0,
      views: Number(r.enters),
      comments: Number(r.comments),
      follows: Number(r.follows),
      clicks: Number(r.clicks),
      orders: Number(r.orders),
      paidOrders: Number(r.paid_orders),
      gmvFen: Number(r.gmv_fen),
      watchSeconds: Number(r.watch_seconds),
    });
  }
  for (const [ms, n] of onlineByMinute)
    if (!points.has(ms))
      points.set(ms, {
        at: new Date(ms),
        online: n,
        views: 0,
        comments: 0,
        follows: 0,
        clicks: 0,
        orders: 0,
        paidOrders: 0,
        gmvFen: 0,
        watchSeconds: 0,
      });
  const stages = [v('exposed'), v('entered'), v('stayed'), v('clicked'), v('ordered'), v('paid')];
  return {
    summary: {
      views: t('views'),
      viewers: v('entered'),
      avgWatchSeconds: v('entered') > 0 ? Math.round(v('watch_seconds') / v('entered')) : 0,
      newFollowers: t('follows'),
      comments: t('comments'),
      interactionRate: ratio(v('interacted'), v('entered')),
      productClicks: t('clicks'),
      carts: t('carts'),
      orders: t('orders'),
      paidOrders: t('paid_orders'),
      buyers: v('paid'),
      gmvFen: t('gmv_fen'),
      gpmFen: t('views') > 0 ? Math.round((t('gmv_fen') * 1000) / t('views')) : 0,
      refundFen: t('refund_fen'),
      conversionRate: ratio(v('paid'), v('entered')),
      peakOnline: Math.max(0, ...onlineByMinute.values()),
    },
    funnel: FUNNEL_STAGES.map((stage, i) => ({
      stage,
      visitors: stages[i]!,
      rateFromPrevious: i === 0 ? null : ratio(stages[i]!, stages[i - 1]!),
    })),
    series: [...points.values()].sort((a, b) => a.at.getTime() - b.at.getTime()),
    products: products.rows.flatMap((r) => {
      const title = titles.get(Number(r.product_id));
      return title === undefined
        ? []
        : [
            {
              productId: Number(r.product_id),
              title,
              clicks: Number(r.clicks),
              carts: Number(r.carts),
              orders: Number(r.orders),
              paidOrders: Number(r.paid_orders),
              gmvFen: Number(r.gmv_fen),
            },
          ];
    }),
  };
}

/** Read a numeric column (sums and counts come back as strings from PostgreSQL). */
function numbers(row: Record<string, unknown>): (column: string) => number {
  return (column) => Number(row[column] ?? 0);
}
