// The bargain pricing step: the bargain's reached price on its single line; marked bought with the order.
import type { AppContext } from '../../../platform/context.ts';
import { badRequest } from '../../../platform/errors.ts';
import type { PricingStep } from '../../checkout/pipeline.ts';

export function bargainStep(ctx: AppContext): PricingStep {
  return {
    name: 'bargain',
    stage: 'product_deal',
    async apply(p) {
      const id = p.input.bargainId;
      if (!id) return;
      const b = await ctx.services.bargains.forBasket(p.db, p.userId, id);
      const line = p.lines[0]!;
      if (p.lines.length !== 1 || line.skuId !== b.sku_id || line.quantity !== 1)
        throw badRequest('BARGAIN_BASKET_INVALID', 'A bargain order is one unit of its item');
      const off = line.unitPriceFen - b.current_price_fen;
      line.unitPriceFen = b.current_price_fen;
      line.amountFen -= off;
      line.adjustments.push({
        step: 'bargain',
        stage: 'product_deal',
        reason: `砍价「${b.title}」砍后价${(b.current_price_fen / 100).toFixed(2)}元`,
        amountFen: -off,
        ref: `bargain:${id}`,
      });
      p.effects.bargainId = id;
    },
    async commit(p, orders, db) {
      const id = p.effects.bargainId as number | undefined;
      if (id) await ctx.services.bargains.markBought(db, id, orders[0]!.orderId);
    },
  };
}
