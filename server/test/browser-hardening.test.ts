// What a browser is told: every HTML page has a CSP and cannot be framed by other sites (the
// cashier only by our own shop), nothing is sniffed, the cashier sends shoppers back to this site
// only, CSV exports cannot run formulas in the merchant's spreadsheet, a token in the query string
// opens nothing over HTTP, and request ids are ours.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutralizeCell } from '../src/platform/csv.ts';
import { webDist } from '../src/platform/http/web-routes.ts';
import { safeReturnPath, sameSiteReturnUrl } from '../src/modules/payments/return-url.ts';
import { APP_BACKENDS } from './backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from './commerce-fixtures.ts';
import { startNode, type TestNode } from './harness.ts';

const OPEN_REDIRECTS = [
  '/\\evil.example/',
  '//evil.example/',
  '/\t/evil.example',
  '/\\/evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  ' /x',
  '/\n/evil.example',
  'evil.example',
  '\\\\evil.example',
];

describe('same-site return paths', () => {
  it('turns every open-redirect spelling into "/" and keeps real paths', () => {
    for (const u of OPEN_REDIRECTS) expect(safeReturnPath(u), JSON.stringify(u)).toBe('/');
    expect(safeReturnPath('/shop/orders?tab=paid#top')).toBe('/shop/orders?tab=paid#top');
    expect(sameSiteReturnUrl('/shop/orders', 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/shop/orders');
    const site = 'http://127.0.0.1:3000';
    expect(sameSiteReturnUrl(`${site}/shop/`, site)).toBe(`${site}/shop/`);
    for (const u of OPEN_REDIRECTS) expect(sameSiteReturnUrl(u, 'http://127.0.0.1:3000'), JSON.stringify(u)).toBeNull();
  });
});

describe('CSV cells', () => {
  it('neutralizes what a spreadsheet would run, and leaves numbers and text alone', () => {
    for (const v of ['=1+1', '+1+1', '-1+cmd', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', '=HYPERLINK("http://x")']) {
      expect(neutralizeCell(v)).toBe(`'${v}`);
    }
    for (const v of ['-12.50', '12', '张三', 'a=b', '', 5, null]) expect(neutralizeCell(v)).toBe(v);
  });
});

describe.each(APP_BACKENDS)('browser-facing answers on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '安全小店', '13800008801');
  });
  afterAll(async () => {
    await node?.close();
  });

  const pending = async (phone: string) => {
    const buyer = await node.userToken(phone);
    const p = await node.app.ctx.services.payments.createPayment(node.app.ctx.db, {
      userId: buyer.userId,
      amountFen: 990,
      subject: '测试',
      bizType: 'test',
      bizId: phone,
      merchantId: null,
    });
    return { buyer, ...p, cashier: new URL(p.cashierUrl!) }; // the sandbox is on in tests
  };

  it('sends nosniff and a referrer policy on every answer, and a CSP that forbids framing on HTML pages', async () => {
    for (const route of ['/api/categories', '/api/nope', '/health']) {
      const r = await fetch(node.url + route);
      expect(r.headers.get('x-content-type-options'), route).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), route).toBe('same-origin');
    }
    const docs = await fetch(`${node.url}/docs/`);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(docs.headers.get('x-frame-options')).toBe('DENY');
  });

  const built = (name: string) => fs.existsSync(path.join(webDist(name), 'index.html'));
  const appsBuilt = built('shop') && built('admin');
  it.skipIf(!appsBuilt)('serves the shop and the console with a CSP their builds satisfy', async () => {
    for (const app of ['shop', 'admin']) {
      const r = await fetch(`${node.url}/${app}/orders`);
      expect(r.status).toBe(200);
      const csp = r.headers.get('content-security-policy')!;
      expect(csp, app).toContain("frame-ancestors 'none'");
      expect(csp, app).toContain("script-src 'self'");
      expect(csp, app).not.toMatch(/script-src[^;]*unsafe/);
      // The build has no inline script the policy would block.
      expect(await r.text(), app).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  const cashierAt = (cashier: URL, t: string, returnUrl: string) =>
    `${node.url}${cashier.pathname}?t=${encodeURIComponent(t)}&returnUrl=${encodeURIComponent(returnUrl)}`;

  it('sends the shopper back to this site only after the cashier, however the return path is spelled', async () => {
    const p = await pending('13900008801');
    const t = p.cashier.searchParams.get('t')!;
    for (const evil of OPEN_REDIRECTS) {
      const page = await (await fetch(cashierAt(p.cashier, t, evil))).text();
      expect(page, JSON.stringify(evil)).toContain('name="returnUrl" value="/"');
    }
    const done = await fetch(`${node.url}${p.cashier.pathname}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ t, outcome: 'failed', returnUrl: '/\\evil.example/' }).toString(),
    });
    const html = await done.text();
    expect(html).toContain('content="1;url=/"');
    expect(html).not.toContain('evil.example');
    expect(done.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    const kept = await fetch(cashierAt(p.cashier, t, '/shop/orders'));
    expect(await kept.text()).toContain('href="/shop/orders"');
  });

  it('refuses a return URL on another site when starting a payment', async () => {
    const p = await pending('13900008802');
    const start = (returnUrl: string) =>
      node.api('POST', `/api/payments/${p.paymentNo}/start`, {
        token: p.buyer.token,
        body: { provider: 'sandbox', returnUrl },
      });
    const evil = await start('/\\evil.example/');
    expect(evil.status).toBe(400);
    expect(evil.body.error.code).toBe('RETURN_URL_INVALID');
    const ok = await start('/shop/orders');
    expect(ok.status).toBe(200);
  });

  it('exports orders whose text cells cannot run as spreadsheet formulas', async () => {
    const buyer = await node.userToken('13900008803');
    const { skuId } = await simpleProduct(node, shop, '@SUM(1+1)*cmd', 1990, 10);
    const address = await node.api('POST', '/api/me/addresses', {
      token: buyer.token,
      body: {
        name: '=HYPERLINK("http://ev.il",A1)',
        phone: '13912345678',
        province: '北京市',
        city: '北京市',
        district: '朝阳区',
        detail: '某路1号',
      },
    });
    expect(address.status).toBe(201);
    const placed = await node.api('POST', '/api/orders', {
      token: buyer.token,
      body: { idempotencyKey: 'csv-export-1', items: [{ skuId, quantity: 1 }], addressId: address.body.id },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const res = await fetch(`${node.url}/api/merchants/${shop.merchantId}/orders/export.csv`, {
      headers: { authorization: `Bearer ${shop.owner.token}` },
    });
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://ev.il"",A1)"`);
    expect(csv).toContain("'@SUM(1+1)*cmd");
    expect(csv).not.toMatch(/(^|,)"?[=+@]/m);
  });

  it('takes no access_token from the query string on HTTP routes, even with an Upgrade header', async () => {
    const user = await node.userToken('13900008804');
    const { port } = new URL(node.url);
    const status = await new Promise<number>((resolve, reject) => {
      const path = `/api/me/addresses?access_token=${user.token}`;
      const req = http.request({ host: '127.0.0.1', port, path, headers: { upgrade: 'websocket' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
    expect((await node.api('GET', '/api/me/addresses', { token: user.token })).status).toBe(200);
  });

  it('answers with its own request id, not the one the client made up', async () => {
    const ids = new Set<string>();
    for (const sent of ['trace-me-123', 'trace-me-123', 'x'.repeat(5000)]) {
      const r = await fetch(`${node.url}/api/categories`, { headers: { 'x-request-id': sent } });
      const id = r.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(3);
  });
});
