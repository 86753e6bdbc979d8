// The server writes price-breakdown reasons, checkout notes and coupon hints in Chinese. A Chinese
// reader sees them as written; an English reader gets the fixed part translated (i18next namespace
// `server`), with the numbers and the names merchants gave their campaigns carried over. Each
// pattern carries an example of what the server writes (server/src/modules/checkout, marketing,
// shipping): scripts/i18n-check.ts renders every example back in Chinese and must get it unchanged,
// and in English with no Chinese left but the quoted names. Unknown text is shown as it came.

type Vars = Record<string, string>;
interface Pattern {
  key: string;
  re: RegExp;
  example: string;
  vars?: (g: Vars, again: (s: string) => string) => Vars;
}

const NUM = '(\\d+(?:\\.\\d+)?)';
const rx = (src: string) => new RegExp(`^${src.replaceAll('#', NUM)}$`);
/** 8.5折 → 15 (% off). */
const percentOff = (zhe: string) => String(Math.round((10 - Number(zhe)) * 100) / 10);

export const SERVER_PATTERNS: Pattern[] = [
  // Price-breakdown lines (adjustments and charges), one per pricing step.
  { key: 'base', re: rx('(?<sku>.+ )?单价(?<price>#)元 × (?<qty>\\d+)'), example: '红色/M 单价99.00元 × 2' },
  { key: 'flashSale', re: rx('秒杀「(?<name>.+)」单价(?<price>#)元'), example: '秒杀「芒果」单价29.90元' },
  {
    key: 'groupBuy',
    re: rx('(?<size>\\d+)人团「(?<name>.+)」拼团价(?<price>#)元'),
    example: '3人团「芒果」拼团价29.90元',
  },
  { key: 'bargain', re: rx('砍价「(?<name>.+)」砍后价(?<price>#)元'), example: '砍价「芒果」砍后价19.90元' },
  { key: 'newUserPrice', re: rx('新人价「(?<name>.+)」单价(?<price>#)元'), example: '新人价「尝鲜」单价9.90元' },
  {
    key: 'limitedDiscount',
    re: rx('限时折扣「(?<name>.+)」单价(?<price>#)元'),
    example: '限时折扣「周末」单价59.00元',
  },
  {
    key: 'fullReduction',
    re: rx('「(?<name>.+)」(?<label>满减|满折)：满(?<min>#)元减(?<off>#)元'),
    example: '「满199减30」满减：满199元减30元',
    vars: (g, again) => ({ ...g, label: again(g.label!) }),
  },
  {
    key: 'fullReductionEach',
    re: rx('「(?<name>.+)」(?<label>满减|满折)：每满(?<min>#)元减(?<off>#)元'),
    example: '「每满100减10」满减：每满100元减10元',
    vars: (g, again) => ({ ...g, label: again(g.label!) }),
  },
  {
    key: 'fullPercent',
    re: rx('「(?<name>.+)」(?<label>满减|满折)：满(?<min>#)元打(?<zhe>#)折'),
    example: '「两件9折」满折：满100元打9折',
    vars: (g, again) => ({ ...g, label: again(g.label!), pct: percentOff(g.zhe!) }),
  },
  {
    key: 'coupon',
    re: rx('(?<kind>店铺券|平台券)「(?<name>.+)」(?<terms>.+)'),
    example: '店铺券「鲜果满99减15」满99元减15元',
    vars: (g, again) => ({ ...g, kind: again(g.kind!), terms: again(g.terms!) }),
  },
  { key: 'points', re: rx('积分抵扣：(?<points>\\d+)积分抵(?<yuan>#)元'), example: '积分抵扣：500积分抵5.00元' },
  {
    key: 'shippingFee',
    re: rx('运费(?<fee>#)元（(?<province>.+)，(?<units>.+)）'),
    example: '运费10.00元（广东省，2件）',
    vars: (g, again) => ({ ...g, units: again(g.units!) }),
  },
  { key: 'pieces', re: rx('(?<n>\\d+)件'), example: '2件' },
  { key: 'freeOver', re: rx('满(?<min>#)元包邮'), example: '满99元包邮' },
  { key: 'noDelivery', re: rx('不配送至(?<province>.+)'), example: '不配送至新疆' },
  // Coupon terms (describe() in marketing/rules/coupons.ts) and why a coupon does nothing here.
  { key: 'cashOff', re: rx('立减(?<off>#)元'), example: '立减10元' },
  { key: 'spendAndSave', re: rx('满(?<min>#)元减(?<off>#)元'), example: '满99元减15元' },
  {
    key: 'percentOffCapped',
    re: rx('(?<zhe>#)折，最多减(?<cap>#)元'),
    example: '8.5折，最多减20元',
    vars: (g) => ({ ...g, pct: percentOff(g.zhe!) }),
  },
  { key: 'percentOff', re: rx('(?<zhe>#)折'), example: '9折', vars: (g) => ({ ...g, pct: percentOff(g.zhe!) }) },
  { key: 'shortOf', re: rx('还差(?<yuan>#)元可用'), example: '还差5.50元可用' },
  // Checkout notes.
  { key: 'freeShippingIn', re: rx('再买(?<yuan>#)元即可包邮'), example: '再买10.00元即可包邮' },
  {
    key: 'nextTier',
    re: rx('「(?<name>.+)」再买(?<yuan>#)元可享下一档优惠'),
    example: '「满199减30」再买20.00元可享下一档优惠',
  },
  { key: 'pointsUsable', re: rx('可用(?<points>\\d+)积分抵扣'), example: '可用300积分抵扣' },
  { key: 'couponNotMet', re: rx('优惠券「(?<name>.+)」未满足使用条件'), example: '优惠券「满99减15」未满足使用条件' },
  { key: 'bestStack', re: rx('已为你选择最优惠的券组合（(?<n>\\d+)张）'), example: '已为你选择最优惠的券组合（2张）' },
  {
    key: 'couponsIdle',
    re: rx('你有(?<n>\\d+)张券，本单暂不满足使用条件'),
    example: '你有3张券，本单暂不满足使用条件',
  },
];

