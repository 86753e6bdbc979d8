// The shopper's whole path in a phone browser: open the live demo room, watch the video play,
// see the anchor's "explaining" pin arrive, buy the pinned product through the sandbox cashier
// without leaving the room, and find the order paid in Orders. Screenshots of each step.
import { expect, test } from '@playwright/test';
import { apiLogin, buyPinnedInRoom, expectPlaying, shot, videoTime } from './helpers.ts';

test('a shopper watches the live demo room and buys the pinned product without leaving it', async ({
  page,
  baseURL,
}) => {
  await page.goto('/shop/');
  const card = page.getByTestId('room-card').filter({ hasText: '海南芒果产地直播' }); // the demo room, live from the demo stream
  await expect(card).toBeVisible();
  await shot(page, '01-home');
  await card.click();
  await expect(page).toHaveURL(/\/shop\/room\/\d+/);
  const roomId = Number(/room\/(\d+)/.exec(page.url())![1]);
  await expectPlaying(page);
  await shot(page, '02-room-playing');

  // The anchor pins a product from the console; it shows up in the room.
  const owner = await apiLogin(baseURL!, '13800000001');
  const room = (await (await fetch(`${baseURL}/api/rooms/${roomId}`)).json()) as {
    merchantId: number;
    products: Array<{ id: number; title: string }>;
  };
  const product = room.products[0]!;
  const pin = await fetch(`${baseURL}/api/merchants/${room.merchantId}/rooms/${roomId}/pin`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
    body: JSON.stringify({ productId: product.id }),
  });
  expect(pin.status).toBe(200);
  await expect(page.getByTestId('pinned-product')).toContainText(product.title);
  await shot(page, '03-pinned');

  await buyPinnedInRoom(page, '13900000001', '04');
  // The show never stopped.
  const t = await videoTime(page);
  await expect.poll(() => videoTime(page)).toBeGreaterThan(t + 0.5);

  await page.goto('/shop/orders');
  const row = page.getByTestId('order-row').first();
  await expect(row).toContainText(product.title);
  await expect(row.getByTestId('order-status')).toHaveText('已付款');
  await shot(page, '05-orders');
});

test('a chat sent from one browser appears in another', async ({ browser }) => {
  const phone = (await import('@playwright/test')).devices['Pixel 7'];
  const [one, two] = await Promise.all([browser.newContext({ ...phone }), browser.newContext({ ...phone })]);
  const sender = await one.newPage();
  const watcher = await two.newPage();
  // The sender signs in through the shop's own sign-in page.
  await sender.goto('/shop/login');
  await sender.getByTestId('login-phone').locator('input').fill('13900000003');
  await sender.getByTestId('login-password').locator('input').fill('demo1234');
  await sender.getByTestId('login-submit').click();
  await expect(sender.getByTestId('login-submit')).toHaveCount(0);
  for (const p of [sender, watcher]) {
    await p.goto('/shop/');
    await p.getByTestId('room-card').filter({ hasText: '海南芒果产地直播' }).click();
    await expect(p.getByTestId('online')).toBeVisible();
  }
  const text = `主播好！第${Date.now() % 1000}位老粉报到 <b>`;
  await sender.getByTestId('chat-input').locator('input').fill(text);
  await sender.getByTestId('chat-send').click();
  await expect(watcher.getByTestId('chat-list')).toContainText(text); // shown as text, not HTML
  await shot(watcher, 'chat-01-second-browser');
  await shot(sender, 'chat-02-sender');
  await Promise.all([one.close(), two.close()]);
});
