// 商家后台的中文文案（默认语言）。键是稳定的英文名；en.ts 必须有同样的键（类型检查保证），
// scripts/i18n-check.ts 检查代码里用到的每个键两种语言都有。服务端的枚举值在 @livemall/sdk 的 enums 里。
export const zh = {
  common: {
    loadFailed: '加载失败', retry: '重试', save: '保存', add: '添加', delete: '删除', search: '搜索', status: '状态',
    actions: '操作', time: '时间', note: '备注', yes: '是', no: '否', defaultSku: '默认',
  },
  nav: {
    brand: 'LiveMall 商家后台', dashboard: '概览', products: '商品', inventory: '库存', orders: '订单', aftersales: '售后',
    live: '直播', marketing: '营销', members: '会员', data: '数据', reconciliation: '对账', platform: '平台',
    reconcileAll: '平台对账', signOut: '退出登录',
  },
  banner: { testMoney: '测试支付已开启：沙箱收银台支付的订单是测试金额，不会产生真实扣款' },
  shopStatus: {
    pending: '店铺待审核：可以先准备商品，审核通过后才能创建直播和推流。',
    suspended: '店铺已被平台暂停：商品和直播间已对顾客隐藏，不能新建商品或直播。',
    rejected: '开店申请未通过，请联系平台。',
  },
  login: { title: 'LiveMall 商家后台', phone: '手机号', password: '密码', signIn: '登录' },
  dashboard: {
    todayGmv: '今日 GMV', paidOrders: '今日支付订单', liveNow: '正在直播', watching: '直播间观众', visitors: '今日访客',
    conversion: '转化率', shows: '直播场次', weekGmv: '近7日 GMV', lastWeek: '近 7 日', gmvSeries: 'GMV (¥)', ordersSeries: '订单',
  },
  products: {
    title: '商品', new: '新建商品', putOnShelf: '上架', takeOffShelf: '下架', product: '商品', price: '价格', sales: '销量',
    onSale: '在售', notOnSale: '未上架', newTitle: '新建商品', editTitle: '编辑商品', import: 'CSV 导入', importFailed: '导入失败',
    errorReport: '错误报告 {{n}}',
  },
  editor: {
    title: '标题', subtitle: '副标题', category: '类目', cover: '主图', upload: '上传', uploadFailed: '上传失败', gallery: '图片与视频',
    video: '视频', specs: '规格（生成 SKU 组合）', spec: '规格', specNameExample: '颜色', specValuesExample: '红色, 蓝色',
    price: '价格 (¥)', required: '必填', aboveZero: '需大于 ¥0.00', was: '划线价 (¥)', stock: '库存', weight: '重量 (kg)',
    code: '编码', onSale: '在售', reservedHint: '未付款订单预占', reservedShort: '占 {{n}}', availableShort: '售 {{n}}',
    initialStock: '初始库存', description: '详情', saved: '已保存', priceRequired: '请填写价格（大于 ¥0.00）：{{skus}}',
    conflict: '商品已被他人修改', conflictHint: '重新加载后再修改，以免覆盖对方的更改。', reload: '重新加载',
  },
  stock: {
    title: '调整库存 · {{name}}', apply: '确认调整', adjust: '调整库存', onHand: '在库', reserved: '预占', available: '可售',
    after: '调整后：', enterDelta: '请输入调整数量（正数入库，负数出库）', applied: '在库 {{onHand}}，可售 {{available}}',
    defaultWarehouse: '{{name}}（默认）', belowReserved: '在库不能少于未付款订单预占的 {{n}} 件',
    reasons: { goodsIn: '到货入库', stocktake: '盘点调整', damaged: '损耗报废', returned: '退货入库', other: '其他' },
  },
  skuPicker: { product: '商品', stock: '库存 {{n}}' },
  inventory: {
    title: '库存', stock: '库存', ledger: '流水', lowOnly: '只看低库存', product: '商品', warehouse: '仓库', low: '低库存',
    deltaOnHand: '在库变动', deltaReserved: '预占变动', after: '变动后 在库/预占', reason: '原因', order: '订单',
  },
  orders: {
    title: '订单', export: '导出 CSV', search: '订单号 / 买家 / 商品', orderNo: '订单号', items: '商品', paid: '实付',
    room: '直播间', placedAt: '下单时间', detail: '订单详情', shipTo: '收货', breakdown: '价格明细', total: '合计 {{total}}',
    totalParts: '（商品 {{goods}} − 优惠 {{discount}} + 运费 {{shipping}}）', carrier: '快递公司', trackingNo: '运单号', ship: '发货',
  },
  aftersales: {
    title: '售后', number: '单号', order: '订单', type: '类型', reason: '原因', amount: '金额', approve: '同意', reject: '拒绝',
    receive: '确认收货并退款', rejectTitle: '拒绝售后？', rejectHint: '买家将看到拒绝原因', rejectReason: '不符合售后条件',
  },
  rooms: {
    title: '直播', new: '创建直播', roomTitle: '标题', startsAt: '开播时间', reminders: '预约', viewers: '观看',
    pushSettings: '推流设置', invites: '邀请', console: '中控台', scheduledAt: '开播时间（预告）', cover: '封面',
    uploadCover: '上传封面', bag: '商品袋', visibility: '可见性', create: '创建',
  },
  push: {
    title: '推流设置（OBS）', rotate: '重置推流码', server: '服务器：', streamKey: '推流码：', pushUrl: '完整地址：',
    obsGuide: 'OBS → 设置 → 推流：服务选“自定义”，填入服务器与推流码。关键帧间隔 {{keyframe}}s，视频码率 {{video}} kbps，'
      + '音频 {{audio}} kbps，{{resolution}} @ {{fps}}fps，{{encoder}}，{{rateControl}}。',
  },
  invites: {
    title: '邀请链接', days: '有效天数', forWhom: '给谁', issue: '生成', expires: '到期', withdraw: '撤回',
  },
  live: {
    alert: '直播预警', sound: '声音', ended: '直播已结束', waiting: '等待推流…', endConfirm: '确认下播？', end: '下播',
    online: '在线', viewers: '累计观看', likes: '点赞', comments: '评论', paidOrders: '支付订单', gpm: 'GPM（¥/千次观看）',
    orders: '订单', gmvSeries: 'GMV (¥)', gpmSeries: 'GPM (¥)', countAxis: '人数 / 订单', realtime: '实时', product: '商品',
    explaining: '讲解中', stock: '库存', stopExplaining: '取消讲解', explain: '讲解',
  },
  analytics: {
    title: '直播数据', viewers: '观看人数', views: '观看次数', avgWatch: '人均观看', peak: '在线峰值', followers: '新增粉丝',
    interaction: '互动率', conversion: '转化率', fromPrevious: '上一步转化 {{pct}}',
  },
  tools: {
    chat: '弹幕管理', slowMode: '慢速模式', off: '关闭', noChat: '暂无弹幕', mute: '禁言', muted: '{{name}} 禁言10分钟',
    slowOn: '慢速模式 {{n}}s', slowOff: '已关闭慢速模式', dropCoupons: '直播间发券', coupon: '优惠券',
    couponOption: '{{title}}（{{terms}}）', quantity: '数量', minutes: '有效分钟', drop: '发券', dropped: '已发券',
    luckyBag: '福袋', bagTitle: '名称', prize: '奖品', prizeExample: '如：芒果一箱', winners: '中奖人数', countdown: '倒计时（分钟）',
    keyword: '参与口令（留空为关注参与）', startBag: '开始福袋', bagStarted: '福袋已开始', bagDefaultTitle: '直播间福袋',
    bagDefaultKeyword: '来个福袋',
  },
  words: { shopTitle: '店铺敏感词', platformTitle: '平台敏感词（所有直播间）', word: '词语', action: '处理' },
  platform: {
    dashboard: '平台看板', merchants: '商家', words: '敏感词', reports: '举报审核', reportsTitle: '被举报的弹幕（所有店铺）',
    room: '直播间', text: '内容', reason: '原因', gmvTitle: '今日 GMV {{today}} · 7 日 GMV {{week}}', merchant: '商家',
    todayOrders: '今日订单', todayGmv: '今日 GMV', weekOrders: '7 日订单', weekGmv: '7 日 GMV', merchantName: '商家名称',
    ownerPhone: '店主手机号', onboard: '入驻', name: '名称', commission: '佣金',
    actions: { approve: '通过', reject: '驳回', suspend: '暂停', reinstate: '恢复' },
  },
  marketing: {
    title: '营销', coupons: '优惠券', promotions: '满减/折扣', flash: '秒杀', groups: '拼团', bargains: '砍价', name: '名称',
    threshold: '满（元）', amountOff: '减（元）', percentOff: '折扣 % off', total: '总量', perUser: '每人', validDays: '领取后天数',
    create: '创建', created: '已创建', rule: '规则', claimedOfTotal: '领取/总量', used: '已使用', channels: '渠道',
    tiersExample: '名称，如 满199减30', createTiers: '创建满减', dealPrice: '活动价（元）', createDiscount: '创建折扣',
    kind: '类型', when: '时间', paidOrders: '支付订单', discountGiven: '让利', flashPrice: '秒杀价（元）', stock: '库存',
    limit: '限购', createFlash: '创建秒杀场次', session: '场次', starts: '开始', ends: '结束', sold: '已售',
    flashItem: '{{title}}：{{price}}，已售 {{sold}}/{{stock}}，剩余 {{remaining}}，每人限购 {{limit}}',
    groupPrice: '拼团价', groupSize: '成团人数', groupMinutes: '成团时限（分）', autoFill: '差一人自动成团', createGroup: '创建拼团',
    campaign: '活动', results: '结果', groupResults: '成团 {{succeeded}} · 组团中 {{forming}} · 失败 {{failed}}',
    floorPrice: '底价', helpsNeeded: '需助力人数', validHours: '有效小时', createBargain: '创建砍价',
    bargainResults: '进行中 {{active}} · 已砍到底 {{reached}} · 已购买 {{bought}}',
  },
  members: {
    title: '会员', segment: '人群', coupon: '优惠券', issue: '向当前人群发券', issued: '已发放 {{issued}} 张，跳过 {{skipped}}',
    member: '会员', orders: '订单', spent: '消费', points: '积分', coupons: '本店可用券', lastPaid: '最近购买',
  },
  data: {
    title: '数据', reports: '报表', alerts: '预警', experiments: 'A/B 实验', lastDays: '近 {{n}} 天', uv: '访客 UV', views: '观看',
    gmvSeries: 'GMV (¥)', day: '日期', room: '直播间', product: '商品', pv: '浏览 PV', clicks: '点击', carts: '加购', comments: '评论',
    follows: '关注', orders: '下单', paid: '支付', refunds: '退款',
  },
  alerts: {
    name: '名称', threshold: '阈值', minVisitors: '最少人数', cooldown: '冷却（秒）', add: '添加规则', rule: '规则', metric: '指标',
    cooldownShort: '冷却', deleteConfirm: '删除？', recent: '最近预警', message: '内容', read: '已读', markRead: '标记已读',
    secretTitle: 'Webhook 签名密钥（只显示这一次）', secretHint: '用它校验请求头 X-LiveMall-Signature：t=…,v1=HMAC-SHA256(密钥, "t.body")',
  },
  experiments: {
    keyExample: 'key（如 room-cover）', name: '名称', variants: '版本', goal: '目标', create: '新建实验', results: '结果',
    stop: '停止', restart: '重启', variant: '版本', exposures: '曝光', conversions: '转化', rate: '转化率', lift: '提升',
    control: '对照组', pValue: 'p 值', significant: '显著', yes: '显著 (95%)', no: '不显著',
  },
  recon: {
    title: '对账', thisShop: '本店', allShops: '全平台', allShopsPlaceholder: '全部店铺', everyDay: '全部日期', runNow: '立即对账',
    range: '范围', shop: '店铺', trigger: '触发', result: '结果', noRuns: '还没有对账记录：点「立即对账」开始。',
    beginning: '开始', notFinished: '对账未完成', found: '发现 {{n}} 处差异', count: '{{n}} 处差异', check: '检查', took: '用时',
    subject: '对象', platform: '平台', whatIsWrong: '问题', expected: '应为', actual: '实际',
  },
};
