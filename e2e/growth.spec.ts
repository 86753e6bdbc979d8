// The growth loop in two phone browsers: a promoter shares the live demo room (the system share
// sheet gets a link with a share token, and the share poster shows), a second shopper opens that
// link as a guest, signs in inside the room's buy sheet and pays; the promoter's centre shows the
// attributed order with a pending commission, which settles once the order's after-sales window
// closes (the e2e server runs with AFTER_SALES_WINDOW_DAYS=0: completion follows receipt at once).
import { type BrowserContext, devices, expect, type Page, test } from '@playwright/test';
import { apiLogin, buyPinnedInRoom, consoleLogin, shot, jsonApi } from './helpers.ts';

const OWNER = '13800000001';
const PASSWORD = 'demo1234';
const tag = String(Date.now() % 10_000).padStart(4, '0');
const PROMOTER = `1370001${tag}`;
const BUYER = `1370002${tag}`;

let base = '';
const api = jsonApi(() => base);

/** A new shopper with an address (registered through the API, as the shop's sign-up form does). */
async function newShopper(phone: string, nickname: string): Promise<string> {
  await api(null, 'POST', '/api/auth/register', { phone, password: PASSWORD, nickname });
  const token = await apiLogin(base, phone, PASSWORD);
  await api(token, 'POST', '/api/me/addresses', {
    name: nickname,
    phone,
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园 1 号',
  });
  return token;
}

async function signIn(page: Page, phone: string) {
  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(phone);
  await page.getByTestId('login-password').locator('input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
}

/** A phone browser whose system share sheet hands over what it was given (Web Share API). */
async function phoneWithShareSheet(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { shared: ShareData[] };
    w.shared = [];
    navigator.share = async (data?: ShareData) => {
      w.shared.push(data ?? {});
    };
  });
}

