// Incremental rollups: raw events (and chat messages, as comments) are read in id order behind a
// short lag, counted into minute rows; the hours and days they touched are then recomputed from
// the minutes. Everything happens in one transaction under the analytics lock, so a crash leaves
// the watermark and the counts together, and re-running is always safe.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import { ANALYTICS_LOCK, inTransaction } from './lock.ts';
import { MERGE_VISITOR } from './ingest.ts';

/** Additive counter columns, shared by all grains. */
export const COUNTERS = [
  'page_views',
  'exposures',
  'enters',
  'watch_seconds',
  'clicks',
  'carts',
  'checkouts',
  'comments',
  'follows',
  'shares',
  'orders',
  'order_fen',
  'paid_orders',
  'gmv_fen',
  'refunds',
  'refund_fen',
] as const;

/** How each counter is computed from a batch of events (`amount` is the line's or order's fen). */
const COUNTER_SQL: Record<(typeof COUNTERS)[number], string> = {
  page_views: `count(*) filter (where type in ('page_view', 'room_enter'))`,
  exposures: `count(*) filter (where type = 'exposure')`,
  enters: `count(*) filter (where type = 'room_enter')`,
  watch_seconds: `coalesce(sum(seconds) filter (where type = 'heartbeat'), 0)`,
  clicks: `count(*) filter (where type = 'product_click')`,
  carts: `count(*) filter (where type = 'add_to_cart')`,
  checkouts: `count(*) filter (where type = 'checkout_start')`,
  comments: `count(*) filter (where type = 'comment')`,
  follows: `count(*) filter (where type = 'follow')`,
  shares: `count(*) filter (where type = 'share')`,
  orders: `count(*) filter (where type = 'order')`,
  order_fen: `coalesce(sum(amount) filter (where type = 'order'), 0)`,
  paid_orders: `count(*) filter (where type = 'order_paid')`,
  gmv_fen: `coalesce(sum(amount) filter (where type = 'order_paid'), 0)`,
  refunds: `count(*) filter (where type = 'refund')`,
  refund_fen: `coalesce(sum(amount) filter (where type = 'refund'), 0)`,
};

/**
 * The rows one batch adds, at product grain: every event in the product_id 0 row ("all products"),
 * product events again in their product's row, and order lines in their products' rows.
 */
export const EVENT_ROWS_SQL = (from: string) => `
  select id, type, merchant_id, coalesce(room_id, 0) as room_id, 0::bigint as product_id, amount_fen as amount, seconds, occurred_at from ${from}
  union all
  select id, type, merchant_id, coalesce(room_id, 0), product_id, 0, seconds, occurred_at from ${from} where product_id is not null
  union all
  select id, type, merchant_id, coalesce(room_id, 0), (line->>'productId')::bigint, (line->>'payableFen')::bigint, 0, occurred_at
  from ${from}, jsonb_array_elements(case when type in ('order', 'order_paid') then props->'items' else '[]'::jsonb end) as line`;

export const COUNTER_SELECT = COUNTERS.map((c) => `${COUNTER_SQL[c]} as ${c}`).join(', ');
const SUM_SELECT = COUNTERS.map((c) => `sum(${c}) as ${c}`).join(', ');
const ADD_ON_CONFLICT = COUNTERS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ');
const COLS = COUNTERS.join(', ');

export interface RollupOptions {
  timeZone: string;
  lagMs: number;
  batchSize?: number;
  /** The chat's visible messages after an id (the interaction module's feed): they become comment events. */
  chat: (
    db: Db,
    afterId: number,
    opts: { lagMs: number; batchSize?: number | undefined },
  ) => Promise<{
    upTo: number;
    messages: Array<{ id: number; userId: number; merchantId: number; roomId: number; createdAt: Date }>;
  }>;
}
export interface RollupResult {
  events: number;
  comments: number;
  lastId: number;
}

