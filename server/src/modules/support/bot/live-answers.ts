// The live-data intents, answered in Chinese with the asking shopper's own figures in this shop:
// their latest order's parcel (orders and shipping), whether it can still be returned (after-sales
// and its window), and their coupons usable here (marketing). Only that shopper's data is read,
// through the owners' services, filtered to this shop: another shopper's order never shows.
import type { AppContext } from '../../../platform/context.ts';
import type { Intent } from './intents.ts';

const STATUS: Record<string, string> = {
  pending_payment: '还没有付款',
  paid: '已付款，商家正在备货，还没有发货',
  shipped: '已发货，正在运输途中',
  delivered: '已签收',
  completed: '已确认收货',
  cancelled: '已取消',
  refunded: '已全部退款',
};
const when = (d: Date | string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(d));
const day = (d: Date | string) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric' }).format(new Date(d));

export interface LiveAnswer {
  text: string;
  /** What the answer was built from (the order or coupons), for the conversation's record. */
  ref: { orderId?: number; coupons?: number };
}

export class LiveAnswers {
  constructor(private readonly ctx: AppContext) {}

  async answer(intent: Intent, merchantId: number, userId: number): Promise<LiveAnswer> {
    if (intent === 'coupons') return this.coupons(merchantId, userId);
    const order = await this.latestOrder(merchantId, userId, intent === 'return');
    if (!order)
      return {
        text: '没有查到您在本店的订单哦，是不是用别的账号下的单？可以把订单号发给我，我帮您转人工查询。',
        ref: {},
      };
    return intent === 'parcel' ? this.parcel(order.id, userId) : this.returnable(order.id, userId);
  }

  /** The shopper's latest order in this shop (for returns: the latest that could have after-sales). */
  private async latestOrder(merchantId: number, userId: number, forReturn: boolean) {
    const { items } = await this.ctx.services.orderQueries.listForShopper(userId, { page: 1, pageSize: 50 });
    const here = items.filter((o) => o.merchantId === merchantId && o.status !== 'cancelled');
    const wanted = forReturn
      ? here.filter((o) => ['paid', 'shipped', 'delivered', 'completed'].includes(o.status))
      : here;
    return wanted[0] ?? here[0] ?? null;
  }

  private async parcel(orderId: number, userId: number): Promise<LiveAnswer> {
    const o = await this.ctx.services.orderQueries.detail(orderId, { userId });
    const goods = `${o.lines[0]?.productTitle ?? '商品'}${o.lines.length > 1 ? `等${o.lines.length}件商品` : ''}`;
    let text = `您最近的订单 ${o.orderNo}（${goods}）${STATUS[o.status] ?? o.status}。`;
    const parcels = o.shipments;
    if (parcels.length) {
      const last = parcels[parcels.length - 1]!;
      const which = parcels.length > 1 ? `共${parcels.length}个包裹，最近一个` : '包裹';
      text += `${which}由${last.carrier}配送，运单号 ${last.trackingNo}，${when(last.shippedAt)} 发出`;
      text += o.deliveredAt ? `，${when(o.deliveredAt)} 已签收。` : '，可以在订单详情里查看物流轨迹。';
    } else if (o.status === 'paid') {
      text += '发货后会第一时间通知您，急用的话我帮您催一下仓库。';
    } else if (o.status === 'pending_payment') {
      text += '付款后才会安排发货哦。';
    }
    return { text, ref: { orderId: o.id } };
  }

  private async returnable(orderId: number, userId: number): Promise<LiveAnswer> {
    const [o, state] = await Promise.all([
      this.ctx.services.orderQueries.detail(orderId, { userId }),
      this.ctx.services.aftersales.refundState(userId, orderId),
    ]);
    const days = this.ctx.config.afterSalesWindowDays;
    const head = `您最近的订单 ${o.orderNo}（${o.lines[0]?.productTitle ?? '商品'}）${STATUS[o.status] ?? o.status}。`;
    if (state.canRequest) {
      const how =
        o.status === 'paid'
          ? '还没发货，可以直接申请「仅退款」，钱会原路退回'
          : '可以申请「退货退款」，没收到货或不需要寄回的也可以选「仅退款」';
      const until = o.completedAt
        ? `售后期到 ${day(new Date(new Date(o.completedAt).getTime() + days * 86_400_000))} 为止`
        : `确认收货后 ${days} 天内都可以申请售后`;
      return { text: `${head}${how}；${until}。在订单详情页点「申请售后」即可。`, ref: { orderId: o.id } };
    }
    const refundable = state.lines.some((l) => l.refundableQuantity > 0);
    const why =
      o.status === 'refunded' || !refundable
        ? '这笔订单的商品已经退款或正在退款中，不能再次申请。'
        : o.status === 'pending_payment'
          ? '订单还没付款，不需要退款，直接取消即可。'
          : `已经过了售后期（确认收货后 ${days} 天内可申请），如果商品有质量问题，我帮您转人工处理。`;
    return { text: head + why, ref: { orderId: o.id } };
  }

  private async coupons(merchantId: number, userId: number): Promise<LiveAnswer> {
    const mine = await this.ctx.services.coupons.mine(userId, 'unused');
    const usable = mine.filter((c) => c.merchantId === merchantId || c.merchantId === null);
    if (usable.length === 0)
      return {
        text: '您目前没有可以在本店使用的优惠券，可以去领券中心或直播间看看，主播经常发券哦。',
        ref: { coupons: 0 },
      };
    const shown = usable.slice(0, 3).map((c) => `「${c.title}」${c.description}，${day(c.validUntil)}到期`);
    const more = usable.length > 3 ? `等${usable.length}张` : `共${usable.length}张`;
    return {
      text: `您有可以在本店使用的优惠券${more}：${shown.join('；')}。下单时会自动帮您选最划算的一张。`,
      ref: { coupons: usable.length },
    };
  }
}
