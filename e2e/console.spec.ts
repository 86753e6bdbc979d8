// The merchant's day in the console (desktop) with a shopper beside it (phone): create a product
// with a 2×2 SKU matrix, schedule a room with it, push with ffmpeg so it goes live and the preview
// plays, pin the product and see the pin in the shopper's room, sell it, and watch the order land
// on the live chart and in Orders. Then another shop's staff sees none of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { devices, expect, test, type Page } from '@playwright/test';
import { apiLogin, buyPinnedInRoom, consoleLogin, expectPlaying, shot } from './helpers.ts';

test.use({ viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });

let pusher: ChildProcess | undefined;
test.afterAll(() => {
  pusher?.kill('SIGKILL');
});

async function consoleSignIn(page: Page, phone: string) {
  await consoleLogin(page, phone);
  // The demo runs the payment sandbox: the console says its orders are test money.
  await expect(page.getByTestId('test-money-banner')).toBeVisible();
}

test('a merchant builds a product and a show, goes live, pins, sells, and sees it live', async ({
  page,
  browser,
  baseURL,
}) => {
  // A whole merchant day, stock editing included: 2.2 min on a quiet two-core machine, and CI runs it
  // with two servers, ffmpeg and two browsers on the same cores.
  test.setTimeout(420_000);
  const title = `撞色卫衣 ${Date.now() % 100000}`;
  await consoleSignIn(page, '13800000001');
  await shot(page, 'c01-dashboard');

  // Product with a 2×2 SKU matrix.
  await page.goto('/admin/products');
  await page.getByTestId('new-product').click();
  await page.getByTestId('product-title').fill(title);
  for (const [i, name, values] of [
    [0, '颜色', ['红色', '蓝色']],
    [1, '尺码', ['S', 'M']],
  ] as const) {
    await page.getByTestId('add-spec').click();
    await page.getByTestId(`spec-name-${i}`).fill(name);
    const select = page.getByTestId(`spec-values-${i}`);
    await select.click();
    await page.keyboard.type(`${values.join(',')},`); // comma is a tag separator
    await expect(select.locator('.ant-select-selection-item')).toHaveCount(values.length);
    await page.getByTestId('specs-title').click(); // close the dropdown (Escape would close the drawer)
  }
  const matrix = page.getByTestId('sku-matrix');
  await expect(matrix.locator('tbody tr')).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    await page.getByTestId(`sku-price-${i}`).fill(String(99 + i));
    await page.getByTestId(`sku-stock-${i}`).fill('20');
  }
  await shot(page, 'c02-sku-matrix');
  await page.getByTestId('save-product').click();
  await expect(page.getByText(title)).toBeVisible();

  // An unpaid order holds 2 units of the first SKU. Saving the product unchanged leaves on-hand
  // stock alone (the editor used to write "available" back as on-hand); stock changes go through
  // 调整库存, and a SKU without a price is refused before it can sell at ¥0.00.
  const holder = await apiLogin(baseURL!, '13900000003');
  const auth = { authorization: `Bearer ${holder}` };
  const listed = (await (await page.request.get(`/api/products?q=${encodeURIComponent(title)}`)).json()) as {
    items: Array<{ id: number }>;
  };
  const created = (await (await page.request.get(`/api/products/${listed.items[0]!.id}`)).json()) as {
    skus: Array<{ id: number }>;
  };
  const addresses = (await (await page.request.get('/api/me/addresses', { headers: auth })).json()) as Array<{
    id: number;
  }>;
  const held = await page.request.post('/api/orders', {
    headers: auth,
    data: {
      idempotencyKey: `console-hold-${Date.now()}`,
      items: [{ skuId: created.skus[0]!.id, quantity: 2 }],
      addressId: addresses[0]!.id,
    },
  });
  expect(held.status()).toBe(201);
  await page.getByText(title).click();
  await expect(page.getByTestId('sku-onhand-0')).toHaveText('20');
  await expect(page.getByTestId('sku-reserved-0')).toContainText('2');
  // The first save's 已保存 may still be on screen: this save must show its own.
  await expect(page.getByText('已保存')).toHaveCount(0);
  await page.getByTestId('save-product').click();
  await expect(page.getByText('已保存')).toBeVisible();
  await page.getByText(title).click();
  await expect(page.getByTestId('sku-onhand-0')).toHaveText('20');
  await expect(page.getByTestId('sku-reserved-0')).toContainText('2');
  await page.getByTestId('sku-adjust-0').click();
  await expect(page.getByTestId('adjust-onhand')).toHaveText('20');
  await page.getByTestId('adjust-delta').fill('5');
  await page.getByTestId('adjust-apply').click();
  await expect(page.getByTestId('sku-onhand-0')).toHaveText('25');
  await page.getByTestId('sku-price-1').fill('0');
  await page.getByTestId('save-product').click();
  await expect(page.getByTestId('sku-price-error-1')).toBeVisible();
  await shot(page, 'c02c-price-required');
  await page.locator('.ant-drawer-close').click();

  // A room with it in the bag.
  await page.goto('/admin/live');
  await page.getByTestId('new-room').click();
  await page.getByTestId('room-title').fill(`${title} 首发`);
  await page.getByTestId('room-products').click();
  await page.locator('.ant-select-dropdown').getByText(title).click();
  await page.locator('.ant-modal-title').click(); // close the dropdown (Escape would close the modal)
  await page.getByTestId('create-room').click();
  const link = page.getByTestId('room-link').filter({ hasText: `${title} 首发` });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/admin\/live\/\d+/);
  const roomId = Number(/live\/(\d+)/.exec(page.url())![1]);
  await expect(page.getByTestId('console-status')).toHaveAttribute('data-status', 'scheduled');
  await expect(page.getByTestId('console-status')).toHaveText('预告'); // the status in the reader's language

  // Push with ffmpeg using the key from the OBS guide.
  await page.getByTestId('open-push').click();
  const pushUrl = (await page.getByTestId('push-url').textContent())!.trim();
  await shot(page, 'c03-obs-guide');
  await page.locator('.ant-modal-close').click();
  pusher = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=480x854:rate=25:duration=180',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=180',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '25',
      '-c:a',
      'aac',
      '-f',
      'flv',
      pushUrl,
    ],
    { stdio: 'ignore' },
  );
  await expect(page.getByTestId('console-status')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await expectPlaying(page, 'room-video');
  await shot(page, 'c04-console-live');

  // A shopper on a phone opens the room; the console pins the product; the shopper sees it.
  const phone = await browser.newContext({ ...devices['Pixel 7'] });
  const shopper = await phone.newPage();
  await shopper.goto(`/shop/room/${roomId}`);
  await expectPlaying(shopper);
  const product = (await (await page.request.get(`/api/rooms/${roomId}`)).json()) as {
    products: Array<{ id: number; title: string }>;
  };
  await page.getByTestId(`pin-${product.products[0]!.id}`).click();
  const bagStock = page.getByTestId(`bag-stock-${product.products[0]!.id}`);
  const stockBefore = Number(await bagStock.textContent());
  await expect(shopper.getByTestId('pinned-product')).toContainText(title);
  await shot(shopper, 'c05-shopper-sees-pin');

  // The shopper buys; the order shows on the console's live numbers and in Orders.
  await buyPinnedInRoom(shopper, '13900000002', 'c06');
  // Paid orders come from the analytics push now, as the funnel below does: the same wait.
  await expect(page.getByTestId('stat-paidOrders')).toContainText('1', { timeout: 40_000 });
  // The product bag's stock follows the sale without a reload.
  await expect(bagStock).toHaveText(String(stockBefore - 1), { timeout: 20_000 });
  await shot(page, 'c07-console-order-on-chart');
  // The shopper's beacons (a guest until signing in to buy, then stitched) reach the console's
  // funnel through the rollup and the pushed live numbers: one viewer who entered and paid.
  await expect(page.getByTestId('funnel-paid')).toHaveText('1', { timeout: 40_000 });
  await expect(page.getByTestId('funnel-enter')).toHaveText('1', { timeout: 20_000 });
  await page.getByTestId('room-analytics').scrollIntoViewIfNeeded();
  await shot(page, 'c07b-console-funnel');
  // The shopper says hello; the console's chat panel shows it. Then the console drops coupons and
  // the shopper claims one in the room.
  await shopper.getByText(/继续看直播|Back to the show/).click(); // close the paid sheet, back to the show
  await shopper.getByTestId('chat-input').locator('input').fill('已下单，期待发货！');
  await shopper.getByTestId('chat-send').click();
  await expect(page.getByTestId('console-chat')).toContainText('已下单，期待发货！');
  await page.getByTestId('drop-coupon').click();
  await page.locator('.ant-select-dropdown').getByText('鲜果满99减15').click();
  await page.getByTestId('drop-submit').click();
  await expect(shopper.getByTestId('coupon-drop')).toContainText('鲜果满99减15');
  await shopper.getByTestId('claim-drop').click();
  await expect(shopper.getByTestId('claim-drop')).toHaveText(/已领取|Claimed/);
  await shot(shopper, 'c07b-coupon-claimed');
  // The anchor ends the show from the console; the shopper's page follows.
  await page.getByTestId('end-show').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /OK|确/ }).click();
  await expect(page.getByTestId('console-status')).toHaveAttribute('data-status', 'ended', { timeout: 20_000 });
  await expect(shopper.getByTestId('online')).toContainText(/回放|Replay/, { timeout: 20_000 });
  await page.goto('/admin/orders');
  await expect(page.getByTestId('orders-table')).toContainText(title);
  await expect(page.getByTestId('orders-table')).toContainText('已付款');
  await shot(page, 'c08-orders');
  // The Data page reports the show from the same rollups, by room.
  await page.goto('/admin/data');
  await page.getByTestId('report-by').click();
  await page.locator('.ant-select-dropdown').getByText('按直播间', { exact: true }).click();
  await expect(page.getByTestId('report-table')).toContainText(`${title} 首发`);
  await shot(page, 'c08b-data-by-room');
  await phone.close();

  // Staff of another shop: none of this exists for them.
  await page.getByRole('button', { name: /退出/ }).click();
  await consoleSignIn(page, '13800000012');
  await expect(page.getByTestId('merchant-switch')).not.toContainText('鲜果');
  await page.goto('/admin/orders');
  await expect(page.getByTestId('orders-table')).not.toContainText(title);
  await page.goto('/admin/live');
  await expect(page.getByText(`${title} 首发`)).toHaveCount(0);
  await page.goto('/admin/products');
  await expect(page.locator('.ant-table')).not.toContainText(title);
  await page.goto('/admin/data');
  await page.getByTestId('report-by').click();
  await page.locator('.ant-select-dropdown').getByText('按直播间', { exact: true }).click();
  await expect(page.getByTestId('report-table')).not.toContainText(title);
  await shot(page, 'c09-other-shop-sees-nothing');
});
