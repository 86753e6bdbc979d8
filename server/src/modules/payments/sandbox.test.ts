// The test-money sandbox cannot be used to forge payments: its signing key is random per
// deployment (kept in the database, never derived from anything /health shows), it is off unless
// enabled (on by default only in the embedded demo, never beside a real provider in production),
// and when off it takes no payment and accepts no notice. Public /health shows the status only.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { ConfigError, loadConfig } from '../../platform/config.ts';

describe('when the sandbox is on', () => {
  it('is on by default only for the embedded demo', () => {
    expect(loadConfig({}).paymentsSandbox).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).paymentsSandbox).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).paymentsSandbox).toBe(false);
    expect(loadConfig({ WECHATPAY_MCH_ID: '1900000109' }).paymentsSandbox).toBe(false);
    expect(loadConfig({ ALIPAY_APP_ID: '2021000000000000' }).paymentsSandbox).toBe(false);
  });

  it('follows PAYMENTS_SANDBOX, but never beside a real provider in production', () => {
    expect(loadConfig({ PAYMENTS_SANDBOX: 'false' }).paymentsSandbox).toBe(false);
    expect(loadConfig({ PAYMENTS_SANDBOX: 'true', DATABASE_URL: 'postgres://db/x' }).paymentsSandbox).toBe(true);
    expect(loadConfig({ PAYMENTS_SANDBOX: 'true', NODE_ENV: 'production' }).paymentsSandbox).toBe(true);
    const prodOn = { PAYMENTS_SANDBOX: 'true', NODE_ENV: 'production' };
    expect(() => loadConfig({ ...prodOn, WECHATPAY_MCH_ID: '1900000109' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...prodOn, ALIPAY_APP_ID: '2021000000000000' })).toThrow(/PAYMENTS_SANDBOX/);
  });
});

async function pendingPayment(node: TestNode, phone: string) {
  const buyer = await node.userToken(phone);
  const created = await node.app.ctx.services.payments.createPayment(node.app.ctx.db, {
    userId: buyer.userId,
    amountFen: 2590,
    subject: '测试商品',
    bizType: 'test',
    bizId: phone,
    merchantId: null,
  });
  return { buyer, ...created };
}

const notifySandbox = (node: TestNode, key: string, paymentNo: string) => {
  const body = JSON.stringify({ eventId: crypto.randomUUID(), paymentNo, amountFen: 2590, status: 'succeeded' });
  const sig = crypto.createHmac('sha256', key).update(body).digest('base64url');
  const headers = { 'content-type': 'application/json', 'x-sandbox-signature': sig };
  return fetch(`${node.url}/api/payments/notify/sandbox`, { method: 'POST', headers, body });
};

