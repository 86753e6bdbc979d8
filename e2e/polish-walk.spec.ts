// Issue 19's remaining walk, as a new shopper on a phone and the merchant at a desk: the home page shows
// the demo deals, group-buy and bargain progress read as labelled sentences, the tab bar counts the cart
// and the orders waiting on the shopper, cart and order pages show real pictures (drawn shapes, never an
// emoji that becomes a box), the address and the shipping status; in the console, today's buyer is not
// 沉睡 under thresholds in days, and the dashboard's "today" is one day for every figure.
import { devices, expect, test, type Page } from '@playwright/test';
import { apiLogin, consoleLogin, payInSandbox, shot, jsonApi } from './helpers.ts';

const OWNER = '13800000001';
const PASSWORD = 'demo1234';
const tag = String(Date.now() % 10_000).padStart(4, '0');
const SHOPPER = `1370003${tag}`;
const NICKNAME = `走查${tag}`;
const EMOJI = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]/u;
const desktop = { viewport: { width: 1440, height: 900 } };

let base = '';
let shopperToken = '';
const api = jsonApi(() => base);

async function phone(browser: import('@playwright/test').Browser) {
  const context = await browser.newContext(devices['Pixel 7']);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(SHOPPER);
  await page.getByTestId('login-password').locator('input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
  return { context, page, errors };
}

/** The count on one tab of the tab bar ('' when it has none). */
const tabBadge = (page: Page, title: RegExp) =>
  page.locator('.adm-tab-bar-item').filter({ hasText: title }).locator('.adm-badge-content');

/** Every picture in `scope` has loaded, and none of them is (or draws) an emoji. */
async function expectPictures(page: Page, scope: string, atLeast: number) {
  const imgs = page.locator(`${scope} img.thumb`);
  await expect.poll(() => imgs.count()).toBeGreaterThanOrEqual(atLeast);
  for (const img of await imgs.all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
    const body = await (await page.request.get((await img.getAttribute('src'))!)).text();
    expect(body.match(EMOJI)?.[0], 'emoji in a product picture').toBeUndefined();
  }
}

test.beforeAll(async ({ baseURL }) => {
  base = baseURL!;
  await api(null, 'POST', '/api/auth/register', { phone: SHOPPER, password: PASSWORD, nickname: NICKNAME });
  shopperToken = await apiLogin(base, SHOPPER, PASSWORD);
  await api(shopperToken, 'POST', '/api/me/addresses', {
    name: NICKNAME,
    phone: SHOPPER,
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园 1 号',
  });
});

test('home shows the demo deals; group-buy and bargain progress are labelled', async ({ browser }) => {
  const { context, page, errors } = await phone(browser);
  await page.goto('/shop/');
  for (const kind of ['flash', 'groups', 'bargains']) await expect(page.getByTestId(`deal-tile-${kind}`)).toBeVisible();
  await shot(page, 'w01-home-deals');

  await page.getByTestId('deal-tile-groups').click();
  const deal = page.locator('.adm-card').filter({ hasText: '重磅T恤 3人拼团' });
  await deal.getByRole('button', { name: '开团' }).click();
  await payInSandbox(page, 'w02-group');
  await page.goto('/shop/groups');
  await page.locator('.adm-card').filter({ hasText: '重磅T恤 3人拼团' }).getByText(NICKNAME).click();
  await expect(page.getByTestId('group-progress')).toContainText(/已拼 1\/3 人，还差 2 人/);
  await shot(page, 'w03-group-progress');

  await page.goto('/shop/bargains');
  await page
    .locator('.adm-list-item')
    .filter({ hasText: '丹东草莓' })
    .getByRole('button', { name: '发起砍价' })
    .click();
  await expect(page.getByTestId('bargain-progress')).toHaveText(/已砍 ¥\d+\.\d{2}，还差 ¥\d+\.\d{2}，\d+\/\d+ 人/);
  await shot(page, 'w04-bargain-progress');
  expect(errors).toEqual([]);
  await context.close();
});

test('cart and orders show pictures, the address and the shipping status; tabs count them', async ({ browser }) => {
  const { context, page, errors } = await phone(browser);
  const found = await api(null, 'GET', `/api/search?q=${encodeURIComponent('草莓')}`);
  await page.goto(`/shop/product/${found.products.items[0].id}`);
  await page.getByTestId('product-buy').click();
  const picker = page.getByTestId('sku-picker');
  for (const group of await picker.locator('.spec .adm-selector').all())
    await group.locator('.adm-selector-item').first().click();
  await picker.getByRole('button', { name: '加入购物车' }).click();
  await page.goto('/shop/');
  await expect(tabBadge(page, /购物车/)).toHaveText('1');
  await shot(page, 'w05-tab-cart-count');

  await page
    .locator('.adm-tab-bar-item')
    .filter({ hasText: /购物车/ })
    .click();
  await expectPictures(page, '.page', 1);
  await shot(page, 'w06-cart-pictures');
  await page.getByRole('button', { name: /结算/ }).click();
  await payInSandbox(page, 'w07-cart');
  await page.goto('/shop/');
  await expect(tabBadge(page, /购物车/), 'what was ordered left the cart').toHaveCount(0);

  await page.goto('/shop/orders');
  await expectPictures(page, '.page', 1);
  const row = page.getByTestId('order-row').first();
  await expect(row.getByTestId('order-status')).toHaveText('已付款');
  await row.click();
  await expect(page.getByTestId('order-address')).toContainText('广东省 深圳市 南山区 科技园 1 号');
  await expect(page.getByTestId('order-shipping')).toContainText('待发货');
  await expectPictures(page, '.page', 1);
  await shot(page, 'w08-order-awaiting-shipment');

  // The shop ships; the shopper's order shows the parcel and the 订单 tab counts it as waiting on them.
  const orderId = Number(page.url().split('/').pop());
  const owner = await apiLogin(base, OWNER);
  const order = await api(shopperToken, 'GET', `/api/orders/${orderId}`);
  await api(owner, 'POST', `/api/merchants/${order.merchantId}/orders/${orderId}/ship`, {
    carrier: '顺丰速运',
    trackingNo: `SF${tag}0001`,
  });
  await page.reload();
  await expect(page.getByTestId('order-shipping')).toContainText('顺丰速运');
  await expect(page.getByTestId('order-shipping')).toContainText(`SF${tag}0001`);
  await page.goto('/shop/');
  await expect(tabBadge(page, /订单/)).toHaveText('1');
  await shot(page, 'w09-tab-orders-count');
  expect(errors).toEqual([]);
  await context.close();
});

test('console: today’s buyer is not 沉睡, and the dashboard counts one day', async ({ browser }) => {
  const desk = await browser.newContext(desktop);
  const admin = await desk.newPage();
  const errors: string[] = [];
  admin.on('console', (m) => m.type() === 'error' && errors.push(`${admin.url()}: ${m.text()}`));
  await consoleLogin(admin, OWNER);
  await admin.goto('/admin/members');
  const find = admin.getByLabel('昵称或完整手机号');
  await find.fill(SHOPPER);
  await find.press('Enter');
  await expect(admin.locator('.ant-table-row')).toHaveCount(1);
  const member = admin.locator('.ant-table-row').filter({ hasText: NICKNAME });
  await expect(member).toContainText('0 天');
  await expect(member.locator('.ant-tag')).not.toHaveText('沉睡');
  await expect(member.locator('.ant-tag')).toHaveText('新客');
  await expect(admin.getByTestId('rfm-lapsed-days')).toHaveValue(/^\d+$/);
  await shot(admin, 'w10-console-rfm');

  // Every figure under "today" comes from the same calendar day in the shop's time zone.
  const owner = await apiLogin(base, OWNER);
  const merchantId = (await api(owner, 'GET', '/api/me')).merchants[0].id as number;
  const summary = await api(owner, 'GET', `/api/merchants/${merchantId}/orders/summary?days=7`);
  const from = encodeURIComponent(new Date(summary.todayStart).toISOString());
  const report = await api(
    owner,
    'GET',
    `/api/merchants/${merchantId}/analytics/report?by=time&grain=day&from=${from}`,
  );
  expect(report.rows.length, 'the visitors report covers today only').toBe(1);
  expect(new Date(report.rows[0].key).getTime()).toBe(new Date(summary.todayStart).getTime());
  const today = summary.series.find((s: any) => s.day === summary.today);
  expect(today.orders, 'the shopper paid here today').toBeGreaterThanOrEqual(1);
  await admin.goto('/admin/dashboard');
  const value = (id: string) => admin.getByTestId(id).locator('.ant-statistic-content');
  await expect(value('today-gmv')).toHaveText(`¥${(today.gmvFen / 100).toFixed(2)}`);
  await expect(value('today-orders')).toHaveText(String(today.orders));
  // Other tests' shoppers visit the same shop meanwhile: the figure is the report's as of the same moment.
  const visitorsNow = async () =>
    String(
      (await api(owner, 'GET', `/api/merchants/${merchantId}/analytics/report?by=time&grain=day&from=${from}`)).rows[0]
        .visitors,
    );
  await expect
    .poll(async () => (await value('today-visitors').textContent()) === (await visitorsNow()), { timeout: 20_000 })
    .toBe(true);
  await shot(admin, 'w11-console-dashboard-today');
  expect(errors).toEqual([]);
  await desk.close();
});
