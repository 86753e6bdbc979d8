// One order (from the order list, or the 发货通知 message's page): its lines with the server's price breakdown
// (each line's unit price, adjustments and payable; the shop's charges; goods, discount, shipping, points,
// total), the address, the parcels with carrier and tracking number, and the payment. An unpaid order is paid
// here (wx.requestPayment with the server's JSAPI parameters, or the sandbox's test money, as in the room's
// checkout sheet) or cancelled. `pay=1` in the query (the list's 去支付) starts paying at once.
import { signIn } from '../../../api/auth';
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import { orderStatus, paymentStatus } from '../../../api/labels';
import { confirmSandbox, requestPayment, startPayment, waitPaid } from '../../../api/pay';
import type { Answer } from '../../../api/types';

type Order = Answer<'/api/orders/{orderId}', 'get'>;

const time = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

function view(o: Order) {
  const a = o.address;
  return {
    id: o.id,
    orderNo: o.orderNo,
    merchantName: o.merchantName,
    status: o.status,
    statusText: orderStatus(o.status),
    address: a ? { who: `${a.name} ${a.phone}`, where: `${a.province}${a.city}${a.district}${a.detail}` } : null,
    lines: o.lines.map((l) => ({
      id: l.id,
      title: l.productTitle,
      sku: l.skuName,
      quantity: l.quantity,
      unit: yuan(l.unitPriceFen),
      list: l.listUnitPriceFen !== l.unitPriceFen ? yuan(l.listUnitPriceFen) : '',
      adjustments: l.adjustments.map((x) => `${x.reason} ${yuan(x.amountFen)}`),
      payable: yuan(l.payableFen),
      refunded: l.refundedFen > 0 ? `已退 ${yuan(l.refundedFen)}` : '',
    })),
    charges: o.charges.map((c) => ({ step: c.step, reason: c.reason, amount: yuan(c.amountFen) })),
    goods: yuan(o.goodsFen),
    discount: yuan(o.discountFen),
    shipping: yuan(o.shippingFen),
    points: o.pointsUsed,
    total: yuan(o.totalFen),
    refunded: o.refundedFen > 0 ? yuan(o.refundedFen) : '',
    shipments: o.shipments.map((s) => ({
      id: s.id,
      carrier: s.carrier,
      trackingNo: s.trackingNo,
      at: time(s.shippedAt),
    })),
    payment: o.payment
      ? { no: o.payment.paymentNo, text: paymentStatus(o.payment.status), paidAt: time(o.payment.paidAt) }
      : null,
    payDeadline: o.status === 'pending_payment' ? time(o.payDeadline) : '',
    cancelReason: o.cancelReason ?? '',
    createdAt: time(o.createdAt),
    unpaid: o.status === 'pending_payment',
    // A parcel has arrived: the shopper says so (confirm-receipt), which starts the after-sales window.
    receivable: o.status === 'shipped',
    canAfterSale: ['paid', 'shipped', 'delivered', 'completed'].includes(o.status),
  };
}

const sandbox = new WeakMap<object, { confirmPath: string; token: string }>();

Component({
  data: {
    orderId: 0,
    order: null as ReturnType<typeof view> | null,
    loading: true,
    error: '',
    notice: '',
    busy: false,
    /** '' | 'pay' (waiting for WeChat Pay or the test-money confirm) */
    stage: '',
    testMoney: false,
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      this.setData({ orderId: Number(query.orderId ?? 0) });
      await signIn().catch(() => undefined);
      await this.load();
      if (query.pay === '1' && this.data.order?.unpaid) await this.pay();
    },
    async load() {
      try {
        const o = await api<Order>('GET', `/api/orders/${this.data.orderId}`);
        this.setData({ order: view(o), loading: false });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    async pay() {
      const o = this.data.order;
      if (!o?.unpaid || this.data.busy) return;
      if (!o.payment) {
        this.setData({ error: '这笔订单暂时无法支付，请稍后再试' });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        const mode = await startPayment(o.payment.no);
        if (mode.kind === 'wechat') {
          this.setData({ stage: 'pay' });
          if (mode.params && (await requestPayment(mode.params))) await this.settle();
          else this.setData({ stage: '' });
        } else if (mode.kind === 'sandbox') {
          sandbox.set(this, { confirmPath: mode.confirmPath, token: mode.token });
          this.setData({ stage: 'pay', testMoney: true });
        } else {
          this.setData({ error: '暂不支持在小程序内支付' });
        }
      } catch (e) {
        this.setData({ error: errorText(e) });
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Sandbox: confirm the test-money payment. */
    async confirmTestMoney() {
      const p = sandbox.get(this);
      if (!p) return;
      try {
        await confirmSandbox(p.confirmPath, p.token);
        await this.settle();
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    async settle() {
      const paid = await waitPaid([this.data.orderId]);
      await this.load();
      this.setData({
        stage: '',
        testMoney: false,
        notice: paid ? '支付成功' : '',
        error: paid ? '' : '支付结果确认中，请稍后刷新查看',
      });
    },
    cancelPay() {
      this.setData({ stage: '', testMoney: false });
    },
    async cancel() {
      if (!this.data.order?.unpaid || this.data.busy) return;
      const { confirm } = await wx.showModal({ title: '取消订单', content: '确定取消这笔订单吗？' });
      if (!confirm) return;
      this.setData({ busy: true, error: '' });
      try {
        await api('POST', `/api/orders/${this.data.orderId}/cancel`);
        await this.load();
        this.setData({ notice: '订单已取消' });
      } catch (e) {
        this.setData({ error: errorText(e) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async confirmReceipt() {
      if (!this.data.order?.receivable || this.data.busy) return;
      const { confirm } = await wx.showModal({ title: '确认收货', content: '确认已收到全部商品吗？' });
      if (!confirm) return;
      this.setData({ busy: true, error: '' });
      try {
        await api('POST', `/api/orders/${this.data.orderId}/confirm-receipt`);
        await this.load();
        this.setData({ notice: '已确认收货' });
      } catch (e) {
        this.setData({ error: errorText(e) });
      } finally {
        this.setData({ busy: false });
      }
    },
    copyTracking(e: WechatMiniprogram.TouchEvent) {
      void wx.setClipboardData({ data: e.currentTarget.dataset.no as string });
    },
    afterSale() {
      void wx.navigateTo({ url: `/mall/pages/aftersale/index?orderId=${this.data.orderId}` });
    },
  },
});