describe.each(APP_BACKENDS)('sandbox payments on $name', (backend) => {
  let on: TestNode;
  let off: TestNode;
  beforeAll(async () => {
    on = await startNode({ db: backend.db, cache: backend.cache, config: { paymentsSandbox: true } });
    off = await startNode({ db: backend.db, cache: backend.cache, config: { paymentsSandbox: false } });
  });
  afterAll(async () => {
    await Promise.all([on?.close(), off?.close()]);
  });

  it('refuses a notice signed with the old key derived from the node id that /health showed', async () => {
    const p = await pendingPayment(on, '13900005501');
    for (const oldKey of [`sandbox:${on.config.nodeId}`, `sandbox:${on.config.jwtSecret ?? on.config.nodeId}`]) {
      const r = await notifySandbox(on, oldKey, p.paymentNo);
      expect(r.status).toBe(400);
    }
    expect((await on.app.ctx.services.payments.get(p.paymentNo)).status).toBe('pending');
  });

  it('signs with a random key of this deployment, kept in the database', async () => {
    const row = await on.app.ctx.db
      .selectFrom('platform_settings')
      .select('value')
      .where('key', '=', 'payments_sandbox_key')
      .executeTakeFirstOrThrow();
    const key = row.value as string;
    expect(key).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(key).not.toContain(on.config.nodeId);
    const p = await pendingPayment(on, '13900005502');
    expect((await notifySandbox(on, key, p.paymentNo)).status).toBe(200);
    expect((await on.app.ctx.services.payments.get(p.paymentNo)).status).toBe('succeeded');
  });

  it('labels the cashier as test money and lets only our own pages frame it', async () => {
    const p = await pendingPayment(on, '13900005503');
    const page = await fetch(p.cashierUrl!.replace(on.config.publicUrl, on.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('测试金额');
    expect(html).toContain('SANDBOX');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const methods = await on.api('GET', '/api/payments/methods');
    expect(methods.body).toEqual({ sandbox: true, methods: [{ provider: 'sandbox', testMoney: true }] });
  });

  it('when off: no sandbox payment, no cashier, no notice accepted, whatever the key', async () => {
    const p = await pendingPayment(off, '13900005504');
    const start = await off.api('POST', `/api/payments/${p.paymentNo}/start`, {
      token: p.buyer.token,
      body: { provider: 'sandbox' },
    });
    expect(start.status).toBe(422);
    expect(start.body.error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(p.cashierUrl).toBeNull(); // no test-money cashier is handed out; a signed link still opens nothing
    const url = new URL(await off.app.ctx.services.payments.sandboxCashierUrl(p.paymentNo));
    const page = await fetch(`${off.url}${url.pathname}${url.search}`);
    expect(page.status).toBe(404);
    expect(((await page.json()) as any).error.code).toBe('SANDBOX_DISABLED');
    const confirm = await fetch(`${off.url}${url.pathname}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ t: url.searchParams.get('t')!, outcome: 'succeeded' }).toString(),
    });
    expect(confirm.status).toBe(404);
    for (const key of [`sandbox:${off.config.nodeId}`, 'anything']) {
      expect((await notifySandbox(off, key, p.paymentNo)).status).toBe(400);
    }
    expect((await off.app.ctx.services.payments.get(p.paymentNo)).status).toBe('pending');
    expect((await off.api('GET', '/api/payments/methods')).body).toEqual({ sandbox: false, methods: [] });
  });

  it('shows only the status on public /health; the node and checks to operators', async () => {
    const pub = await on.api('GET', '/health');
    expect(pub.status).toBe(200);
    expect(pub.body).toEqual({ status: expect.stringMatching(/^(up|degraded)$/) });
    expect(JSON.stringify(pub.body)).not.toContain(on.config.nodeId);
    const shopper = await on.userToken('13900005505');
    expect((await on.api('GET', '/health', { token: shopper.token })).body).not.toHaveProperty('node');
    const admin = await on.userToken('13900005506', { admin: true });
    const detailed = await on.api('GET', '/health', { token: admin.token });
    expect(detailed.body).toMatchObject({ node: on.config.nodeId, checks: { db: { status: 'up' } } });
  });
});

describe('operator token', () => {
  let node: TestNode;
  const opsToken = crypto.randomBytes(32).toString('hex');
  beforeAll(async () => {
    node = await startNode({ config: { opsToken } });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('opens /health details and /metrics, nothing else', async () => {
    const auth = { authorization: `Bearer ${opsToken}` };
    expect((await node.api('GET', '/health', { headers: auth })).body).toHaveProperty('checks.db.status', 'up');
    expect((await node.api('GET', '/metrics', { headers: auth })).status).toBe(200);
    expect((await node.api('GET', '/metrics')).status).toBe(401);
    expect((await node.api('GET', '/metrics', { headers: { authorization: `Bearer ${opsToken}x` } })).status).toBe(401);
    const shopper = await node.userToken('13900005507');
    expect((await node.api('GET', '/metrics', { token: shopper.token })).status).toBe(403);
    expect((await node.api('GET', '/api/platform/jobs', { headers: auth })).status).toBe(403);
  });
});
