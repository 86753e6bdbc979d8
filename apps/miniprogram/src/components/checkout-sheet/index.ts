// Checkout sheet: address (choose one, import one with wx.chooseAddress, or manage the address book), the server's
// quote line by line (each line's price and adjustments, each shop's charges, goods, discount, shipping, total), then
// place the order with that quote's token and pay (wx.requestPayment, or the sandbox's test money). Event `paid`
// { orderIds }.
import { wechatAddress } from '../../api/address';
import { yuan } from '../../api/format';
import { api, errorText } from '../../api/http';
import { confirmSandbox, requestPayment, startPayment, waitPaid } from '../../api/pay';
import type { Address, Quote } from '../../api/types';

interface LineView {
  lineId: string;
  title: string;
  sku: string;
  quantity: number;
  unit: string;
  payable: string;
  adjustments: string[];
}
interface GroupView {
  merchantId: number;
  lines: LineView[];
  charges: Array<{ step: string; reason: string; amount: string }>;
}

const key = () => `mp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

function view(q: Quote) {
  return {
    groups: q.groups.map(
      (g): GroupView => ({
        merchantId: g.merchantId,
        lines: g.lines.map((l) => ({
          lineId: l.lineId,
          title: l.productTitle,
          sku: l.skuName,
          quantity: l.quantity,
          unit: yuan(l.unitPriceFen),
          payable: yuan(l.payableFen),
          adjustments: l.adjustments.map((a) => `${a.reason} ${yuan(a.amountFen)}`),
        })),
        charges: g.charges.map((c) => ({ step: c.step, reason: c.reason, amount: yuan(c.amountFen) })),
      }),
    ),
    goods: yuan(q.goodsFen),
    discount: yuan(q.discountFen),
    shipping: yuan(q.shippingFen),
    total: yuan(q.totalFen),
    undeliverable: q.undeliverable.map((u) => u.reason),
    notes: q.notes,
    coupons: q.coupons.map((c) => ({
      couponId: c.couponId,
      title: c.title,
      applied: c.applied,
      text: c.applied ? `-${yuan(c.savingFen)}` : (c.reason ?? `可省 ${yuan(c.savingFen)}`),
    })),
    points:
      q.points.usable > 0 || q.points.used > 0
        ? { usable: q.points.usable, used: q.points.used, deducted: yuan(q.points.deductedFen) }
        : null,
  };
}

const runtime = new WeakMap<
  object,
  { quote: Quote | null; key: string; payment: { confirmPath: string; token: string } | null; managing?: boolean }
>();

Component({
  properties: {
    items: { type: Array, value: [] },
    roomId: { type: Number, value: 0 },
    /** A deal to buy on: { groupBuy: { dealId, groupId } } or { bargainId } (the checkout request's fields). */
    deal: { type: Object, value: {} },
  },
  data: {
    addresses: [] as Array<Address & { text: string }>,
    addressId: 0,
    loading: true,
    quote: null as ReturnType<typeof view> | null,
    placing: false,
    stage: 'quote' as 'quote' | 'pay' | 'paid',
    amount: '',
    testMoney: false,
    orderIds: [] as number[],
    error: '',
    /** undefined: the server picks the best stack; else exactly these. */
    couponIds: undefined as number[] | undefined,
    usePoints: false,
  },
  lifetimes: {
    attached() {
      void this.loadAddresses();
    },
  },
  pageLifetimes: {
    // Back from 管理地址: the address book may have changed; keep the chosen address while it still exists.
    show() {
      const r = runtime.get(this);
      if (!r?.managing) return;
      r.managing = false;
      void this.loadAddresses(undefined, this.data.addressId);
    },
  },
  methods: {
    rt() {
      let r = runtime.get(this);
      if (!r) {
        r = { quote: null, key: key(), payment: null };
        runtime.set(this, r);
      }
      return r;
    },
    /** `prefer`: choose this one; `keep`: keep this one if it is still there (else the default). */
    async loadAddresses(prefer?: number, keep?: number) {
      try {
        const list = await api<Address[]>('GET', '/api/me/addresses');
        const addresses = list.map((a) => ({
          ...a,
          text: `${a.name} ${a.phone} ${a.province}${a.city}${a.district}${a.detail}`,
        }));
        const kept = list.find((a) => a.id === keep)?.id;
        const addressId = prefer ?? kept ?? list.find((a) => a.isDefault)?.id ?? list[0]?.id ?? 0;
        this.setData({ addresses, addressId, loading: false });
        if (addressId) await this.requote();
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    /** Import the shopper's WeChat address (wx.chooseAddress) as a saved address. */
    importAddress() {
      wx.chooseAddress({
        success: (a) => {
          void api<Address>('POST', '/api/me/addresses', { body: wechatAddress(a) })
            .then((saved) => this.loadAddresses(saved.id))
            .catch((e: unknown) => this.setData({ error: errorText(e) }));
        },
        fail: (e) => {
          if (!/cancel/.test(e.errMsg)) this.setData({ error: '没有拿到微信地址，请在“管理地址”中添加' });
        },
      });
    },
    /** The address book (user subpackage); the sheet reloads the addresses when the page shows again. */
    manageAddresses() {
      this.rt().managing = true;
      void wx.navigateTo({ url: '/user/pages/addresses/index' });
    },
    chooseAddress(e: WechatMiniprogram.TouchEvent) {
      this.setData({ addressId: e.currentTarget.dataset.id as number });
      void this.requote();
    },
    request() {
      const items = this.data.items as unknown as Array<{ skuId: number; quantity: number }>;
      const deal = (this.data.deal ?? {}) as Record<string, unknown>;
      const couponIds = this.data.couponIds;
      return {
        items,
        addressId: this.data.addressId,
        roomId: this.data.roomId || null,
        usePoints: this.data.usePoints,
        ...(couponIds ? { couponIds } : {}),
        ...deal,
      };
    },
    /** Quote what is on screen again; `keepError` keeps the refusal that made us re-quote on screen. */
    async requote(keepError = false) {
      try {
        const q = await api<Quote>('POST', '/api/checkout/quote', { body: this.request() });
        const r = this.rt();
        r.quote = q;
        r.key = key();
        this.setData({ quote: view(q), ...(keepError ? {} : { error: '' }) });
      } catch (e) {
        this.setData({ error: errorText(e), quote: null });
      }
    },
    /** Apply or drop one coupon: from then on exactly the chosen ones are quoted. */
    toggleCoupon(e: WechatMiniprogram.TouchEvent) {
      const id = e.currentTarget.dataset.id as number;
      const applied = (this.rt().quote?.appliedCouponIds ?? []).slice();
      const couponIds = applied.includes(id) ? applied.filter((c) => c !== id) : [...applied, id];
      this.setData({ couponIds });
      void this.requote();
    },
    togglePoints() {
      this.setData({ usePoints: !this.data.usePoints });
      void this.requote();
    },
    async place() {
      const r = this.rt();
      if (!r.quote || this.data.placing || r.quote.undeliverable.length) return;
      this.setData({ placing: true, error: '' });
      try {
        const placed = await api<{
          orders: Array<{ orderId: number }>;
          payment: { paymentNo: string; amountFen: number } | null;
        }>('POST', '/api/orders', {
          body: { ...this.request(), idempotencyKey: r.key, quoteToken: r.quote.quoteToken },
        });
        const orderIds = placed.orders.map((o) => o.orderId);
        this.setData({ orderIds, amount: yuan(placed.payment?.amountFen ?? 0) });
        if (!placed.payment) {
          await this.settle();
          return;
        }
        const mode = await startPayment(placed.payment.paymentNo);
        if (mode.kind === 'wechat') {
          this.setData({ stage: 'pay' });
          if (mode.params && (await requestPayment(mode.params))) await this.settle();
        } else if (mode.kind === 'sandbox') {
          r.payment = { confirmPath: mode.confirmPath, token: mode.token };
          this.setData({ stage: 'pay', testMoney: true });
        } else {
          this.setData({ error: '暂不支持在小程序内支付' });
        }
      } catch (e) {
        this.setData({ error: errorText(e) });
        // The price, stock or the shopper's coupons moved: show the new quote to confirm.
        void this.requote(true);
      } finally {
        this.setData({ placing: false });
      }
    },
    /** Sandbox: confirm the test-money payment. */
    async confirmTestMoney() {
      const p = this.rt().payment;
      if (!p) return;
      try {
        await confirmSandbox(p.confirmPath, p.token);
        await this.settle();
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    async settle() {
      if (await waitPaid(this.data.orderIds)) {
        this.setData({ stage: 'paid' });
        this.triggerEvent('paid', { orderIds: this.data.orderIds });
      } else this.setData({ error: '支付结果确认中，请稍后在订单中查看' });
    },
    viewOrders() {
      void wx.navigateTo({ url: '/mall/pages/orders/index' });
    },
    close() {
      this.triggerEvent('close', {});
    },
  },
});
