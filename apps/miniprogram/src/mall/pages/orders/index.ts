// My orders: status, lines and total; open one for its detail, pay or cancel an unpaid one, ask for after-sales
// on a paid one. Opened with `orderId` (the 发货通知 message's page) it goes on to that order's detail.
import { signIn } from '../../../api/auth';
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import { orderStatus } from '../../../api/labels';
import type { Answer } from '../../../api/types';

type Orders = Answer<'/api/orders', 'get'>;
interface OrderView {
  id: number;
  orderNo: string;
  merchantName: string;
  status: string;
  statusText: string;
  total: string;
  lines: string[];
  canAfterSale: boolean;
  unpaid: boolean;
}

Component({
  data: { orders: [] as OrderView[], loading: true, error: '', shown: false },
  methods: {
    async onLoad(query: Record<string, string | undefined> = {}) {
      if (query.orderId) void wx.navigateTo({ url: `/mall/pages/order/index?orderId=${query.orderId}` });
      await signIn().catch(() => undefined);
      await this.load();
      this.setData({ shown: true });
    },
    onShow() {
      // Back from an order's detail (paid or cancelled there): show the new statuses.
      if (this.data.shown) void this.load();
    },
    async load() {
      try {
        const r = await api<Orders>('GET', '/api/orders', { query: { pageSize: 20 } });
        const orders = r.items.map(
          (o): OrderView => ({
            id: o.id,
            orderNo: o.orderNo,
            merchantName: o.merchantName,
            status: o.status,
            statusText: orderStatus(o.status),
            total: yuan(o.totalFen),
            lines: o.lines.map((l) => `${l.productTitle} ${l.skuName} ×${l.quantity}`),
            canAfterSale: ['paid', 'shipped', 'delivered', 'completed'].includes(o.status),
            unpaid: o.status === 'pending_payment',
          }),
        );
        this.setData({ orders, loading: false, error: '' });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    open(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/mall/pages/order/index?orderId=${e.currentTarget.dataset.id as number}` });
    },
    /** 去支付: the order's detail pays it at once (WeChat Pay or the sandbox's test money). */
    pay(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/mall/pages/order/index?orderId=${e.currentTarget.dataset.id as number}&pay=1` });
    },
    async cancel(e: WechatMiniprogram.TouchEvent) {
      const id = e.currentTarget.dataset.id as number;
      const { confirm } = await wx.showModal({ title: '取消订单', content: '确定取消这笔订单吗？' });
      if (!confirm) return;
      try {
        await api('POST', `/api/orders/${id}/cancel`);
        void wx.showToast({ title: '订单已取消', icon: 'none' });
        await this.load();
      } catch (err) {
        this.setData({ error: errorText(err) });
      }
    },
    afterSale(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/mall/pages/aftersale/index?orderId=${e.currentTarget.dataset.id as number}` });
    },
  },
});
