// The group-buy pricing step: the group price on the deal's single line; the seat is taken in
// the order transaction (opening the group, or joining under the group's row lock).
import type { AppContext } from '../../../platform/context.ts';
import { badRequest } from '../../../platform/errors.ts';
import type { PricingStep } from '../../checkout/pipeline.ts';

export function groupBuyStep(ctx: AppContext): PricingStep {
  return {
    name: 'group_buy',
    stage: 'product_deal',
    async apply(p) {
      const gb = p.input.groupBuy;
      if (!gb) return;
      const deal = await ctx.services.groupBuys.forBasket(p.db, p.userId, gb.dealId, gb.groupId ?? null);
      const line = p.lines[0]!;
      if (p.lines.length !== 1 || line.skuId !== deal.sku_id || line.quantity !== 1)
        throw badRequest('GROUP_BUY_BASKET_INVALID', "A group-buy order is one unit of the deal's item");
      const off = line.unitPriceFen - deal.group_price_fen;
      line.unitPriceFen = deal.group_price_fen;
      line.amountFen -= off;
      line.adjustments.push({
        step: 'group_buy',
        stage: 'product_deal',
        reason: `${deal.group_size}人团「${deal.title}」拼团价${(deal.group_price_fen / 100).toFixed(2)}元`,
        amountFen: -off,
        ref: `group_buy:${deal.id}`,
      });
      p.effects.groupBuy = { dealId: deal.id, groupId: gb.groupId ?? null };
    },
    async commit(p, orders, db) {
      const gb = p.effects.groupBuy as { dealId: number; groupId: number | null } | undefined;
      if (!gb) return;
      await ctx.services.groupBuys.seat(db, p.userId, gb.dealId, gb.groupId, orders[0]!.orderId);
    },
  };
}
