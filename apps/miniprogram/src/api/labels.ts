// Chinese labels for the statuses the shopper sees (the server's enum values).
const ORDER: Record<string, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '待收货',
  delivered: '已签收',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
  partially_refunded: '部分退款',
};
const AFTERSALE: Record<string, string> = {
  requested: '待审核',
  awaiting_return: '待退货',
  returned: '已退货',
  refunding: '退款中',
  refunded: '已退款',
  rejected: '已拒绝',
  cancelled: '已撤销',
};
const PAYMENT: Record<string, string> = {
  pending: '待支付',
  succeeded: '已支付',
  failed: '支付失败',
  closed: '已关闭',
  expired: '已过期',
  refunded: '已退款',
  partially_refunded: '部分退款',
};
const COUPON: Record<string, string> = { available: '可用', used: '已使用', expired: '已过期', locked: '使用中' };

export const orderStatus = (s: string) => ORDER[s] ?? s;
export const aftersaleStatus = (s: string) => AFTERSALE[s] ?? s;
export const paymentStatus = (s: string) => PAYMENT[s] ?? s;
export const couponStatus = (s: string) => COUPON[s] ?? s;
