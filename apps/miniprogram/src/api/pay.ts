// Paying a placed order inside the mini-program. WeChat Pay: POST /api/payments/:no/start { provider: "wechat" }
// answers the JSAPI parameters the server signed for the shopper's openid, handed to wx.requestPayment. The
// sandbox (demo deployments, test money): the same start with "sandbox" answers where to confirm; the sheet
// shows the amount as test money and confirms it there. Either way the order is paid when the server says so.
import { api } from './http';

export type PayMode = { kind: 'wechat' } | { kind: 'sandbox'; confirmPath: string; token: string } | { kind: 'none' };
interface Methods {
  sandbox: boolean;
  methods: Array<{ provider: 'sandbox' | 'wechat' | 'alipay'; testMoney: boolean }>;
}
interface Started {
  paymentNo: string;
  provider: string;
  amountFen: number;
  cashierUrl?: string;
  jsapiParams?: Record<string, string>;
  sandboxPay?: { testMoney: true; confirmPath: string; token: string };
}

/** How this deployment takes the payment: WeChat Pay where offered, else the sandbox's test money. */
export async function startPayment(paymentNo: string): Promise<PayMode & { params?: Record<string, string> }> {
  const { methods } = await api<Methods>('GET', '/api/payments/methods');
  const has = (p: string) => methods.some((m) => m.provider === p);
  if (has('wechat')) {
    const r = await api<Started>('POST', `/api/payments/${paymentNo}/start`, { body: { provider: 'wechat' } });
    return { kind: 'wechat', ...(r.jsapiParams ? { params: r.jsapiParams } : {}) };
  }
  if (has('sandbox')) {
    const r = await api<Started>('POST', `/api/payments/${paymentNo}/start`, { body: { provider: 'sandbox' } });
    if (r.sandboxPay) return { kind: 'sandbox', confirmPath: r.sandboxPay.confirmPath, token: r.sandboxPay.token };
    // Older servers: the cashier link carries the path and its token.
    const url = r.cashierUrl ?? '';
    const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]!;
    const token = decodeURIComponent(/[?&]t=([^&]+)/.exec(url)?.[1] ?? '');
    return { kind: 'sandbox', confirmPath: `${path}/confirm`, token };
  }
  return { kind: 'none' };
}

/** wx.requestPayment with the server's JSAPI parameters; resolves false when the shopper cancels. */
export function requestPayment(p: Record<string, string>): Promise<boolean> {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: p.timeStamp!,
      nonceStr: p.nonceStr!,
      package: p.package!,
      signType: (p.signType ?? 'RSA') as 'RSA',
      paySign: p.paySign!,
      success: () => resolve(true),
      fail: (e) => (/cancel/.test(e.errMsg) ? resolve(false) : reject(new Error(e.errMsg))),
    });
  });
}

/** The sandbox's test-money confirmation. */
export async function confirmSandbox(
  confirmPath: string,
  token: string,
  outcome: 'succeeded' | 'failed' = 'succeeded',
) {
  return api<{ outcome: string }>('POST', confirmPath, {
    body: { t: token, outcome },
    headers: { accept: 'application/json' },
  });
}

/** Ask for the orders until every one is paid (or the time is up). */
export async function waitPaid(orderIds: number[], timeoutMs = 15_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(orderIds.map((id) => api<{ status: string }>('GET', `/api/orders/${id}`)));
    if (all.every((o) => o.status === 'paid')) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}
