// Chinese by default, English available (user centre toggle). Keys are the Chinese text's meaning.
import { setErrorLanguage, translateError, type Lang } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

const en: Record<string, string> = {
  直播: 'Live', 预告: 'Upcoming', 回放: 'Replays', 为你推荐: 'For you', 首页: 'Home', 购物车: 'Cart', 订单: 'Orders', 我的: 'Me',
  直播中: 'LIVE', 已结束: 'Ended', 即将开始: 'Soon', 提醒我: 'Remind me', 已预约: 'Reminded', 人在看: 'watching', 人看过: 'viewers',
  讲解中: 'Explaining', 去抢购: 'Buy', 商品: 'Products', 加载中: 'Loading…', 暂无内容: 'Nothing here yet', 出错了: 'Something went wrong', 重试: 'Retry',
  立即购买: 'Buy now', 加入购物车: 'Add to cart', 数量: 'Quantity', 库存: 'Stock', 请选择: 'Please choose', 确认订单: 'Confirm order', 提交订单: 'Place order',
  收货地址: 'Shipping address', 添加地址: 'Add address', 商品金额: 'Goods', 优惠: 'Discount', 运费: 'Shipping', 实付: 'Total', 收银台: 'Cashier',
  支付成功: 'Payment successful', 查看订单: 'View order', 继续看直播: 'Back to the show', 登录: 'Sign in', 注册: 'Register', 手机号: 'Phone', 密码: 'Password',
  退出登录: 'Sign out', 语言: 'Language', 说点什么: 'Say something…', 发送: 'Send', 聊天暂不可用: 'Chat is not available', 待付款: 'To pay', 已付款: 'Paid',
  已发货: 'Shipped', 已签收: 'Delivered', 已完成: 'Completed', 已取消: 'Cancelled', 退款中: 'Refunding', 已退款: 'Refunded', 取消订单: 'Cancel order', 确认收货: 'Confirm receipt',
  全部: 'All', 搜索商品: 'Search products', 结算: 'Checkout', 已下架: 'Off shelf', 无货: 'Out of stock', 库存不足: 'Not enough stock', 价格变动: 'Price changed',
  姓名: 'Name', 省份: 'Province', 城市: 'City', 详细地址: 'Address', 保存: 'Save', 点击开启声音: 'Tap for sound', 回放中: 'Replay', 分享: 'Share', 链接已复制: 'Link copied',
  还没开播: 'Not started yet', 申请售后: 'After-sales', 已提交: 'Submitted', 提交: 'Submit', 类型: 'Type', 仅退款: 'Refund only', 退货退款: 'Return & refund', 原因: 'Reason', 说明: 'Details', '如：不想要了': 'e.g. changed my mind', 最低价: 'Min', 最高价: 'Max', 中奖了: 'You won!', 送出: 'sent', 发送口令参与: 'Send the keyword to enter', 已参与: 'Entered', 中奖: 'Winners', 开奖: 'draw', 充值: 'Top up', 余额: 'Balance', 钻: 'coins', 送: 'Send', 收藏: 'Save', 关注: 'Follow', 已关注: 'Following', 我的收藏: 'Saved', 我的关注: 'Following', 积分抵扣: 'Pay with points', 领券中心: 'Coupons', 我的优惠券: 'My coupons', 积分: 'Points', 秒杀: 'Flash sale', 拼团: 'Group buy', 砍价: 'Bargain', 开团: 'Start a group', 参团: 'Join', 帮砍一刀: 'Help cut', 发起砍价: 'Start bargain', 马上抢: 'Grab it', 还差: 'Missing', 人: 'people', 已成团: 'Group complete', 未成团: 'Group failed', 即将开抢: 'Starts soon', 领取: 'Claim', 已领取: 'Claimed', 已抢光: 'All gone', 剩余: 'left', 领取成功: 'Coupon claimed', 我的地址: 'My addresses', 分类: 'Categories',
  优惠券: 'Coupons', 自动选择最优惠: 'Best combination for me', 不使用优惠券: 'No coupon', 已为你选择最优惠的券组合: 'The best combination of your coupons is applied',
  售后: 'After-sales', 已退: 'Refunded', 申请中: 'Requested', 可退: 'Refundable', 预计退款: 'Estimated refund', 退款金额: 'Refund',
  含运费: 'incl. shipping', 退款金额以商家开始退款时为准: 'The amount is settled when the shop starts the refund',
  待商家处理: 'Waiting for the shop', 待寄回: 'Send it back', 已寄回: 'Sent back', 已拒绝: 'Rejected', 已撤销: 'Withdrawn',
  张可用: ' usable', 暂无可用: 'None usable', 平台: 'Platform', 已用: 'Used ', 共: 'You have ', 本单可用: 'usable here: ', 计算中: 'Calculating…', 支付中: 'Paying…', 重新计算: 'Recalculate',
};

let lang: Lang = (typeof localStorage !== 'undefined' && localStorage.getItem('lm.lang') === 'en') ? 'en' : 'zh';
setErrorLanguage(lang);
const listeners = new Set<() => void>();

export function setLang(l: Lang) {
  lang = l;
  localStorage.setItem('lm.lang', l);
  setErrorLanguage(l);
  for (const f of listeners) f();
}
export function useLang() { return useSyncExternalStore((f) => { listeners.add(f); return () => listeners.delete(f); }, () => lang); }
export const t = (zh: string) => (lang === 'en' ? en[zh] ?? zh : zh);

/** A failure from the API in the shopper's language, by its stable code (@livemall/sdk errors.ts). */
export const errorMessage = (e: unknown): string => translateError(e, lang);