/** Texts the server writes without numbers or names, by their key. */
export const SERVER_PHRASES: Record<string, string> = {
  店铺券: 'shopCoupon',
  平台券: 'platformCoupon',
  满减: 'fullReductionLabel',
  满折: 'fullPercentLabel',
  包邮: 'freeShipping',
  '包邮券：免运费': 'freeShippingCoupon',
  未选择地址: 'noAddress',
  选择收货地址后计算运费: 'shippingAfterAddress',
  暂无积分: 'noPoints',
  本单不可使用积分: 'pointsNotUsable',
  与所选的券一起用时不满足使用条件: 'clashesWithChosen',
  本单没有该店铺的商品: 'nothingFromShop',
  本单商品不在此券的使用范围内: 'outOfScope',
  本单无需运费: 'noShippingToWaive',
  本单可减金额为0: 'savesNothing',
};

/** `text` with its fixed part in the catalogue's language, whatever that is (the check renders zh too). */
export function renderServerText(t: (key: string, vars?: Vars) => string, text: string): string {
  const again = (s: string): string => {
    const phrase = SERVER_PHRASES[s];
    if (phrase) return t(`server:${phrase}`);
    for (const p of SERVER_PATTERNS) {
      const m = p.re.exec(s);
      if (!m) continue;
      const groups = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, v ?? '']));
      return t(`server:${p.key}`, p.vars ? p.vars(groups, again) : groups);
    }
    return s;
  };
  return again(text);
}

/** `text` for a reader of `lang`: as written in Chinese, else its fixed part translated. */
export function serverText(t: (key: string, vars?: Vars) => string, lang: string, text: string): string {
  return lang === 'en' ? renderServerText(t, text) : text;
}
