// Every way a shopper pays, in the real shop on a phone browser: plain, coupons (the automatic best
// stack and a picked one), points, flash sale, group-buy (opened here, joined from a second
// shopper's browser), bargain (friends cut through the API) and buy-in-room. For each, the total
// shown in the checkout sheet is the amount on the sandbox cashier and the paid order's total.
// The deals and coupons are made through the merchant and operator APIs first, not found by luck.
import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import { apiLogin, shot, videoTime, jsonApi } from './helpers.ts';

const PASSWORD = 'demo1234';
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
const tag = Date.now() % 100_000;

let base = '';
const api = jsonApi(() => base);

interface Shopper {
  phone: string;
  token: string;
  userId: number;
}
let phones = 0;
/** A new shopper (registered through the API, with an address), or a demo one. */
async function shopper(phone?: string): Promise<Shopper> {
  const p = phone ?? `1377${String(tag).padStart(5, '0')}${String(++phones).padStart(2, '0')}`;
  const signedIn = phone
    ? await api(null, 'POST', '/api/auth/login', { phone: p, password: PASSWORD })
    : await api(null, 'POST', '/api/auth/register', { phone: p, password: PASSWORD });
  const s = { phone: p, token: signedIn.tokens.accessToken as string, userId: signedIn.user.id as number };
  const addresses = await api<unknown[]>(s.token, 'GET', '/api/me/addresses');
  if (addresses.length === 0)
    await api(s.token, 'POST', '/api/me/addresses', {
      name: '测试买家',
      phone: '13912345678',
      province: '广东省',
      city: '深圳市',
      district: '南山区',
      detail: '科技园1号',
      isDefault: true,
    });
  return s;
}

