// Catalogue of the server's fixed texts (namespace `server`, see server-text.ts). The Chinese
// templates reproduce what the server writes, so the check can render every example back unchanged.
import type { Catalogue } from './enums-zh.ts';

export const serverTextZh = {
  base: '{{sku}}单价{{price}}元 × {{qty}}', flashSale: '秒杀「{{name}}」单价{{price}}元',
  groupBuy: '{{size}}人团「{{name}}」拼团价{{price}}元', bargain: '砍价「{{name}}」砍后价{{price}}元',
  newUserPrice: '新人价「{{name}}」单价{{price}}元', limitedDiscount: '限时折扣「{{name}}」单价{{price}}元',
  fullReduction: '「{{name}}」{{label}}：满{{min}}元减{{off}}元', fullReductionEach: '「{{name}}」{{label}}：每满{{min}}元减{{off}}元',
  fullPercent: '「{{name}}」{{label}}：满{{min}}元打{{zhe}}折', coupon: '{{kind}}「{{name}}」{{terms}}',
  points: '积分抵扣：{{points}}积分抵{{yuan}}元', shippingFee: '运费{{fee}}元（{{province}}，{{units}}）', pieces: '{{n}}件',
  freeOver: '满{{min}}元包邮', noDelivery: '不配送至{{province}}', cashOff: '立减{{off}}元', spendAndSave: '满{{min}}元减{{off}}元',
  percentOffCapped: '{{zhe}}折，最多减{{cap}}元', percentOff: '{{zhe}}折', shortOf: '还差{{yuan}}元可用',
  freeShippingIn: '再买{{yuan}}元即可包邮', nextTier: '「{{name}}」再买{{yuan}}元可享下一档优惠',
  pointsUsable: '可用{{points}}积分抵扣', couponNotMet: '优惠券「{{name}}」未满足使用条件',
  bestStack: '已为你选择最优惠的券组合（{{n}}张）', couponsIdle: '你有{{n}}张券，本单暂不满足使用条件',
  shopCoupon: '店铺券', platformCoupon: '平台券', fullReductionLabel: '满减', fullPercentLabel: '满折', freeShipping: '包邮',
  freeShippingCoupon: '包邮券：免运费', noAddress: '未选择地址', shippingAfterAddress: '选择收货地址后计算运费',
  noPoints: '暂无积分', pointsNotUsable: '本单不可使用积分', clashesWithChosen: '与所选的券一起用时不满足使用条件',
  nothingFromShop: '本单没有该店铺的商品', outOfScope: '本单商品不在此券的使用范围内', noShippingToWaive: '本单无需运费',
  savesNothing: '本单可减金额为0',
};

export const serverTextEn: Catalogue<typeof serverTextZh> = {
  base: '{{sku}}unit price ¥{{price}} × {{qty}}', flashSale: 'Flash sale “{{name}}”: ¥{{price}} each',
  groupBuy: '{{size}}-person group “{{name}}”: ¥{{price}}', bargain: 'Bargain “{{name}}”: now ¥{{price}}',
  newUserPrice: 'New-customer price “{{name}}”: ¥{{price}} each',
  limitedDiscount: 'Limited-time discount “{{name}}”: ¥{{price}} each',
  fullReduction: '“{{name}}” {{label}}: ¥{{off}} off over ¥{{min}}',
  fullReductionEach: '“{{name}}” {{label}}: ¥{{off}} off every ¥{{min}}',
  fullPercent: '“{{name}}” {{label}}: {{pct}}% off over ¥{{min}}', coupon: '{{kind}} “{{name}}”: {{terms}}',
  points: '{{points}} points for ¥{{yuan}}', shippingFee: 'Shipping ¥{{fee}} ({{province}}, {{units}})', pieces: '{{n}} pcs',
  freeOver: 'Free shipping over ¥{{min}}', noDelivery: 'No delivery to {{province}}', cashOff: '¥{{off}} off',
  spendAndSave: '¥{{off}} off over ¥{{min}}', percentOffCapped: '{{pct}}% off, at most ¥{{cap}}', percentOff: '{{pct}}% off',
  shortOf: '¥{{yuan}} more to use it', freeShippingIn: 'Spend ¥{{yuan}} more for free shipping',
  nextTier: '“{{name}}”: spend ¥{{yuan}} more for the next tier', pointsUsable: '{{points}} points usable',
  couponNotMet: 'Coupon “{{name}}” does not apply', bestStack: 'The best combination of your coupons is applied ({{n}})',
  couponsIdle: 'You have {{n}} coupons; none applies to this order',
  shopCoupon: 'Shop coupon', platformCoupon: 'Platform coupon', fullReductionLabel: 'spend & save',
  fullPercentLabel: 'spend & save', freeShipping: 'Free shipping', freeShippingCoupon: 'Free-shipping coupon: no shipping fee',
  noAddress: 'No address chosen', shippingAfterAddress: 'Shipping is worked out once you choose an address',
  noPoints: 'No points yet', pointsNotUsable: 'Points cannot be used for this order',
  clashesWithChosen: 'Does not apply together with the coupons you chose', nothingFromShop: 'Nothing from this shop in the order',
  outOfScope: 'This coupon does not cover these items', noShippingToWaive: 'No shipping fee to waive',
  savesNothing: 'Saves nothing on this order',
};
