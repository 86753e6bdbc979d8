// The operator's view across shops: paid orders and GMV (net of refunds) today and over 7 days.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';

export async function platformDashboard(ctx: AppContext) {
  const rows = (await sql<{ merchant_id: number; name: string; today_orders: number; today_gmv: number; week_orders: number; week_gmv: number }>`
    select m.id as merchant_id, m.name,
      count(*) filter (where o.paid_at >= date_trunc('day', now())) as today_orders,
      coalesce(sum(o.total_fen - o.refunded_fen) filter (where o.paid_at >= date_trunc('day', now())), 0) as today_gmv,
      count(o.id) as week_orders, coalesce(sum(o.total_fen - o.refunded_fen), 0) as week_gmv
    from merchants m left join orders o on o.merchant_id = m.id and o.paid_at >= now() - interval '7 days'
    group by m.id, m.name order by week_gmv desc`.execute(ctx.db)).rows;
  return rows.map((r) => ({ merchantId: r.merchant_id, name: r.name, todayOrders: Number(r.today_orders), todayGmvFen: Number(r.today_gmv), weekOrders: Number(r.week_orders), weekGmvFen: Number(r.week_gmv) }));
}
