// The sandbox cashier: plain server-rendered pages, unmistakably labelled as test money. Each page
// has one style block carrying the response's CSP nonce and no script at all.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = `body{font-family:-apple-system,"PingFang SC",sans-serif;margin:0;background:#f5f5f5;color:#222}
.banner{background:#d4380d;color:#fff;text-align:center;padding:10px;font-weight:700;letter-spacing:1px}
.card{background:#fff;margin:16px;border-radius:12px;padding:24px;text-align:center}
.amount{font-size:40px;font-weight:700;margin:12px 0}.muted{color:#888;font-size:14px}
.test{display:inline-block;border:1px solid #d4380d;color:#d4380d;border-radius:4px;padding:0 6px;font-size:13px}
button{width:100%;padding:14px;margin-top:12px;border:0;border-radius:24px;font-size:17px}
.pay{background:#07c160;color:#fff}.fail{background:#eee;color:#d4380d}`;

const BANNER =
  '<div class="banner" data-testid="sandbox-banner">' +
  'SANDBOX 沙箱环境 · 测试金额 · 不会产生真实扣款 · Test money, no real payment</div>';
const TITLE = '沙箱收银台 Sandbox cashier (test money)';

function page(nonce: string, body: string, head = ''): string {
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">' +
    `<title>${TITLE}</title><style nonce="${esc(nonce)}">${STYLE}</style>${head}</head>` +
    `<body>${BANNER}${body}</body></html>`
  );
}

export interface CashierView {
  paymentNo: string;
  subject: string;
  amountFen: number;
  status: string;
  token: string;
  returnUrl: string;
  nonce: string;
}

export function cashierPage(p: CashierView): string {
  const amount = (p.amountFen / 100).toFixed(2);
  const no = esc(p.paymentNo);
  const form = `<form method="post" action="/pay/sandbox/${no}/confirm">
<input type="hidden" name="t" value="${esc(p.token)}"><input type="hidden" name="returnUrl" value="${esc(p.returnUrl)}">
<button class="pay" name="outcome" value="succeeded" data-testid="sandbox-pay">确认支付 Pay ¥${amount} (测试 test)</button>
<button class="fail" name="outcome" value="failed" data-testid="sandbox-fail">模拟支付失败 Fail</button></form>`;
  const status = p.status === 'succeeded' ? '支付成功 Paid' : `状态 ${esc(p.status)}`;
  const done = `<p data-testid="sandbox-status">${status}</p><a href="${esc(p.returnUrl)}">返回 Back</a>`;
  return page(
    p.nonce,
    `<div class="card"><div class="muted">${esc(p.subject)}</div>
<div class="amount">¥${amount}</div><div class="test" data-testid="sandbox-test-money">测试金额 Test money</div>
<div class="muted">支付单号 ${no}</div>
${p.status === 'pending' ? form : done}
</div>`,
  );
}

/** After confirming: the outcome, then back to the shop's (same-site) return path. */
export function cashierResultPage(p: { succeeded: boolean; returnUrl: string; nonce: string }): string {
  const back = esc(p.returnUrl);
  const outcome = p.succeeded ? '支付成功 Paid' : '支付失败 Failed';
  return page(
    p.nonce,
    `<div class="card"><h2 data-testid="sandbox-result">${outcome}</h2>
<div class="test">测试金额 Test money</div><p><a href="${back}">返回 Back</a></p></div>`,
    `<meta http-equiv="refresh" content="1;url=${back}">`,
  );
}
