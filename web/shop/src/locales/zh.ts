// 购物端的中文文案（默认语言）。键是稳定的英文名，不随文案改动；en.ts 必须有同样的键
// （类型检查保证），scripts/i18n-check.ts 检查代码里用到的每个键两种语言都有。
export const zh = {
  common: {
    loading: '加载中', empty: '暂无内容', error: '出错了', retry: '重试', ok: '确定', cancel: '取消', save: '保存',
    submit: '提交', submitted: '已提交', all: '全部', searchProducts: '搜索商品', share: '分享', linkCopied: '链接已复制',
    signInFirst: '请先登录', signOut: '退出登录',
  },
  form: { required: '请填写此项', tooShort: '内容太短了', phone: '请输入11位手机号', passwordShort: '密码至少6位' },
  tabs: { home: '首页', mall: '分类', cart: '购物车', orders: '订单', me: '我的' },
  home: {
    live: '直播', upcoming: '预告', replays: '回放', forYou: '为你推荐', liveBadge: '直播中', watching: '{{n}} 人在看',
    remindMe: '提醒我', flash: '秒杀', groups: '拼团', bargains: '砍价', coupons: '领券中心',
  },
  mall: {
    sort: { relevance: '综合', sales: '销量', priceAsc: '价格↑', priceDesc: '价格↓', newest: '新品' },
    minPrice: '最低价', maxPrice: '最高价',
  },
  product: { sold: '已售 {{n}}', favourite: '收藏' },
  sku: {
    stock: '库存 {{n}}', choose: '请选择', quantity: '数量', addToCart: '加入购物车', added: '已加入购物车', buyNow: '立即购买',
  },
  cart: { offShelf: '已下架', outOfStock: '无货', lowStock: '库存不足', repriced: '价格变动', checkout: '结算 ({{n}})' },
  checkout: {
    title: '确认订单', address: '收货地址', goods: '商品金额', discount: '优惠', shipping: '运费', total: '实付',
    points: '积分抵扣', pointsUsed: '已用{{n}}积分', pointsUsable: '共{{balance}}积分，本单可用{{usable}}',
    placeOrder: '提交订单 {{amount}}', calculating: '计算中', recalculate: '重新计算', cashier: '收银台', paying: '支付中',
    paid: '支付成功', viewOrders: '查看订单', backToShow: '继续看直播',
  },
  coupons: {
    row: '优惠券', usable: '{{n}}张可用', noneUsable: '暂无可用', bestApplied: '已为你选择最优惠的券组合',
    none: '不使用优惠券', auto: '自动选择最优惠', platform: '平台',
  },
  address: {
    name: '姓名', phone: '手机号', province: '省份', city: '城市', detail: '详细地址', provinceExample: '广东省',
    cityExample: '深圳市',
  },
  login: { phone: '手机号', password: '密码', signIn: '登录', register: '注册' },
  orders: {
    goods: '商品', cancel: '取消订单', confirmReceipt: '确认收货', requestAftersale: '申请售后', shipments: '物流',
  },
  aftersales: {
    title: '售后', refunded: '已退 {{n}}', refunding: '退款中 {{n}}', requested: '申请中 {{n}}', refundable: '可退 {{n}}',
    refundedTotal: '已退款', refundingTotal: '退款中', estimate: '预计退款', amount: '退款金额',
    inclShipping: '含运费 {{amount}}', settledLater: '退款金额以商家开始退款时为准', sheetTitle: '申请售后', type: '类型',
    reason: '原因', reasonExample: '如：不想要了', details: '说明',
  },
  room: {
    explaining: '讲解中', buy: '去抢购', products: '商品 ({{n}})', sayHi: '说点什么', send: '发送',
    chatUnavailable: '聊天暂不可用', tapForSound: '点击开启声音', replay: '回放中', notStarted: '还没开播', follow: '关注',
    following: '已关注', won: '🎉 中奖了 {{prize}}', giftSent: '{{name}} 送出 {{gift}} ×{{n}}', claimedToast: '领取成功',
    winners: '中奖：{{names}}', drawAt: '{{time}} 开奖', sendKeyword: '发送口令参与：{{keyword}}', entered: '已参与',
  },
  pay: {
    choose: '选择支付方式', alipay: '支付宝', wechat: '微信支付', sandbox: '测试支付', testMoney: '测试金额，不会产生真实扣款',
    none: '平台暂未开通在线支付', wechatOutside: '微信支付请在微信中打开本店小程序完成',
    wechatInWechat: '微信支付请在本店小程序中完成：在微信里搜索本店小程序打开这笔订单',
  },
  gifts: { balance: '余额', coins: '钻', topUp: '充值 {{n}}', spent: '-{{n}} 钻', done: '完成' },
  deals: {
    myCoupons: '我的优惠券', left: '剩余 {{n}}', claim: '领取', claimed: '已领取', allGone: '已抢光', flash: '秒杀',
    startsAt: '即将开抢 {{time}}', grab: '马上抢', groupOf: '{{n}}人拼团', missing: '还差 {{n}} 人', startGroup: '开团',
    join: '参团', bargainTo: '砍价 → {{price}}', startBargain: '发起砍价', helpCut: '帮砍一刀', buyAt: '立即购买 {{price}}',
    pointsBalance: '积分 {{n}}', pointsPolicy: '{{points}} 积分 = ¥1 · 最多抵扣 {{pct}}%',
  },
  me: {
    points: '积分', saved: '我的收藏', following: '我的关注', addresses: '我的地址', addAddress: '添加地址', language: '语言',
  },
};
