// 对账 in the console: a shopper pays for an order, the shop's owner reconciles its books and is
// told, plainly, that everything balances; the platform operator reconciles every shop; an anchor
// has no reconciliation page.
import { expect, test, type Page } from '@playwright/test';
import { apiLogin, consoleLogin, shot } from './helpers.ts';

test.use({ viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });

async function runNowAndExpectClean(page: Page, name: string) {
  await page.getByTestId('reconcile-run').click();
  await expect(page.getByTestId('report-clean')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('report-clean')).toContainText('全部平账');
  await expect(page.getByTestId('report-checks')).toContainText('reconciliation.order_stock');
  await expect(page.getByTestId('reconcile-runs')).toContainText('全部平账');
  await shot(page, name);
}

test('a shop and the platform reconcile their books and see a clear "all clean"', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  // Real activity first: a shopper buys and pays.
  const token = await apiLogin(baseURL!, '13900000002');
  const auth = { authorization: `Bearer ${token}` };
  const json = async <T>(path: string, headers: Record<string, string> = {}) =>
    (await (await page.request.get(path, { headers })).json()) as T;
  const products = await json<{ items: Array<{ id: number }> }>('/api/products?pageSize=5');
  const product = await json<{ skus: Array<{ id: number }> }>(`/api/products/${products.items[0]!.id}`);
  const addresses = await json<Array<{ id: number }>>('/api/me/addresses', auth);
  const items = [{ skuId: product.skus[0]!.id, quantity: 1 }];
  const order = { idempotencyKey: `e2e-reconcile-${Date.now()}`, items, addressId: addresses[0]!.id };
  const placed = await page.request.post('/api/orders', { headers: auth, data: order });
  expect(placed.status()).toBe(201);
  const cashier = new URL(((await placed.json()) as { payment: { cashierUrl: string } }).payment.cashierUrl);
  const form = { t: cashier.searchParams.get('t')!, outcome: 'succeeded' };
  const paid = await page.request.post(`${cashier.pathname}/confirm`, {
    headers: { accept: 'application/json' },
    form,
  });
  expect(((await paid.json()) as { outcome: string }).outcome).toBe('succeeded');

  await consoleLogin(page, '13800000001');
  await page.getByTestId('menu').getByText('对账', { exact: true }).click();
  await expect(page.getByTestId('reconciliation')).toContainText('对账 · 本店');
  await runNowAndExpectClean(page, 'r01-shop-all-clean');

  await page.getByRole('button', { name: /退出/ }).click();
  await consoleLogin(page, '13800000000');
  await page.getByTestId('menu').getByText('平台对账', { exact: true }).click();
  await expect(page.getByTestId('reconciliation')).toContainText('对账 · 全平台');
  await runNowAndExpectClean(page, 'r02-platform-all-clean');
  await expect(page.getByTestId('reconcile-shop')).toBeVisible();

  await page.getByRole('button', { name: /退出/ }).click();
  await consoleLogin(page, '13800000003');
  await expect(page.getByTestId('menu')).not.toContainText('对账');
});
