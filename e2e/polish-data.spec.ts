// Search, addresses and the console's numbers as a shopper (phone) and a merchant (desktop) meet
// them: 芒果 finds the 贵妃芒 and the 芒果 room; a province/city/district picked in the shop is on
// the order in the console; the go-live console with only the merchant's own preview open says 0
// online, and one shopper makes it 1 (and the shopper's page says 1 人在看, not 2).
import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import { apiLogin, consoleLogin, shot } from './helpers.ts';

const SHOPPER = '13900000002';
const OWNER = '13800000001';
const DEMO_ROOM = '鲜果时光 · 海南芒果产地直播';
const phone = devices['Pixel 7'];
const desktop = { viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 };

async function json<T = any>(page: Page, method: string, route: string, token?: string, body?: unknown): Promise<T> {
  const r = await page.request.fetch(route, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body !== undefined ? { data: body } : {}),
  });
  expect(r.ok(), `${method} ${route}: ${r.status()} ${await r.text()}`).toBe(true);
  return (await r.json()) as T;
}

async function phonePage(browser: Browser) {
  const context = await browser.newContext({ ...phone });
  return { context, page: await context.newPage() };
}

async function shopSignIn(page: Page, phoneNo: string) {
  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(phoneNo);
  await page.getByTestId('login-password').locator('input').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
}

test('芒果 finds the 贵妃芒 and the 芒果 room; history and hot words around the box', async ({ browser }) => {
  const { context, page } = await phonePage(browser);
  await shopSignIn(page, SHOPPER);
  await page.goto('/shop/mall');
  const box = page.getByTestId('search-box').locator('input');
  await box.fill('芒果');
  await box.press('Enter');
  await expect(page.locator('.grid, .product-grid').getByText('海南贵妃芒', { exact: false }).first()).toBeVisible();
  await expect(page.getByTestId('search-rooms')).toContainText(DEMO_ROOM);
  await shot(page, 'p01-search-mango');
  // Back to an empty box: the search is in the shopper's history and among the hot words.
  await page.goto('/shop/mall');
  await expect(page.getByTestId('search-history')).toContainText('芒果');
  await expect(page.getByTestId('search-hot')).toContainText('芒果');
  await shot(page, 'p02-search-history-hot');
  await page.getByTestId('search-history-clear').click();
  await expect(page.getByTestId('search-history')).toHaveCount(0);
  // A typo still finds something close.
  await box.fill('草每');
  await box.press('Enter');
  await expect(page.getByText('丹东99草莓', { exact: false }).first()).toBeVisible();
  await shot(page, 'p03-search-typo');
  await context.close();
});

test('a province / city / district picked in the shop is on the order in the console', async ({ browser }) => {
  const { context, page } = await phonePage(browser);
  await shopSignIn(page, SHOPPER);
  await page.goto('/shop/me');
  const detail = `科技园南路 ${Date.now() % 100_000} 号`;
  await page.getByTestId('address-name').locator('input').fill('小李');
  await page.getByTestId('address-phone').locator('input').fill('13900000002');
  await page.getByTestId('address-region').click();
  const picker = page.locator('.adm-cascader');
  for (const name of ['广东省', '深圳市', '南山区']) await picker.getByText(name, { exact: true }).click();
  await shot(page, 'p04-region-picker');
  await picker.locator('.adm-cascader-header-button').last().click();
  await expect(page.getByTestId('address-region')).toHaveText('广东省 深圳市 南山区');
  await page.getByTestId('address-detail').locator('input').fill(detail);
  await page.getByTestId('address-save').click();

  // An order to that address (through the API, the checkout is walked elsewhere), seen by the shopper...
  const token = await apiLogin(new URL(page.url()).origin, SHOPPER);
  const addresses = await json<any[]>(page, 'GET', '/api/me/addresses', token);
  const address = addresses.find((a) => a.detail === detail);
  expect(address).toMatchObject({ district: '南山区', districtCode: '440305' });
  const found = await json(page, 'GET', `/api/search?q=${encodeURIComponent('草莓')}`);
  const product = await json(page, 'GET', `/api/products/${found.products.items[0].id}`);
  const placed = await json(page, 'POST', '/api/orders', token, {
    idempotencyKey: `polish-address-${Date.now()}`,
    items: [{ skuId: product.skus[0].id, quantity: 1 }],
    addressId: address.id,
  });
  const order = placed.orders[0];
  await page.goto(`/shop/orders/${order.orderId}`);
  await expect(page.getByTestId('order-address')).toContainText('广东省 深圳市 南山区');
  await expect(page.getByTestId('order-shipping')).toBeVisible();
  await shot(page, 'p05-shop-order-address');
  await context.close();

  // ...and by the merchant in the console's order detail.
  const desk = await browser.newContext(desktop);
  const admin = await desk.newPage();
  await consoleLogin(admin, OWNER);
  await admin.goto('/admin/orders');
  const orderNo = (await json(admin, 'GET', `/api/orders/${order.orderId}`, token)).orderNo as string;
  await admin.getByText(orderNo).click();
  await expect(admin.getByTestId('order-ship-to')).toContainText('广东省深圳市南山区');
  await shot(admin, 'p06-console-order-district');
  await desk.close();
});

test('the merchant alone in the go-live console is 0 online; one shopper makes it 1, not 2', async ({ browser }) => {
  const desk = await browser.newContext(desktop);
  const admin = await desk.newPage();
  await consoleLogin(admin, OWNER);
  const rooms = await json<any[]>(admin, 'GET', '/api/rooms?kind=live');
  const upcoming = await json<any[]>(admin, 'GET', '/api/rooms?kind=upcoming');
  const room = [...rooms, ...upcoming].find((r) => r.title === DEMO_ROOM);
  expect(room, 'the demo room').toBeTruthy();
  await admin.goto(`/admin/live/${room.id}`);
  const online = admin.getByTestId('stat-online').locator('.ant-statistic-content-value');
  await expect(online).toHaveText('0');
  // Still 0 after a few presence ticks: the console's own socket and preview are not a viewer.
  await admin.waitForTimeout(5_000);
  await expect(online).toHaveText('0');
  await shot(admin, 'p07-console-alone-0');

  const { context, page } = await phonePage(browser);
  await page.goto(`/shop/room/${room.id}`);
  await expect(online).toHaveText('1', { timeout: 20_000 });
  await expect(page.getByTestId('online')).toContainText('1');
  await expect(page.getByTestId('online')).not.toContainText('2');
  await shot(page, 'p08-shopper-sees-1');
  await shot(admin, 'p09-console-one-shopper');
  await context.close();
  await expect(online).toHaveText('0', { timeout: 20_000 });
  await desk.close();
});
