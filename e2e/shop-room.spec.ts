// The shopper's whole path in a phone browser: open the live demo room, watch the video play,
// see the anchor's "explaining" pin arrive, buy the pinned product through the sandbox cashier
// without leaving the room, and find the order paid in Orders. Screenshots of each step.
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });

async function videoTime(page: Page): Promise<number> {
  return page.locator('[data-testid=room-video]').evaluate((v: HTMLVideoElement) => v.currentTime);
}

async function apiLogin(baseURL: string, phone: string): Promise<string> {
  const r = await fetch(`${baseURL}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, password: 'demo1234' }) });
  return ((await r.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
}

test('a shopper watches the live demo room and buys the pinned product without leaving it', async ({ page, baseURL }) => {
  await page.goto('/shop/');
  const card = page.getByTestId('room-card').first();
  await expect(card).toBeVisible();
  await shot(page, '01-home');
  await card.click();
  await expect(page).toHaveURL(/\/shop\/room\/\d+/);
  const roomId = Number(/room\/(\d+)/.exec(page.url())![1]);

  // The video really plays: its clock advances.
  await expect.poll(() => videoTime(page), { timeout: 30_000 }).toBeGreaterThan(1);
  const t1 = await videoTime(page);
  await expect.poll(() => videoTime(page)).toBeGreaterThan(t1 + 1);
  await shot(page, '02-room-playing');

  // The anchor pins a product from the console; it shows up in the room.
  const owner = await apiLogin(baseURL!, '13800000001');
  const room = await (await fetch(`${baseURL}/api/rooms/${roomId}`)).json() as { merchantId: number; products: Array<{ id: number; title: string }> };
  const product = room.products[0]!;
  const pin = await fetch(`${baseURL}/api/merchants/${room.merchantId}/rooms/${roomId}/pin`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` }, body: JSON.stringify({ productId: product.id }) });
  expect(pin.status).toBe(200);
  const pinned = page.getByTestId('pinned-product');
  await expect(pinned).toContainText(product.title);
  await shot(page, '03-pinned');

  // Buy it: SKU picker → sign in inside the sheet → quote → place → sandbox cashier → paid.
  await page.getByTestId('buy-pinned').click();
  const picker = page.getByTestId('sku-picker');
  await expect(picker).toBeVisible();
  for (const group of await picker.locator('.spec .adm-selector').all()) await group.locator('.adm-selector-item').first().click();
  await shot(page, '04-sku-picker');
  await page.getByTestId('buy-now').click();
  await page.getByTestId('login-phone').locator('input').fill('13900000001');
  await page.getByTestId('login-password').locator('input').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('quote-total')).toBeVisible();
  await shot(page, '05-checkout');
  await page.getByTestId('place-order').click();
  const cashier = page.frameLocator('[data-testid=cashier]');
  await expect(cashier.getByText('SANDBOX')).toBeVisible();
  await shot(page, '06-cashier');
  await cashier.getByTestId('sandbox-pay').click();
  await expect(page.getByTestId('paid')).toBeVisible();
  await shot(page, '07-paid');
  // The show never stopped.
  const t2 = await videoTime(page);
  await expect.poll(() => videoTime(page)).toBeGreaterThan(t2 + 0.5);

  await page.goto('/shop/orders');
  const row = page.getByTestId('order-row').first();
  await expect(row).toContainText(product.title);
  await expect(row.getByTestId('order-status')).toHaveText('已付款');
  await shot(page, '08-orders');
});
