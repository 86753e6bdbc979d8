// Order detail and paying / cancelling an unpaid order, from the list and from the detail, through
// miniprogram-simulate with a scripted backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from './fixtures.ts';
import { all, ensureBuilt, logged, render, scriptedWx, tap, text, until, type Call, type Route } from './wx.ts';

beforeAll(() => ensureBuilt());

const login: Route = (c) => (c.path === '/api/auth/wechat' ? { data: signedIn } : undefined);

const detail = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 80,
  orderNo: 'O80',
  merchantId: 1,
  merchantName: '好物小店',
  userId: 7,
  status,
  roomId: 9,
  goodsFen: 3980,
  discountFen: 300,
  shippingFen: 800,
  totalFen: 4480,
  refundedFen: 0,
  pointsUsed: 0,
  refundStatus: 'none',
  charges: [{ step: 'shipping', reason: '运费（浙江）', amountFen: 800 }],
  address: {
    name: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 1 号',
    postalCode: null,
  },
  buyerNote: '',
  payDeadline: '2026-12-01T10:30:00.000Z',
  cancelReason: null,
  payment: {
    paymentNo: 'P80',
    status: status === 'pending_payment' ? 'pending' : 'succeeded',
    provider: null,
    paidAt: null,
  },
  lines: [
    {
      id: 800,
      skuId: 101,
      productId: 11,
      productTitle: '芒果',
      skuName: '5斤',
      imageUrl: null,
      quantity: 2,
      listUnitPriceFen: 2190,
      unitPriceFen: 1990,
      goodsFen: 3980,
      discountFen: 300,
      payableFen: 3680,
      refundedFen: 0,
      refundedQuantity: 0,
      shippedQuantity: 0,
      adjustments: [{ step: 'coupon', stage: 'coupon', reason: '直播间券', amountFen: -300 }],
    },
  ],
  shipments: [],
  history: [],
  createdAt: '2026-12-01T10:00:00.000Z',
  paidAt: null,
  shippedAt: null,
  deliveredAt: null,
  completedAt: null,
  cancelledAt: null,
  ...extra,
});

/** The order's backend: its status moves when it is paid (sandbox confirm or WeChat Pay) or cancelled. */
function orderBackend(o: { methods: string[]; log: Call[]; status?: string }) {
  let status = o.status ?? 'pending_payment';
  const routes: Route[] = [
    login,
    (c) => (c.path === '/api/orders/80' ? { data: detail(status) } : undefined),
    (c) => {
      if (c.path !== '/api/orders/80/confirm-receipt') return undefined;
      status = 'delivered';
      return logged(o.log, c, { data: detail(status) });
    },
    (c) => {
      if (c.path !== '/api/orders/80/cancel') return undefined;
      status = 'cancelled';
      return logged(o.log, c, { data: { cancelledOrderIds: [80] } });
    },
    (c) =>
      c.path === '/api/payments/methods'
        ? { data: { sandbox: o.methods.includes('sandbox'), methods: o.methods.map((p) => ({ provider: p })) } }
        : undefined,
    (c) => {
      if (c.path !== '/api/payments/P80/start') return undefined;
      if (c.body.provider === 'wechat') {
        status = 'paid'; // WeChat Pay's notification arrives while the cashier is open
        const jsapiParams = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' };
        return logged(o.log, c, { data: { paymentNo: 'P80', provider: 'wechat', amountFen: 4480, jsapiParams } });
      }
      const sandboxPay = { testMoney: true, confirmPath: '/pay/sandbox/P80/confirm', token: 'tok' };
      return logged(o.log, c, { data: { paymentNo: 'P80', provider: 'sandbox', amountFen: 4480, sandboxPay } });
    },
    (c) => {
      if (c.path !== '/pay/sandbox/P80/confirm') return undefined;
      status = 'paid';
      return logged(o.log, c, { data: { outcome: 'succeeded' } });
    },
  ];
  return routes;
}

