// Intents the bot answers from live data rather than the FAQ: where is my parcel, can I return
// this, what coupons do I have. Patterns on the normalised text decide; each has exclusions for
// the FAQ questions that share its words (运费险 is about returns but asks who pays postage;
// 优惠券怎么用 is about coupons but asks how they work, not which ones the shopper holds).
import { normalise } from './segment.ts';

export type Intent = 'parcel' | 'return' | 'coupons';

interface Rule {
  intent: Intent;
  any: RegExp;
  unless?: RegExp;
}

const RULES: Rule[] = [
  {
    intent: 'coupons',
    any: /(我|俺).{0,4}(券|红包)|(有|剩|还有)(几|哪些|什么|多少).{0,3}(券|红包)|(券|红包).{0,4}(还有|在哪|领了|有没有)|(有没有|查|看看).{0,6}(券|红包)/,
    unless: /怎么用|怎么使用|用不了|不能用|为什么|为啥|怎么选|门槛/,
  },
  {
    intent: 'parcel',
    any: new RegExp(
      [
        '到哪|物流|包裹|单号|运单|没收到|还没(到|发|收)|发货(了吗|没|了没)|发了(吗|没)',
        '什么时候(能)?(到|送到)|(几天|多久)(能)?到|到了吗|查.{0,4}(订单|快递)|快递.{0,2}(到哪|在哪|怎么还)|一直不动',
      ].join('|'),
    ),
    unless: /预售|冷链|哪家|什么快递|哪个快递|顺丰吗|中通吗|发顺丰|京东|到账|退到|钱|退款/,
  },
  {
    intent: 'return',
    any: /退货|退款|能退|想退|可以退|退吗|退不退|七天无理由|7天无理由|售后|退换/,
    unless: /运费|邮费|快递费|运费险|到账|多久到|几天到|什么时候到|换货|换尺码|换码|换个/,
  },
];

/** The live-data intent the message asks about, or null. */
export function intentOf(raw: string): Intent | null {
  const text = normalise(raw);
  for (const r of RULES) if (r.any.test(text) && !r.unless?.test(text)) return r.intent;
  return null;
}