test('a shared room link brings a buyer; the promoter sees the order and a commission that settles', async ({
  browser,
  baseURL,
}) => {
  base = baseURL!;
  const phone = devices['Pixel 7'];
  const owner = await apiLogin(base, OWNER);
  type Card = { id: number; title: string; merchantId: number };
  const demoRoom = async () =>
    (await api<Card[]>(null, 'GET', '/api/rooms?kind=live')).find((r) => r.title.includes('海南芒果产地直播'));
  // The demo room goes live once the demo stream reaches the server.
  await expect.poll(async () => !!(await demoRoom()), { timeout: 60_000 }).toBe(true);
  const room = (await demoRoom())!;
  const merchantId = room.merchantId;
  // The shop runs distribution: one tier at 10 %, applications reviewed by the shop.
  await api(owner, 'PUT', `/api/merchants/${merchantId}/distribution/settings`, {
    enabled: true,
    levels: 1,
    rates: [1000],
    autoApprove: false,
  });
  await newShopper(PROMOTER, `推广员${tag}`);
  const buyerToken = await newShopper(BUYER, `买家${tag}`);

  // The promoter applies in the shop's 推广中心; the shop approves in the console.
  const promoterCtx = await browser.newContext({ ...phone });
  await phoneWithShareSheet(promoterCtx);
  const promoter = await promoterCtx.newPage();
  await signIn(promoter, PROMOTER);
  await promoter.goto('/shop/me');
  await promoter.getByTestId('me-promoter').click();
  await promoter.goto(`/shop/distribution/${merchantId}`);
  await promoter.getByTestId('promoter-apply').click();
  await expect(promoter.getByTestId('promoter-status')).toBeVisible();
  await shot(promoter, 'g01-applied');

  const consoleCtx = await browser.newContext();
  const admin = await consoleCtx.newPage();
  await consoleLogin(admin, OWNER);
  await admin.goto('/admin/distribution');
  await admin.getByRole('tab', { name: '推广员' }).click();
  const row = admin.getByTestId('promoters').locator('tr', { hasText: `推广员${tag}` });
  await row.getByTestId('promoter-approve').click();
  await expect(row).toContainText('已通过');
  await shot(admin, 'g02-console-approved');

  // The promoter shares the live room: the share sheet gets the room link with a share token.
  await promoter.goto(`/shop/room/${room.id}`);
  await promoter.getByTestId('share').click();
  await promoter.getByText('分享海报').click();
  await expect(promoter.getByTestId('poster-image')).toBeVisible();
  const size = await promoter
    .getByTestId('poster-image')
    .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(size).toEqual([750, 1200]);
  await shot(promoter, 'g03-room-poster');
  await promoter.mouse.click(10, 10); // close the poster sheet
  await promoter.getByTestId('share').click();
  await promoter.getByText('分享链接').click();
  await expect
    .poll(() => promoter.evaluate(() => (window as unknown as { shared: ShareData[] }).shared.length))
    .toBe(1);
  const link = await promoter.evaluate(() => (window as unknown as { shared: ShareData[] }).shared[0]!.url!);
  expect(link).toMatch(new RegExp(`/shop/room/${room.id}\\?share=[A-Za-z0-9_-]{8,}$`));

  // A second shopper opens the link as a guest (the visit is recorded), then buys in the room.
  await api(owner, 'PUT', `/api/merchants/${merchantId}/rooms/${room.id}/pin`, {
    productId: (await api<{ products: Array<{ id: number }> }>(null, 'GET', `/api/rooms/${room.id}`)).products[0]!.id,
  });
  // This phone has no system share sheet: sharing copies the link (clipboard) and says so.
  const buyerCtx = await browser.newContext({ ...phone, permissions: ['clipboard-read', 'clipboard-write'] });
  await buyerCtx.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'share', { value: undefined, configurable: true });
  });
  const buyer = await buyerCtx.newPage();
  const visited = buyer.waitForResponse((r) => /\/api\/shares\/[^/]+\/visits$/.test(r.url()) && r.ok());
  await buyer.goto(link.replace(/^https?:\/\/[^/]+/, base));
  await visited;
  await expect(buyer.getByTestId('pinned-product')).toBeVisible();
  await buyPinnedInRoom(buyer, BUYER, 'g04');
  // The buyer passes the room on in turn (a second level of the spread): the link is copied.
  await buyer.mouse.click(10, 10); // close the paid sheet
  await buyer.getByTestId('share').click();
  await buyer.getByText('分享链接').click();
  await expect(buyer.getByText('链接已复制')).toBeVisible();
  const copied = await buyer.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/\?share=[A-Za-z0-9_-]{8,}$/);
  expect(copied).not.toBe(link);
  const orders = await api<{ items: Array<{ id: number; orderNo: string; status: string }> }>(
    buyerToken,
    'GET',
    '/api/orders',
  );
  const order = orders.items[0]!;

  // The promoter's centre: the buyer's order, attributed to the share, with a pending commission.
  await promoter.goto(`/shop/distribution/${merchantId}`);
  const commission = promoter.getByTestId('promoter-commission').filter({ hasText: order.orderNo });
  await expect(commission).toHaveAttribute('data-status', 'pending');
  await expect(promoter.getByTestId('earnings-pending')).not.toContainText('¥0.00');
  await shot(promoter, 'g05-commission-pending');

  // The shop ships, the buyer confirms receipt; the window closes and the commission settles.
  await api(owner, 'POST', `/api/merchants/${merchantId}/orders/${order.id}/ship`, {
    carrier: '顺丰速运',
    trackingNo: `SF${Date.now() % 1_000_000_000}`,
  });
  await api(buyerToken, 'POST', `/api/orders/${order.id}/confirm-receipt`, {});
  await expect
    .poll(async () => (await api<{ status: string }>(buyerToken, 'GET', `/api/orders/${order.id}`)).status)
    .toBe('completed');
  await expect
    .poll(
      async () => {
        await promoter.reload();
        return promoter
          .getByTestId('promoter-commission')
          .filter({ hasText: order.orderNo })
          .getAttribute('data-status', { timeout: 10_000 });
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe('settled');
  await expect(promoter.getByTestId('earnings-settled')).not.toContainText('¥0.00');
  await expect(promoter.getByTestId('earnings-balance')).not.toContainText('¥0.00');
  await shot(promoter, 'g06-commission-settled');

  // The shop's share analytics: the promoter as a sharer, with the visit and the attributed order.
  await admin.goto('/admin/growth');
  await expect(admin.getByTestId('growth-totals')).toBeVisible();
  await admin.getByTestId('growth-by').click();
  await admin.getByTitle('按分享人').click();
  const sharer = admin.getByTestId('growth-table').locator('tr', { hasText: `推广员${tag}` });
  await expect(sharer).toBeVisible();
  await expect(sharer.locator('td').nth(7)).toHaveText('1'); // orders
  await shot(admin, 'g07-console-share-analytics');
  await Promise.all([promoterCtx.close(), buyerCtx.close(), consoleCtx.close()]);
});