describe('order detail', () => {
  it("shows the server's price breakdown, the address, the parcels with tracking and the payment", async () => {
    const env = scriptedWx([
      login,
      (c) =>
        c.path === '/api/orders/80'
          ? {
              data: detail('shipped', {
                payment: { paymentNo: 'P80', status: 'succeeded', provider: 'wechat', paidAt: '2026-12-01T10:05:00Z' },
                shipments: [
                  {
                    id: 1,
                    carrier: '顺丰',
                    trackingNo: 'SF123',
                    items: [{ lineId: 800, quantity: 2 }],
                    shippedAt: '2026-12-02T08:00:00Z',
                  },
                ],
              }),
            }
          : undefined,
    ]);
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80' });
    expect(text(page, '#status')).toBe('待收货');
    expect(text(page, '#address')).toBe('张三 13800138000浙江省杭州市西湖区文三路 1 号');
    expect(text(page, '.ptitle')).toBe('芒果 5斤');
    expect(text(page, '.unit')).toBe('¥19.90¥21.90 ×2'); // the shop's price, struck through, and the live price
    expect(text(page, '.adj')).toBe('直播间券 -¥3.00');
    expect(text(page, '.payable')).toBe('¥36.80');
    expect(text(page, '.charge')).toBe('运费（浙江）¥8.00');
    expect(text(page, '#goods')).toBe('¥39.80');
    expect(text(page, '#discount')).toBe('-¥3.00');
    expect(text(page, '#shipping')).toBe('¥8.00');
    expect(text(page, '#total')).toBe('¥44.80');
    expect(text(page, '.tracking')).toBe('顺丰 SF123');
    expect(text(page, '.shipped-at')).toBe('发货时间 2026-12-02 08:00');
    expect(text(page, '#payment')).toBe('已支付 2026-12-01 10:05');
    expect(all(page, '#pay')).toHaveLength(0);
    expect(all(page, '#cancel')).toHaveLength(0);
    await tap(page, '.copy');
    expect(env.clipboard).toEqual(['SF123']);
    await tap(page, '#aftersale');
    expect(env.navigations).toEqual(['/mall/pages/aftersale/index?orderId=80']);
  });

  it('pays an unpaid order with test money in the sandbox, as the checkout sheet does, and shows it paid', async () => {
    const log: Call[] = [];
    scriptedWx(orderBackend({ methods: ['sandbox'], log }));
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80' });
    expect(text(page, '#status')).toBe('待付款');
    expect(text(page, '#deadline')).toBe('请在 2026-12-01 10:30 前付款');
    expect(text(page, '#payment')).toBe('待支付');
    await tap(page, '#pay');
    await until(() => text(page, '#test-money'), 'test money');
    expect(text(page, '#amount')).toBe('¥44.80');
    expect(text(page, '#test-money')).toContain('测试金额');
    await tap(page, '#confirm-test');
    await until(() => text(page, '#notice'), 'paid');
    expect(text(page, '#notice')).toBe('支付成功');
    expect(text(page, '#status')).toBe('待发货');
    expect(all(page, '#pay')).toHaveLength(0);
    expect(log.map((c) => [c.path, c.body])).toEqual([
      ['/api/payments/P80/start', { provider: 'sandbox' }],
      ['/pay/sandbox/P80/confirm', { t: 'tok', outcome: 'succeeded' }],
    ]);
    expect(log[1]!.headers.accept).toBe('application/json');
  });

  it("pays with wx.requestPayment and the server's JSAPI parameters where WeChat Pay is on", async () => {
    const log: Call[] = [];
    const env = scriptedWx(orderBackend({ methods: ['wechat', 'sandbox'], log }));
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80', pay: '1' }); // the list's 去支付 pays at once
    await until(() => text(page, '#notice'), 'paid');
    expect(log[0]!.body).toEqual({ provider: 'wechat' });
    expect(env.payments).toHaveLength(1);
    expect(env.payments[0]).toMatchObject({
      timeStamp: '1',
      nonceStr: 'n',
      package: 'prepay_id=wx1',
      signType: 'RSA',
      paySign: 's',
    });
    expect(text(page, '#status')).toBe('待发货');
  });

  it('cancels an unpaid order once the shopper confirms', async () => {
    const log: Call[] = [];
    const env = scriptedWx(orderBackend({ methods: ['sandbox'], log }));
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80' });
    env.modalConfirm = false;
    await tap(page, '#cancel');
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual([]);
    env.modalConfirm = true;
    await tap(page, '#cancel');
    await until(() => text(page, '#notice'), 'cancelled');
    expect(env.modals).toEqual(['确定取消这笔订单吗？', '确定取消这笔订单吗？']);
    expect(log.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/orders/80/cancel']);
    expect(text(page, '#status')).toBe('已取消');
    expect(all(page, '#pay')).toHaveLength(0);
  });

  it('confirms receipt of a shipped order once the shopper says so', async () => {
    const log: Call[] = [];
    const env = scriptedWx(orderBackend({ methods: ['sandbox'], log, status: 'shipped' }));
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80' });
    expect(all(page, '#pay')).toHaveLength(0);
    env.modalConfirm = false;
    await tap(page, '#confirm-receipt');
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual([]);
    env.modalConfirm = true;
    await tap(page, '#confirm-receipt');
    await until(() => text(page, '#notice'), 'receipt confirmed');
    expect(log.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/orders/80/confirm-receipt']);
    expect(text(page, '#status')).toBe('已签收');
    expect(all(page, '#confirm-receipt')).toHaveLength(0);
  });

  it('offers no confirm-receipt before the order ships', async () => {
    scriptedWx(orderBackend({ methods: ['sandbox'], log: [] }));
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80' });
    expect(all(page, '#confirm-receipt')).toHaveLength(0);
  });

  it('shows a refused cancel in Chinese', async () => {
    scriptedWx([
      (c) =>
        c.path === '/api/orders/80/cancel'
          ? { status: 409, data: { error: { code: 'ORDER_NOT_CANCELLABLE', message: 'Order cannot be cancelled' } } }
          : undefined,
      ...orderBackend({ methods: ['sandbox'], log: [] }),
    ]);
    const page = render('mall/pages/order/index');
    await page.instance.onLoad({ orderId: '80' });
    await tap(page, '#cancel');
    await until(() => text(page, '#error'), 'refused');
    expect(text(page, '#error')).toBe('该订单不能取消，可申请售后退款');
  });
});

describe('order list', () => {
  const summary = (id: number, status: string) => ({
    id,
    orderNo: `O${id}`,
    merchantId: 1,
    merchantName: '好物小店',
    userId: 7,
    status,
    goodsFen: 500,
    discountFen: 0,
    shippingFen: 0,
    totalFen: 500,
    refundedFen: 0,
    roomId: null,
    createdAt: '',
    paidAt: null,
    payDeadline: '',
    lines: [{ productTitle: '椰子', skuName: '2个', quantity: 1 }],
  });

  it('opens an order, pays an unpaid one through its detail and cancels one', async () => {
    const log: Call[] = [];
    let cancelled = false;
    const env = scriptedWx([
      login,
      (c) =>
        c.path.startsWith('/api/orders?')
          ? {
              data: {
                items: [summary(81, cancelled ? 'cancelled' : 'pending_payment'), summary(82, 'paid')],
                total: 2,
                page: 1,
                pageSize: 20,
              },
            }
          : undefined,
      (c) => {
        if (c.path !== '/api/orders/81/cancel') return undefined;
        cancelled = true;
        return logged(log, c, { data: { cancelledOrderIds: [81] } });
      },
    ]);
    const page = render('mall/pages/orders/index');
    await page.instance.onLoad();
    expect(all(page, '.pay')).toHaveLength(1);
    expect(all(page, '.cancel')).toHaveLength(1);
    await tap(page, '.pay');
    await tap(page, '.open');
    expect(env.navigations).toEqual(['/mall/pages/order/index?orderId=81&pay=1', '/mall/pages/order/index?orderId=81']);
    await tap(page, '.cancel');
    await until(() => log.length === 1 && all(page, '.pay').length === 0, 'cancelled');
    expect(String(all(page, '.order')[0].dom.textContent)).toContain('已取消');
    expect(env.toasts).toContain('订单已取消');
  });

  it("opened with orderId (the 发货通知 message's page) goes on to that order", async () => {
    const env = scriptedWx([
      login,
      (c) => (c.path.startsWith('/api/orders?') ? { data: { items: [], total: 0, page: 1, pageSize: 20 } } : undefined),
    ]);
    const page = render('mall/pages/orders/index');
    await page.instance.onLoad({ orderId: '80' });
    expect(env.navigations).toEqual(['/mall/pages/order/index?orderId=80']);
  });
});
