// A shop's customers (members): what each has bought here, their points and unused shop coupons, with
// an RFM score and a named segment usable as a coupon-issue target (POST …/coupons/:id/issue with the
// segment's user ids). Orders, points, coupons and names are their owners'; the scoring is ours, on the
// shop's absolute thresholds (rfm.ts).
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { daysBetween, scoresOf, segmentOf, type Segment } from './rfm.ts';

/** At most this many customers, the biggest spenders first (scores rank against all of them). */
const LIST_LIMIT = 1000;

export class MemberService {
  constructor(private readonly ctx: AppContext) {}

  async customers(actor: Actor, merchantId: number, segment?: Segment, find?: string) {
    const { merchants, orderQueries, points, coupons, directory } = this.ctx.services;
    await merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    const [all, thresholds] = await Promise.all([
      orderQueries.customerTotals(merchantId),
      this.ctx.services.rfmSettings.of(merchantId),
    ]);
    const now = new Date();
    const timeZone = this.ctx.config.analytics.timeZone;
    const top = [...all].sort((a, b) => b.paidFen - a.paidFen).slice(0, LIST_LIMIT);
    const ids = top.map((c) => c.userId);
    const [contacts, balances, held] = await Promise.all([
      directory.contacts(ids),
      points.balances(ids),
      coupons.unusedCounts(merchantId, ids),
    ]);
    const customers = top.flatMap((c) => {
      const who = contacts.get(c.userId);
      if (!who || (find && !matches(who, find))) return [];
      const facts = { recencyDays: daysBetween(c.lastPaidAt, now, timeZone), orders: c.orders, paidFen: c.paidFen };
      const rfm = scoresOf(facts, thresholds);
      // Staff see a masked number.
      const phone = who.phone ? `${who.phone.slice(0, 3)}****${who.phone.slice(-4)}` : null;
      return [
        {
          userId: c.userId,
          nickname: who.nickname,
          phone,
          orders: c.orders,
          paidFen: c.paidFen,
          lastPaidAt: c.lastPaidAt,
          recencyDays: facts.recencyDays,
          points: balances.get(c.userId) ?? 0,
          coupons: held.get(c.userId) ?? 0,
          rfm,
          segment: segmentOf(facts, thresholds),
        },
      ];
    });
    return segment ? customers.filter((c) => c.segment === segment) : customers;
  }
}

/** A nickname containing `find`, or the member's whole phone number (staff never see it unmasked). */
const matches = (who: { nickname: string; phone: string | null }, find: string) =>
  who.nickname.includes(find) || (who.phone !== null && who.phone === find.replace(/\s|-/g, ''));
