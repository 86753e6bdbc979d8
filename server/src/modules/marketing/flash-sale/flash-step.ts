// The flash-sale pricing step: the flash price on the item's line (stage product_deal), the unit
// taken in the cache before the order transaction (an attempt named by the token), settled in the
// database inside it.
import type { AppContext } from '../../../platform/context.ts';
import { badRequest, conflict } from '../../../platform/errors.ts';
import type { PricingStep } from '../../checkout/pipeline.ts';

export function flashSaleStep(ctx: AppContext): PricingStep {
  const flash = () => ctx.services.flashSales;
  return {
    name: 'flash_sale',
    stage: 'product_deal',
    async apply(p) {
      const itemId = p.input.flashSaleItemId;
      if (!itemId) return;
      const item = await flash().activeItem(p.db, itemId);
      const line = p.lines.find((l) => l.skuId === item.sku_id);
      if (!line) throw badRequest('FLASH_ITEM_NOT_IN_BASKET', 'Put the flash-sale item in the basket');
      if (line.quantity > item.per_user_limit)
        throw conflict('FLASH_LIMIT_REACHED', `At most ${item.per_user_limit} per person`);
      const off = (line.unitPriceFen - item.flash_price_fen) * line.quantity;
      line.unitPriceFen = item.flash_price_fen;
      line.amountFen -= off;
      line.adjustments.push({
        step: 'flash_sale',
        stage: 'product_deal',
        reason: `秒杀「${item.title}」单价${(item.flash_price_fen / 100).toFixed(2)}元`,
        amountFen: -off,
        ref: `flash:${itemId}`,
      });
      p.effects.flash = { itemId, skuId: item.sku_id, quantity: line.quantity };
    },
    async beforePlace(userId, items, input) {
      if (!input.flashSaleItemId) return;
      const item = await flash().activeItem(ctx.db, input.flashSaleItemId, { memo: true });
      const quantity = items.filter((i) => i.skuId === item.sku_id).reduce((s, i) => s + i.quantity, 0);
      if (!quantity) throw badRequest('FLASH_ITEM_NOT_IN_BASKET', 'Put the flash-sale item in the basket');
      return flash().take(userId, input.flashSaleItemId, quantity, input.flashToken);
    },
    async commit(p, orders, db) {
      const f = p.effects.flash as { itemId: number; skuId: number; quantity: number } | undefined;
      if (!f) return;
      const order = orders.find((o) => o.merchantId === p.lines.find((l) => l.skuId === f.skuId)!.merchantId)!;
      await flash().settle(db, order.orderId, p.userId, f.itemId, f.quantity, p.input.flashToken);
    },
  };
}
