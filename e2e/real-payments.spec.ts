// Paying where the sandbox is off (the second server of playwright.config.ts: Alipay and WeChat Pay
// configured against the local stand-ins that sign like them): the checkout offers the ways to pay the
// server lists and no test money, says WeChat Pay is paid in the mini-program, and Alipay goes to the
// page-pay URL the Alipay adapter signed, for the amount on screen.
import { expect, test } from '@playwright/test';
import { realPaymentsURL } from './playwright.config.ts';
import { apiLogin, shot } from './helpers.ts';

const PASSWORD = 'demo1234';
const tag = Date.now() % 100_000;

async function api<T = any>(token: string | null, method: string, route: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(`${realPaymentsURL}${route}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${JSON.stringify(json)}`);
  return json as T;
}

test.use({ baseURL: realPaymentsURL });

test('with the sandbox off the checkout offers Alipay and WeChat Pay, and Alipay goes to its signed pay page', async ({
  page,
}) => {
  const methods = await api<{ sandbox: boolean; methods: Array<{ provider: string }> }>(
    null,
    'GET',
    '/api/payments/methods',
  );
  expect(methods.sandbox).toBe(false);
  expect(methods.methods.map((m) => m.provider).sort()).toEqual(['alipay', 'wechat']);

  const owner = await apiLogin(realPaymentsURL, '13800000001');
  const merchantId = (await api(owner, 'GET', '/api/me')).merchants[0].id as number;
  const product = await api(owner, 'POST', `/api/merchants/${merchantId}/products`, {
    title: `正式收款芒果 ${tag}`,
    status: 'on_shelf',
    specs: [],
    skus: [{ specValues: [], priceFen: 2_990, stock: 50, weightGrams: 500 }],
  });
  const phone = `1376${String(tag).padStart(5, '0')}01`;
  const shopper = await api(null, 'POST', '/api/auth/register', { phone, password: PASSWORD });
  await api(shopper.tokens.accessToken, 'POST', '/api/me/addresses', {
    name: '测试买家',
    phone: '13912345678',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园1号',
    isDefault: true,
  });

  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(phone);
  await page.getByTestId('login-password').locator('input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
  await page.goto(`/shop/product/${product.id}`);
  await page.getByTestId('product-buy').click();
  await expect(page.getByTestId('sku-picker')).toBeVisible();
  await page.getByTestId('buy-now').click();
  await expect(page.getByTestId('quote')).toHaveAttribute('data-fresh', 'true');
  const shown = (await page.getByTestId('quote-total').textContent())!.trim();
  await page.getByTestId('place-order').click();
  await expect(page.getByTestId('payment-amount')).toHaveText(shown);

  // The choice: what the server lists, no test money and no sandbox cashier.
  await expect(page.getByTestId('pay-methods')).toBeVisible();
  await expect(page.getByTestId('pay-alipay')).toHaveText('支付宝');
  await expect(page.getByTestId('pay-wechat')).toHaveText('微信支付');
  await expect(page.getByTestId('pay-sandbox')).toHaveCount(0);
  await expect(page.getByTestId('cashier')).toHaveCount(0);
  await expect(page.getByTestId('pay-methods')).not.toContainText('测试');
  await page.getByTestId('pay-wechat').click();
  await expect(page.getByTestId('pay-wechat-hint')).toHaveText('微信支付请在微信中打开本店小程序完成');
  await shot(page, 'real-payments-choice');

  await page.getByTestId('pay-alipay').click();
  await page.waitForURL((url) => url.pathname === '/gateway.do');
  const landed = new URL(page.url());
  expect(landed.origin).not.toBe(realPaymentsURL);
  expect(landed.searchParams.get('method')).toBe('alipay.trade.wap.pay');
  // The stand-in checks the signature as Alipay does before it shows the payment.
  await expect(page.getByTestId('alipay-signed')).toBeVisible();
  await expect(page.getByTestId('alipay-amount')).toHaveText(shown.replace('¥', ''));
  const biz = JSON.parse(landed.searchParams.get('biz_content')!) as { out_trade_no: string };
  const orders = await api<{ items: Array<{ id: number; status: string }> }>(
    shopper.tokens.accessToken,
    'GET',
    '/api/orders',
  );
  expect(orders.items[0]!.status).toBe('pending_payment');
  expect(biz.out_trade_no).toMatch(/^P\d+/);
  expect(new URL(landed.searchParams.get('return_url')!).pathname).toBe('/shop/orders');
  await shot(page, 'real-payments-alipay');
});
