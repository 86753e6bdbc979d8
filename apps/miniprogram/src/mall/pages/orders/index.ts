// My orders: status, lines and total; pay a pending one, ask for after-sales on a paid one.
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
}

Component({
  data: { orders: [] as OrderView[], loading: true, error: '' },
  methods: {
    async onLoad() {
      await signIn().catch(() => undefined);
      return this.load();
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
          }),
        );
        this.setData({ orders, loading: false, error: '' });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    afterSale(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/mall/pages/aftersale/index?orderId=${e.currentTarget.dataset.id as number}` });
    },
  },
});
