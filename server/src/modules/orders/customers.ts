// A shop's customers (members): what each has bought here, their points and unused shop coupons, with an RFM score — recency, frequency
// and monetary value each ranked 1–5 against the shop's other customers — and named segments usable
// as a coupon-issue target (POST …/coupons/:id/issue with the segment's user ids).
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';

export type Segment = 'champions' | 'loyal' | 'new' | 'at_risk' | 'hibernating' | 'others';

/** The usual RFM reading: high scores are recent, frequent, big spenders. */
export function segmentOf(r: number, f: number, m: number): Segment {
  if (r >= 4 && f >= 4 && m >= 4) return 'champions';
  if (f >= 4 && r >= 3) return 'loyal';
  if (r >= 4 && f <= 2) return 'new';
  if (r <= 2 && f >= 3) return 'at_risk';
  if (r <= 2 && f <= 2) return 'hibernating';
  return 'others';
}

export async function shopCustomers(ctx: AppContext, actor: Actor, merchantId: number, segment?: Segment) {
  await ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
  const rows = (await sql<{ user_id: number; nickname: string; phone: string | null; orders: number; paid_fen: number; last_paid: Date; points: number; coupons: number; r: number; f: number; m: number }>`
    with c as (
      select o.user_id, count(*) as orders, sum(o.total_fen - o.refunded_fen) as paid_fen, max(o.paid_at) as last_paid
      from orders o where o.merchant_id = ${merchantId} and o.paid_at is not null group by o.user_id
    )
    select c.user_id, u.nickname, u.phone, c.orders, c.paid_fen, c.last_paid,
      coalesce((select balance from points_accounts p where p.user_id = c.user_id), 0) as points,
      (select count(*) from coupons k where k.user_id = c.user_id and k.merchant_id = ${merchantId} and k.status = 'unused') as coupons,
      ntile(5) over (order by c.last_paid) as r, ntile(5) over (order by c.orders) as f, ntile(5) over (order by c.paid_fen) as m
    from c join users u on u.id = c.user_id
    order by c.paid_fen desc limit 1000`.execute(ctx.db)).rows;
  const customers = rows.map((x) => {
    const seg = segmentOf(Number(x.r), Number(x.f), Number(x.m));
    const phone = x.phone ? `${x.phone.slice(0, 3)}****${x.phone.slice(-4)}` : null; // staff see a masked number
    return { userId: x.user_id, nickname: x.nickname, phone, orders: Number(x.orders), paidFen: Number(x.paid_fen), lastPaidAt: new Date(x.last_paid), points: Number(x.points), coupons: Number(x.coupons), rfm: { r: Number(x.r), f: Number(x.f), m: Number(x.m) }, segment: seg };
  });
  return segment ? customers.filter((c) => c.segment === segment) : customers;
}
