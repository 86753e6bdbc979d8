// After-sales for one order: the requests already made and their status, and a new request (refund only, or
// return and refund) for chosen lines with a reason; the server computes the amount.
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import { aftersaleStatus } from '../../../api/labels';

interface OrderLine {
  id: number;
  productTitle: string;
  skuName: string;
  quantity: number;
  refundedQuantity: number;
}
interface Aftersale {
  id: number;
  aftersaleNo: string;
  type: string;
  status: string;
  reason: string;
  amountFen: number;
}

Component({
  data: {
    orderId: 0,
    lines: [] as Array<OrderLine & { chosen: boolean; left: number }>,
    requests: [] as Array<Aftersale & { statusText: string; amount: string }>,
    type: 'refund_only' as 'refund_only' | 'return_refund',
    reason: '',
    error: '',
    notice: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ orderId: Number(query.orderId) });
      return this.load();
    },
    async load() {
      try {
        const [order, requests] = await Promise.all([
          api<{ lines: OrderLine[] }>('GET', `/api/orders/${this.data.orderId}`),
          api<Aftersale[]>('GET', '/api/aftersales', { query: { orderId: this.data.orderId } }),
        ]);
        this.setData({
          lines: order.lines
            .filter((l) => l.quantity > l.refundedQuantity)
            .map((l) => ({ ...l, chosen: true, left: l.quantity - l.refundedQuantity })),
          requests: requests.map((a) => ({ ...a, statusText: aftersaleStatus(a.status), amount: yuan(a.amountFen) })),
        });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    toggle(e: WechatMiniprogram.TouchEvent) {
      const id = e.currentTarget.dataset.id as number;
      this.setData({ lines: this.data.lines.map((l) => (l.id === id ? { ...l, chosen: !l.chosen } : l)) });
    },
    setType(e: WechatMiniprogram.TouchEvent) {
      this.setData({ type: e.currentTarget.dataset.type as 'refund_only' });
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value });
    },
    async submit() {
      const lines = this.data.lines
        .filter((l) => l.chosen)
        .map((l) => ({ lineId: l.id, quantity: l.quantity - l.refundedQuantity }));
      if (!lines.length || !this.data.reason.trim()) {
        this.setData({ error: '请选择商品并填写原因' });
        return;
      }
      try {
        await api('POST', `/api/orders/${this.data.orderId}/aftersales`, {
          body: { type: this.data.type, reason: this.data.reason.trim(), lines },
        });
        this.setData({ notice: '已提交售后申请', error: '', reason: '' });
        await this.load();
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
  },
});