async function signIn(page: Page, s: Shopper) {
  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(s.phone);
  await page.getByTestId('login-password').locator('input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
}

async function newPhone(browser: Browser) {
  const context = await browser.newContext({ ...devices['Pixel 7'] });
  return { context, page: await context.newPage() };
}

/** In an open checkout sheet: total shown = cashier amount = paid order total. Returns the total. */
async function payAndCheck(page: Page, s: Shopper, prefix: string): Promise<string> {
  const ordersBefore = (await api<{ total: number }>(s.token, 'GET', '/api/orders')).total;
  await expect(page.getByTestId('quote')).toHaveAttribute('data-fresh', 'true');
  const shown = (await page.getByTestId('quote-total').textContent())!.trim();
  await expect(page.getByTestId('place-order')).toContainText(shown);
  await shot(page, `${prefix}-sheet`);
  await page.getByTestId('place-order').click();
  await expect(page.getByTestId('payment-amount')).toHaveText(shown);
  const cashier = page.frameLocator('[data-testid=cashier]');
  await expect(cashier.getByText('SANDBOX').first()).toBeVisible();
  await expect(cashier.locator('.amount')).toHaveText(shown);
  await shot(page, `${prefix}-cashier`);
  await cashier.getByTestId('sandbox-pay').click();
  await expect(page.getByTestId('paid')).toBeVisible();
  const orders = await api<{ total: number; items: Array<{ id: number; status: string; totalFen: number }> }>(
    s.token,
    'GET',
    '/api/orders',
  );
  expect(orders.total).toBe(ordersBefore + 1);
  const latest = orders.items.reduce((a, b) => (b.id > a.id ? b : a));
  expect(latest.status).toBe('paid');
  expect(yuan(latest.totalFen)).toBe(shown);
  totals.push(`${prefix}: sheet ${shown} = cashier ${shown} = order #${latest.id} ${yuan(latest.totalFen)} (paid)`);
  return shown;
}
const totals: string[] = [];

/** From a product page: pick the first SKU and open the checkout. */
async function buyProduct(page: Page, productId: number) {
  await page.goto(`/shop/product/${productId}`);
  await page.getByTestId('product-buy').click();
  const picker = page.getByTestId('sku-picker');
  await expect(picker).toBeVisible();
  for (const group of await picker.locator('.spec .adm-selector').all())
    await group.locator('.adm-selector-item').first().click();
  await page.getByTestId('buy-now').click();
}

test.describe.configure({ mode: 'serial' });

let owner = '';
let admin = '';
let merchantId = 0;
const product = async (title: string, priceFen: number) => {
  const p = await api(owner, 'POST', `/api/merchants/${merchantId}/products`, {
    title: `${title} ${tag}`,
    status: 'on_shelf',
    specs: [],
    skus: [{ specValues: [], priceFen, stock: 500, weightGrams: 500 }],
  });
  return { productId: p.id as number, skuId: p.skus[0].id as number, title: `${title} ${tag}` };
};
const claim = (s: Shopper, templateId: number) => api(s.token, 'POST', `/api/coupons/${templateId}/claim`);

test.beforeAll(async ({ baseURL }) => {
  base = baseURL!;
  owner = await apiLogin(base, '13800000001');
  admin = await apiLogin(base, '13800000000');
  merchantId = (await api(owner, 'GET', '/api/me')).merchants[0].id;
});
test.afterAll(() => {
  console.log(`\nCheckout paths, totals asserted:\n  ${totals.join('\n  ')}`);
});

test('plain: no coupon, no points (the switch says why), pays what the sheet shows', async ({ page }) => {
  const s = await shopper();
  const p = await product('普通芒果', 3_990);
  // A new shopper may hold the platform's new-user coupon: "不使用优惠券" keeps this path plain.
  await signIn(page, s);
  await buyProduct(page, p.productId);
  await expect(page.getByTestId('use-points')).toHaveClass(/adm-switch-disabled/);
  await expect(page.getByTestId('points-hint')).toHaveText('暂无积分');
  await page.getByTestId('coupon-row').click();
  await page.getByTestId('coupon-none').click();
  await expect(page.getByTestId('coupon-summary')).not.toContainText('-¥');
  await expect(page.getByTestId('quote-discount')).toHaveText('-¥0.00');
  await payAndCheck(page, s, 'plain');
});

test('coupons: the automatic best stack, and a coupon picked by hand', async ({ page, browser }) => {
  const p = await product('礼盒苹果', 10_440); // 104.40元
  const shop8折 = await api(owner, 'POST', `/api/merchants/${merchantId}/coupons`, {
    title: `店铺8折 ${tag}`,
    kind: 'percent',
    percentOffBp: 2000,
    capFen: 5000,
    validDays: 7,
    totalQuantity: 100,
  });
  const shop满50减8 = await api(owner, 'POST', `/api/merchants/${merchantId}/coupons`, {
    title: `店铺满50减8 ${tag}`,
    kind: 'threshold',
    amountFen: 800,
    thresholdFen: 5000,
    validDays: 7,
    totalQuantity: 100,
  });
  const platform = await api(admin, 'POST', '/api/platform/coupons', {
    title: `平台满100减40 ${tag}`,
    kind: 'threshold',
    amountFen: 4000,
    thresholdFen: 10_000,
    validDays: 7,
    totalQuantity: 100,
  });

  // Auto: the shop 8折 alone would take 20.88 and drop the basket under 100元; 满100减40 takes 40.
  const auto = await shopper();
  for (const t of [shop8折, shop满50减8, platform]) await claim(auto, t.id);
  await signIn(page, auto);
  await buyProduct(page, p.productId);
  await expect(page.getByTestId('coupon-summary')).toHaveText('-¥40.00');
  await expect(page.getByTestId('coupon-row')).toContainText('已为你选择最优惠的券组合');
  await payAndCheck(page, auto, 'coupon-auto');
  const usedAuto = await api<Array<{ templateId: number }>>(auto.token, 'GET', '/api/me/coupons?status=used');
  expect(usedAuto.map((c) => c.templateId)).toEqual([platform.id]);

  // Picked: the shopper chooses 满50减8; the platform coupon then misses its threshold and says why.
  const picker = await shopper();
  for (const t of [shop8折, shop满50减8, platform]) await claim(picker, t.id);
  const { context, page: phone } = await newPhone(browser);
  await signIn(phone, picker);
  await buyProduct(phone, p.productId);
  await phone.getByTestId('coupon-row').click();
  const mine = await api<Array<{ id: number; templateId: number }>>(picker.token, 'GET', '/api/me/coupons');
  const idOf = (templateId: number) => mine.find((c) => c.templateId === templateId)!.id;
  await phone.locator(`[data-coupon-id="${idOf(shop满50减8.id)}"]`).click();
  await expect(phone.getByTestId('coupon-summary')).toHaveText('-¥8.00');
  await expect(phone.locator(`[data-coupon-id="${idOf(platform.id)}"]`)).toContainText(
    '与所选的券一起用时不满足使用条件',
  );
  await payAndCheck(phone, picker, 'coupon-picked');
  const usedPicked = await api<Array<{ templateId: number }>>(picker.token, 'GET', '/api/me/coupons?status=used');
  expect(usedPicked.map((c) => c.templateId)).toEqual([shop满50减8.id]);
  await context.close();
});

let pointsShopper: Shopper;
test('points: the switch takes points off, re-quotes, and the order spends exactly those', async ({ page }) => {
  pointsShopper = await shopper();
  await api(admin, 'POST', `/api/platform/users/${pointsShopper.userId}/points`, { delta: 5000, ref: `e2e-${tag}` });
  const p = await product('积分香蕉', 3_990);
  await signIn(page, pointsShopper);
  await buyProduct(page, p.productId);
  await expect(page.getByTestId('points-hint')).toContainText('共5000积分');
  const before = (await page.getByTestId('quote-total').textContent())!;
  await page.getByTestId('use-points').click();
  await expect(page.getByTestId('points-hint')).toContainText('已用');
  await expect(page.getByTestId('quote-total')).not.toHaveText(before);
  await payAndCheck(page, pointsShopper, 'points');
  const orders = await api(pointsShopper.token, 'GET', '/api/orders'); // newest first
  const order = await api(pointsShopper.token, 'GET', `/api/orders/${orders.items[0].id}`);
  expect(order.pointsUsed).toBeGreaterThan(0);
  expect((await api(pointsShopper.token, 'GET', '/api/me/points')).balance).toBe(5000 - order.pointsUsed);
});

test('flash sale: the sheet shows the flash price and the cashier charges it', async ({ page }) => {
  const p = await product('秒杀荔枝', 3_990);
  await api(owner, 'POST', `/api/merchants/${merchantId}/flash-sales`, {
    title: `秒杀 ${tag}`,
    startsAt: soon(-1000),
    endsAt: soon(3_600_000),
    items: [{ skuId: p.skuId, flashPriceFen: 2_990, stock: 10, perUserLimit: 1 }],
  });
  const s = await shopper();
  await signIn(page, s);
  await page.goto('/shop/flash');
  await page.locator('.bag-item', { hasText: p.title }).getByRole('button', { name: '马上抢' }).click();
  await expect(page.getByTestId('line-unit').first()).toHaveText('¥29.90');
  await payAndCheck(page, s, 'flash');
});

test('group-buy: one shopper opens a group, another joins from their own browser, both pay the group price', async ({
  page,
  browser,
}) => {
  const p = await product('拼团水杯', 3_990);
  const deal = await api(owner, 'POST', `/api/merchants/${merchantId}/group-buys`, {
    skuId: p.skuId,
    title: `两人团 ${tag}`,
    groupPriceFen: 2_990,
    groupSize: 2,
    expireMinutes: 60,
    startsAt: soon(-1000),
    endsAt: soon(86_400_000),
  });
  const leader = await shopper();
  await signIn(page, leader);
  await page.goto('/shop/groups');
  await page.locator('.adm-card', { hasText: deal.title }).getByRole('button', { name: '开团' }).click();
  await expect(page.getByTestId('line-unit').first()).toHaveText('¥29.90');
  await payAndCheck(page, leader, 'group-open');
  const groupId = (await api(null, 'GET', `/api/group-buys/${deal.id}`)).openGroups[0].id as number;

  const joiner = await shopper();
  const { context, page: phone } = await newPhone(browser);
  await signIn(phone, joiner);
  await phone.goto(`/shop/group/${groupId}`);
  await phone.getByRole('button', { name: '参团' }).click();
  await expect(phone.getByTestId('line-unit').first()).toHaveText('¥29.90');
  await payAndCheck(phone, joiner, 'group-join');
  await expect.poll(async () => (await api(null, 'GET', `/api/group-buys/groups/${groupId}`)).status).toBe('succeeded');
  await context.close();
});

test('bargain: friends cut the price through the API, the shopper buys at the price reached', async ({ page }) => {
  const p = await product('砍价台灯', 9_900);
  const campaign = await api(owner, 'POST', `/api/merchants/${merchantId}/bargains`, {
    skuId: p.skuId,
    title: `砍价 ${tag}`,
    floorPriceFen: 1_990,
    helpsNeeded: 3,
    expireHours: 24,
    startsAt: soon(-1000),
    endsAt: soon(86_400_000),
  });
  const s = await shopper();
  await signIn(page, s);
  await page.goto('/shop/bargains');
  await page.locator('.adm-list-item', { hasText: campaign.title }).getByRole('button', { name: '发起砍价' }).click();
  await expect(page).toHaveURL(/\/shop\/bargain\/\d+/);
  const bargainId = Number(/bargain\/(\d+)/.exec(page.url())![1]);
  for (const friend of ['13900000002', '13900000003', undefined]) {
    const f = await shopper(friend);
    await api(f.token, 'POST', `/api/bargains/${bargainId}/help`);
  }
  const reached = (await api(null, 'GET', `/api/bargains/${bargainId}`)).currentPriceFen as number;
  expect(reached).toBe(1_990);
  await page.reload();
  await page.getByRole('button', { name: /立即购买/ }).click();
  await expect(page.getByTestId('line-unit').first()).toHaveText(yuan(reached));
  await payAndCheck(page, s, 'bargain');
});

test('buy in the live room, with points switched on, without leaving the show', async ({ page }) => {
  // The demo room, live from the demo stream (it may take a moment to go live after start-up).
  let roomId: number | undefined;
  await expect
    .poll(
      async () => {
        roomId = (await api<Array<{ id: number; title: string }>>(null, 'GET', '/api/rooms')).find((r) =>
          r.title.includes('海南芒果'),
        )?.id;
        return roomId;
      },
      { timeout: 60_000 },
    )
    .toBeDefined();
  const room = await api(null, 'GET', `/api/rooms/${roomId}`);
  await api(owner, 'PUT', `/api/merchants/${room.merchantId}/rooms/${room.id}/pin`, { productId: room.products[0].id });
  await signIn(page, pointsShopper);
  await page.goto(`/shop/room/${room.id}`);
  await expect(page.getByTestId('pinned-product')).toBeVisible();
  await page.getByTestId('buy-pinned').click();
  const picker = page.getByTestId('sku-picker');
  await expect(picker).toBeVisible();
  for (const group of await picker.locator('.spec .adm-selector').all())
    await group.locator('.adm-selector-item').first().click();
  await page.getByTestId('buy-now').click();
  await expect(page.getByTestId('quote')).toHaveAttribute('data-fresh', 'true');
  await page.getByTestId('use-points').click();
  await expect(page.getByTestId('points-hint')).toContainText('已用');
  await payAndCheck(page, pointsShopper, 'room');
  // Still in the room, and the show never stopped.
  await expect(page).toHaveURL(new RegExp(`/shop/room/${room.id}`));
  const t = await videoTime(page);
  await expect.poll(() => videoTime(page)).toBeGreaterThan(t + 0.5);
  const latest = (await api(pointsShopper.token, 'GET', '/api/orders')).items[0];
  expect(latest.roomId).toBe(room.id);
});
