// 服务端枚举值的中文名称（i18next 命名空间 enums，键为 <组>.<值>）。两个前端共用；
// scripts/i18n-check.ts 会对照 OpenAPI 文档，缺少某个取值的名称就会失败。
export const enumsZh = {
  orderStatus: {
    pending_payment: '待付款', paid: '已付款', shipped: '已发货', delivered: '已签收', completed: '已完成',
    cancelled: '已取消', refunding: '退款中', refunded: '已退款',
  },
  refundStatus: { none: '无退款', partial: '部分退款', full: '全额退款' },
  aftersaleStatus: {
    requested: '待商家处理', awaiting_return: '待寄回', returned: '已寄回', refunding: '退款中', refunded: '已退款',
    rejected: '已拒绝', cancelled: '已撤销',
  },
  aftersaleType: { refund_only: '仅退款', return_refund: '退货退款' },
  roomStatus: { scheduled: '预告', live: '直播中', ended: '已结束' },
  roomVisibility: { public: '公开', private: '私密（邀请链接）' },
  role: { merchant_owner: '店主', merchant_staff: '店员', anchor: '主播' },
  merchantStatus: { pending: '待审核', active: '营业中', suspended: '已暂停', rejected: '已驳回' },
  productStatus: { draft: '草稿', on_shelf: '在售', off_shelf: '已下架' },
  couponKind: { fixed: '立减券', percent: '折扣券', threshold: '满减券', free_shipping: '包邮券' },
  couponChannel: {
    claim_centre: '领券中心', room_drop: '直播间发券', new_user: '新人礼', staff_issue: '定向发放', lucky_bag: '福袋',
  },
  couponFunding: { platform: '平台券', merchant: '店铺券' },
  campaignStatus: { active: '进行中', paused: '已暂停', ended: '已结束' },
  promotionKind: { full_reduction: '满减/满折', limited_discount: '限时折扣', new_user_price: '新人价' },
  flashState: { upcoming: '未开始', running: '进行中', ended: '已结束', cancelled: '已取消' },
  groupStatus: { forming: '组团中', succeeded: '已成团', failed: '未成团' },
  bargainStatus: { active: '砍价中', reached: '已砍到底', bought: '已购买', expired: '已过期' },
  stockReason: {
    initial: '初始库存', adjust: '手动调整', import: '导入', reserve: '下单预占', commit: '支付出库', release: '取消释放',
    return: '退货入库',
  },
  pointsReason: { earned: '购物获得', spent: '下单抵扣', returned: '退款返还', reversed: '退款扣回', adjusted: '人工调整' },
  segment: {
    champions: '重要价值', loyal: '忠诚', new: '新客', at_risk: '流失风险', hibernating: '沉睡', others: '其他',
  },
  wordAction: { mask: '打码', block: '拦截', review: '人工审核' },
  chatReportStatus: { open: '待处理', resolved: '已处理', dismissed: '已驳回' },
  runStatus: { queued: '排队中', running: '对账中', clean: '全部平账', discrepancies: '有差异', failed: '未完成' },
  runTrigger: { schedule: '每日', manual: '手动', cli: '命令行' },
  checkStatus: { clean: '平', discrepancies: '有差异', error: '未完成' },
  funnelStage: {
    exposure: '曝光', enter: '进入', stayed_1min: '停留≥1分钟', product_click: '商品点击', order: '下单', paid: '成交',
  },
  alertMetric: {
    online_drop_pct: '在线人数一分钟跌幅 ≥ %', online_below: '在线人数低于', conversion_below: '转化率低于 %',
    gpm_below: 'GPM 低于（分）',
  },
  experimentStatus: { running: '进行中', stopped: '已停止' },
  experimentGoal: {
    room_enter: '进入直播间', product_click: '商品点击', add_to_cart: '加入购物车', checkout_start: '开始结算', share: '分享',
    order: '下单', order_paid: '支付', follow: '关注', comment: '评论',
  },
  reportBy: { time: '按天', room: '按直播间', product: '按商品' },
  inviteState: { valid: '有效', expired: '已过期', revoked: '已撤回' },
};

/** One catalogue's shape, with strings for leaves: another language must have exactly these keys. */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
export type EnumGroup = keyof typeof enumsZh;