export async function rollup(db: Db, opts: RollupOptions): Promise<RollupResult> {
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${ANALYTICS_LOCK})`.execute(trx);
    const comments = await importComments(trx, opts);
    const from = await watermark(trx, 'events');
    const to = await safeUpperId(trx, 'analytics_events', 'received_at', from, opts);
    if (to <= from) return { events: 0, comments, lastId: from };

    await sql.raw(`drop table if exists analytics_batch, analytics_touched, analytics_touched_days`).execute(trx);
    await sql
      .raw(`create temp table analytics_batch on commit drop as
      select e.id, e.type, e.merchant_id, e.room_id, e.product_id, e.amount_fen, e.seconds, e.props, e.occurred_at, e.device_id,
             coalesce(e.user_id, d.user_id) as uid,
             case when coalesce(e.user_id, d.user_id) is not null then 'u:' || coalesce(e.user_id, d.user_id)
                  when e.device_id <> '' then 'd:' || e.device_id end as visitor
      from analytics_events e left join analytics_devices d on d.device_id = e.device_id and e.device_id <> ''
      where e.id > ${from} and e.id <= ${to} and e.merchant_id is not null`)
      .execute(trx);

    await sql
      .raw(`
      insert into analytics_rollups as r (grain, bucket, merchant_id, room_id, product_id, ${COLS})
      select 'minute', date_trunc('minute', occurred_at), merchant_id, room_id, product_id, ${COUNTER_SELECT}
      from (${EVENT_ROWS_SQL('analytics_batch')}) x group by 2, 3, 4, 5
      on conflict (grain, merchant_id, room_id, product_id, bucket) do update set ${ADD_ON_CONFLICT}`)
      .execute(trx);

    await sql
      .raw(`
      insert into analytics_room_visitors as v (room_id, visitor, merchant_id, exposed, entered, watch_seconds, clicked, ordered, paid, interacted, first_at, last_at)
      select room_id, visitor, min(merchant_id), bool_or(type = 'exposure'), bool_or(type in ('room_enter', 'heartbeat')),
        coalesce(sum(seconds) filter (where type = 'heartbeat'), 0), bool_or(type = 'product_click'), bool_or(type = 'order'),
        bool_or(type = 'order_paid'), bool_or(type in ('comment', 'follow', 'share')), min(occurred_at), max(occurred_at)
      from analytics_batch where room_id is not null and visitor is not null group by room_id, visitor
      on conflict (room_id, visitor) do update set ${MERGE_VISITOR}`)
      .execute(trx);

    // A visit is anything a visitor did but being shown a room card.
    await sql`
      insert into analytics_daily_visitors (day, merchant_id, room_id, visitor)
      select distinct (occurred_at at time zone ${opts.timeZone})::date, merchant_id, scope.room_id, visitor
      from analytics_batch, lateral (select 0::bigint as room_id union all select analytics_batch.room_id where analytics_batch.room_id is not null) scope
      where visitor is not null and type <> 'exposure'
      on conflict do nothing`.execute(trx);

    // A/B conversions: the first goal event after exposure, by device or by (stitched) user.
    await sql
      .raw(`
      update analytics_experiment_units u set converted_at = m.at
      from (
        select un.experiment_id, un.unit, min(b.occurred_at) as at
        from analytics_batch b
        join analytics_experiments x on x.goal = b.type and x.merchant_id = b.merchant_id and x.status = 'running'
        join analytics_experiment_units un on un.experiment_id = x.id and un.converted_at is null and b.occurred_at >= un.exposed_at
          and (un.unit = 'd:' || b.device_id or un.user_id = b.uid)
        group by 1, 2
      ) m
      where u.experiment_id = m.experiment_id and u.unit = m.unit and u.converted_at is null`)
      .execute(trx);

    await recomputeCoarser(trx, opts.timeZone);
    await setWatermark(trx, 'events', to);
    const n = await sql<{ n: number }>`select count(*)::int as n from analytics_batch`.execute(trx);
    return { events: Number(n.rows[0]!.n), comments, lastId: to };
  });
}

/** Hours touched by this batch are rebuilt from their minutes, then the touched days from their hours. */
async function recomputeCoarser(trx: Db, timeZone: string): Promise<void> {
  await sql
    .raw(`create temp table analytics_touched on commit drop as
    select distinct merchant_id, date_trunc('hour', occurred_at) as bucket from analytics_batch`)
    .execute(trx);
  await rebuild(trx, 'hour', 'minute', 'analytics_touched');
  // Days are local days; hours nest in them for whole-hour offsets (Asia/Shanghai and most zones).
  const zone = timeZone.replace(/'/g, '');
  await sql
    .raw(`create temp table analytics_touched_days on commit drop as
    select distinct merchant_id, (date_trunc('day', bucket at time zone '${zone}') at time zone '${zone}') as bucket from analytics_touched`)
    .execute(trx);
  await rebuild(trx, 'day', 'hour', 'analytics_touched_days');
}

/** Replace the `grain` rows of the touched (merchant, bucket) pairs with the sums of their `finer` rows. */
async function rebuild(trx: Db, grain: 'hour' | 'day', finer: 'minute' | 'hour', touched: string): Promise<void> {
  await sql
    .raw(
      `delete from analytics_rollups r using ${touched} t where r.grain = '${grain}' and r.merchant_id = t.merchant_id and r.bucket = t.bucket`,
    )
    .execute(trx);
  await sql
    .raw(`
    insert into analytics_rollups (grain, bucket, merchant_id, room_id, product_id, ${COLS})
    select '${grain}', t.bucket, r.merchant_id, r.room_id, r.product_id, ${SUM_SELECT}
    from ${touched} t join analytics_rollups r on r.grain = '${finer}' and r.merchant_id = t.merchant_id
      and r.bucket >= t.bucket and r.bucket < t.bucket + interval '1 ${grain}'
    group by 2, 3, 4, 5`)
    .execute(trx);
}

/** Chat messages become comment events (chat is a hot path, so it is read here, not through the outbox). */
async function importComments(trx: Db, opts: RollupOptions): Promise<number> {
  const from = await watermark(trx, 'chat');
  const { upTo, messages } = await opts.chat(trx, from, { lagMs: opts.lagMs, batchSize: opts.batchSize });
  if (upTo <= from) return 0;
  let added = 0;
  for (let i = 0; i < messages.length; i += 2000) {
    const r = await trx
      .insertInto('analytics_events')
      .values(
        messages.slice(i, i + 2000).map((m) => ({
          type: 'comment',
          source: 'server' as const,
          device_id: '',
          dedupe_key: `chat:${m.id}`,
          user_id: m.userId,
          merchant_id: m.merchantId,
          room_id: m.roomId,
          occurred_at: m.createdAt,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  await setWatermark(trx, 'chat', upTo);
  return added;
}

/**
 * The highest id that is safe to read: rows are taken in id order only up to the first row younger
 * than the lag, so a row whose transaction commits a little after a later id is never skipped.
 */
async function safeUpperId(
  trx: Db,
  table: string,
  timeCol: string,
  from: number,
  opts: RollupOptions,
): Promise<number> {
  const cutoff = sql.raw(opts.lagMs > 0 ? `now() - interval '${Math.round(opts.lagMs)} milliseconds'` : `now()`);
  const r = await sql<{ max_id: string | null; young_id: string | null }>`
    select (select max(id) from ${sql.table(table)} where id > ${from}) as max_id,
           (select min(id) from ${sql.table(table)} where id > ${from} and ${sql.ref(timeCol)} > ${cutoff}) as young_id`.execute(
    trx,
  );
  const row = r.rows[0]!;
  if (row.max_id === null) return from;
  let to = Number(row.max_id);
  if (row.young_id !== null) to = Math.min(to, Number(row.young_id) - 1);
  return Math.min(to, from + (opts.batchSize ?? 200_000));
}

async function watermark(trx: Db, source: string): Promise<number> {
  const r = await trx
    .selectFrom('analytics_rollup_state')
    .select('last_id')
    .where('source', '=', source)
    .executeTakeFirst();
  return r ? Number(r.last_id) : 0;
}

async function setWatermark(trx: Db, source: string, lastId: number): Promise<void> {
  await trx
    .insertInto('analytics_rollup_state')
    .values({ source, last_id: lastId })
    .onConflict((oc) => oc.column('source').doUpdateSet({ last_id: lastId, updated_at: sql`now()` }))
    .execute();
}
