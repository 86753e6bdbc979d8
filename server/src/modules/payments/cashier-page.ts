// The sandbox cashier: a plain server-rendered page, unmistakably labelled as a sandbox.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function cashierPage(p: { paymentNo: string; subject: string; amountFen: number; status: string; token: string; returnUrl: string }): string {
  const amount = (p.amountFen / 100).toFixed(2);
  const pending = p.status === 'pending';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>沙箱收银台 Sandbox cashier</title>
<style>body{font-family:-apple-system,"PingFang SC",sans-serif;margin:0;background:#f5f5f5;color:#222}
.banner{background:#d4380d;color:#fff;text-align:center;padding:10px;font-weight:700;letter-spacing:1px}
.card{background:#fff;margin:16px;border-radius:12px;padding:24px;text-align:center}
.amount{font-size:40px;font-weight:700;margin:12px 0}.muted{color:#888;font-size:14px}
button{width:100%;padding:14px;margin-top:12px;border:0;border-radius:24px;font-size:17px}
.pay{background:#07c160;color:#fff}.fail{background:#eee;color:#d4380d}</style></head>
<body><div class="banner" data-testid="sandbox-banner">SANDBOX 沙箱环境 · 不会产生真实扣款 · No real money moves</div>
<div class="card"><div class="muted">${esc(p.subject)}</div><div class="amount">¥${amount}</div>
<div class="muted">支付单号 ${esc(p.paymentNo)}</div>
${pending ? `<form method="post" action="/pay/sandbox/${esc(p.paymentNo)}/confirm">
<input type="hidden" name="t" value="${esc(p.token)}"><input type="hidden" name="returnUrl" value="${esc(p.returnUrl)}">
<button class="pay" name="outcome" value="succeeded" data-testid="sandbox-pay">确认支付 Pay ¥${amount}</button>
<button class="fail" name="outcome" value="failed" data-testid="sandbox-fail">模拟支付失败 Fail</button></form>`
    : `<p data-testid="sandbox-status">${p.status === 'succeeded' ? '支付成功 Paid' : `状态 ${esc(p.status)}`}</p><a href="${esc(p.returnUrl)}">返回 Back</a>`}
</div></body></html>`;
}
