// After-sales in the real shop on a phone: a shopper asks for part of a paid order back, then for
// the rest. The order page shows what is refundable now (units held by the open request are not),
// the refund in progress and the server's estimate before sending; the merchant approves through
// the API. The amounts the page showed are the amounts refunded, and they add up to the order.
import { expect, test, type Page } from '@playwright/test';
import { apiLogin, shot, jsonApi } from './helpers.ts';

const PASSWORD = 'demo1234';
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const tag = Date.now() % 100_000;

let base = '';
const api = jsonApi(() => base);

/** Press the sandbox cashier's pay button, as the shopper's browser would. */
async function payInSandbox(cashierUrl: string) {
  const url = new URL(cashierUrl, base);
  const r = await fetch(`${base}${url.pathname}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ t: url.searchParams.get('t')!, outcome: 'succeeded' }).toString(),
  });
  expect(((await r.json()) as { outcome: string }).outcome).toBe('succeeded');
}

async function until(cond: () => Promise<boolean>, ms = 30_000) {
  await expect.poll(cond, { timeout: ms, intervals: [200] }).toBe(true);
}

interface Aftersale {
  id: number;
  status: string;
  amountFen: number;
}

test('a partial refund request, then one for the rest: amounts shown are amounts refunded', async ({
  page,
  baseURL,
}) => {
  base = baseURL!;
  const owner = await apiLogin(base, '13800000001');
  const merchantId = (await api(owner, 'GET', '/api/me')).merchants[0].id as number;
  const title = `售后测试芒果 ${tag}`;
  const p = await api(owner, 'POST', `/api/merchants/${merchantId}/products`, {
    title,
    status: 'on_shelf',
    specs: [],
    skus: [{ specValues: [], priceFen: 1_999, stock: 50, weightGrams: 500 }],
  });
  const phone = `1376${String(tag).padStart(5, '0')}01`;
  const shopper = await api(null, 'POST', '/api/auth/register', { phone, password: PASSWORD });
  const token = shopper.tokens.accessToken as string;
  const address = await api(token, 'POST', '/api/me/addresses', {
    name: '售后买家',
    phone: '13912345678',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园1号',
    isDefault: true,
  });
  const placed = await api(token, 'POST', '/api/orders', {
    idempotencyKey: `aftersales-e2e-${tag}`,
    items: [{ skuId: p.skus[0].id, quantity: 3 }],
    addressId: address.id,
    couponIds: [],
  });
  await payInSandbox(placed.payment.cashierUrl);
  const orderId = placed.orders[0].orderId as number;
  await until(async () => (await api(token, 'GET', `/api/orders/${orderId}`)).status === 'paid');
  const order = await api(token, 'GET', `/api/orders/${orderId}`);
  const lineId = order.lines[0].id as number;

  await signIn(page, phone);
  await page.goto(`/shop/orders/${orderId}`);
  await expect(page.getByTestId('order-detail-status')).toHaveText('已付款');
  await shot(page, 'aftersales-paid');

  // First request: one of the three units.
  const first = await requestInSheet(page, lineId, 3, 1, 'first');
  await expect(page.getByTestId(`line-refund-${lineId}`)).toHaveText('申请中 1 · 可退 2');
  await expect(page.getByTestId('aftersale-row').first()).toHaveAttribute('data-status', 'requested');
  await expect(page.getByTestId('aftersale-amount').first()).toHaveText(first);
  const firstId = await approveLatest(owner, merchantId, token, orderId);
  await page.reload();
  await expect(page.getByTestId('refunded-total')).toHaveText(first);
  await expect(page.getByTestId(`line-refund-${lineId}`)).toHaveText('已退 1 · 可退 2');
  await expect(page.getByTestId('aftersale-row').first()).toHaveAttribute('data-status', 'refunded');
  await shot(page, 'aftersales-first-refunded');

  // Second request: the rest, which is what the sheet offers.
  const rest = await requestInSheet(page, lineId, 2, 2, 'rest');
  const restId = await approveLatest(owner, merchantId, token, orderId);
  await page.reload();
  await expect(page.getByTestId('order-detail-status')).toHaveText('已退款');
  await expect(page.getByTestId(`line-refund-${lineId}`)).toHaveText('已退 3 · 可退 0');
  await expect(page.getByTestId('request-aftersale')).toHaveCount(0);
  await expect(page.getByTestId('refunded-total')).toHaveText(yuan(order.totalFen));
  await shot(page, 'aftersales-all-refunded');

  // What was shown is what the server refunded, and it adds up to the order.
  const requests = await api<Aftersale[]>(token, 'GET', `/api/aftersales?orderId=${orderId}`);
  const byId = new Map(requests.map((a) => [a.id, a]));
  expect([byId.get(firstId)!.status, byId.get(restId)!.status]).toEqual(['refunded', 'refunded']);
  expect([yuan(byId.get(firstId)!.amountFen), yuan(byId.get(restId)!.amountFen)]).toEqual([first, rest]);
  const after = await api(token, 'GET', `/api/orders/${orderId}`);
  expect(after.refundedFen).toBe(order.totalFen);
  expect(byId.get(firstId)!.amountFen + byId.get(restId)!.amountFen).toBe(order.totalFen);
  console.log(`After-sales: order ${yuan(order.totalFen)} = first ${first} + rest ${rest} (shown = refunded)`);
});

async function signIn(page: Page, phone: string) {
  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(phone);
  await page.getByTestId('login-password').locator('input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
}

/** Open the sheet (it offers `offered` units), ask for `quantity`, send it; returns the estimate it showed. */
async function requestInSheet(page: Page, lineId: number, offered: number, quantity: number, prefix: string) {
  await page.getByTestId('request-aftersale').click();
  const stepper = page.getByTestId(`refund-qty-${lineId}`);
  await expect(stepper.locator('input')).toHaveValue(String(offered));
  for (let n = offered; n > quantity; n--) await stepper.locator('.adm-stepper-minus').click();
  await expect(stepper.locator('input')).toHaveValue(String(quantity));
  await expect(page.getByTestId('refund-estimate-row')).toHaveAttribute('data-fresh', 'true');
  const shown = (await page.getByTestId('refund-estimate').textContent())!.trim();
  expect(shown).toMatch(/^¥\d+\.\d\d$/);
  await page.getByTestId('aftersale-reason').locator('input').fill('买多了');
  await shot(page, `aftersales-${prefix}-sheet`);
  await page.getByTestId('aftersale-submit').click();
  await expect(page.getByTestId('aftersale-submit')).toHaveCount(0);
  return shown;
}

/** The merchant approves the order's newest open request through the API; waits until it is refunded. */
async function approveLatest(owner: string, merchantId: number, token: string, orderId: number): Promise<number> {
  const requests = await api<Aftersale[]>(token, 'GET', `/api/aftersales?orderId=${orderId}`);
  const open = requests.find((a) => a.status === 'requested')!;
  await api(owner, 'POST', `/api/merchants/${merchantId}/aftersales/${open.id}/approve`);
  await until(async () =>
    (await api<Aftersale[]>(token, 'GET', `/api/aftersales?orderId=${orderId}`)).some(
      (a) => a.id === open.id && a.status === 'refunded',
    ),
  );
  return open.id;
}
