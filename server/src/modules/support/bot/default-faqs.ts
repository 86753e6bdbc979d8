// The platform's default FAQ (平台通用问答): questions every shop gets unless it switches them off,
// about what the platform itself does (invoices, addresses, cancelling, payment, coupons, refunds).
// A shop's own FAQ with the same question wins: it is ranked together with these.
export interface DefaultFaq {
  key: string;
  question: string;
  phrasings: string[];
  answer: string;
}

export const PLATFORM_FAQS: readonly DefaultFaq[] = [
  {
    key: 'platform-invoice',
    question: '可以开发票吗？',
    phrasings: ['怎么开电子发票', '能开专票吗'],
    answer: '可以开电子普通发票：在订单详情页点「申请开票」，填写抬头和税号，确认收货后1-3个工作日发到您的邮箱。',
  },
  {
    key: 'platform-address',
    question: '下单后能改收货地址吗？',
    phrasings: ['地址填错了怎么办', '能换个收货人吗'],
    answer: '订单还没发货时，在订单详情页点「修改地址」即可；已经发货的需要联系快递改派，我们也可以帮您联系。',
  },
  {
    key: 'platform-cancel',
    question: '怎么取消订单？',
    phrasings: ['不想要了能取消吗', '拍错了怎么取消'],
    answer: '未付款的订单直接在订单列表点「取消订单」；已付款未发货的可以在订单详情申请「仅退款」，钱会原路退回。',
  },
  {
    key: 'platform-hours',
    question: '客服什么时候在线？',
    phrasings: ['几点有人工客服', '晚上有人吗'],
    answer: '人工客服每天 9:00-22:00 在线，其他时间可以留言，上班后按顺序回复您。',
  },
  {
    key: 'platform-pay',
    question: '支持哪些付款方式？',
    phrasings: ['可以用支付宝吗', '能用花呗吗'],
    answer: '小程序里支持微信支付，H5 商城支持微信支付和支付宝；暂不支持货到付款。',
  },
  {
    key: 'platform-coupon-use',
    question: '优惠券怎么用？',
    phrasings: ['券为什么用不了', '下单时怎么选优惠券'],
    answer:
      '下单页的「优惠券」一栏会自动选出最划算的可用券，也可以手动切换；用不了一般是没满门槛、不在使用时间或商品不在券的范围内。',
  },
  {
    key: 'platform-refund-time',
    question: '退款多久到账？',
    phrasings: ['钱什么时候退回来', '退款到哪里'],
    answer: '退款原路返回：微信零钱即时到账，银行卡1-3个工作日，信用卡以银行入账为准。',
  },
];
