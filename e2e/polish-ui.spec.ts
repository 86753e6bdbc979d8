// The shop as a shopper on a small phone meets it (issue 19, UI): icons from an icon set (no emoji anywhere
// on the page), labels on one line at 360 px, a header with a back button on every page but the tab roots,
// a scheduled room with its cover, countdown and "remind me", the room's checkout sheet leaving the show
// and the pinned product in view, and an ended show without its live widgets but with a seek bar.
// Any console error on any page fails the test.
import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { apiLogin, consoleLogin, shot } from './helpers.ts';

/** ffmpeg pushing a test pattern with a tone to `url` (at most a minute). */
const pushTestPattern = (url: string) =>
  spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i'],
      'testsrc2=size=320x240:rate=25:duration=60',
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=60'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '25'],
      ...['-c:a', 'aac', '-f', 'flv', url],
    ],
    { stdio: 'ignore' },
  );

const SHOPPER = '13900000002';
const OWNER = '13800000001';
// The smallest common Android width: where "加入购物车" used to break into "加入购 / 物车".
const narrowPhone = { ...devices['Pixel 7'], viewport: { width: 360, height: 740 } };
const EMOJI = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]/u;

async function json<T = any>(page: Page, method: string, route: string, token?: string, body?: unknown): Promise<T> {
  const r = await page.request.fetch(route, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body !== undefined ? { data: body } : {}),
  });
  expect(r.ok(), `${method} ${route}: ${r.status()} ${await r.text()}`).toBe(true);
  return (await r.json()) as T;
}

/** A phone page that records every console error and uncaught exception. */
async function phonePage(browser: Browser) {
  const context = await browser.newContext(narrowPhone);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()} ${m.location().url}`));
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return { context, page, errors };
}

async function shopSignIn(page: Page, phoneNo: string) {
  await page.goto('/shop/login');
  await expect(page.getByTestId('page-header')).toBeVisible();
  await page.getByTestId('login-phone').locator('input').fill(phoneNo);
  await page.getByTestId('login-password').locator('input').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
}

/** No emoji in the page's text, and every visible button and tab label sits on a single line. */
async function expectTidy(page: Page, scope = 'body') {
  const text = await page.locator(scope).innerText();
  expect(text.match(EMOJI)?.[0], 'emoji on the page').toBeUndefined();
  const wrapped = await page.evaluate((sel) => {
    const out: string[] = [];
    const root = document.querySelector(sel) ?? document.body;
    for (const el of root.querySelectorAll<HTMLElement>('.adm-button, .adm-tabs-tab, .adm-tab-bar-item-title')) {
      if (el.getBoundingClientRect().width === 0 || !el.innerText.trim()) continue;
      // The label's text boxes: more than one distinct line top means it wrapped.
      const tops: number[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects())
          if (r.width > 0 && !tops.some((t) => Math.abs(t - r.top) < 4)) tops.push(r.top);
      }
      if (tops.length > 1 || el.scrollWidth > el.clientWidth + 1) out.push(el.innerText.trim());
    }
    return out;
  }, scope);
  expect(wrapped, 'labels that wrap or overflow').toEqual([]);
}

test('home, product and deals pages: icons, one-line labels, headers with a back button', async ({ browser }) => {
  const { context, page, errors } = await phonePage(browser);
  await page.goto('/shop/');
  await expect(page.locator('.tabbar')).toBeVisible();
  // The tab bar draws icons (SVG), and the tab-bar roots have no back header.
  expect(await page.locator('.tabbar .adm-tab-bar-item-icon svg').count()).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('page-header')).toHaveCount(0);
  await expectTidy(page);
  await shot(page, 'u01-home');

  const found = await json(page, 'GET', `/api/search?q=${encodeURIComponent('草莓')}`);
  await page.goto(`/shop/product/${found.products.items[0].id}`);
  const header = page.getByTestId('page-header');
  await expect(header).toBeVisible();
  await expect(header).toContainText(/商品详情|Product/);
  await expect(page.getByTestId('product-buy')).toBeVisible();
  await expectTidy(page, '.bottom-bar');
  await expectTidy(page);
  await shot(page, 'u02-product-action-bar');
  // Back from a page opened directly goes home rather than out of the shop.
  await header.locator('.adm-nav-bar-back').click();
  await expect(page).toHaveURL(/\/shop\/?$/);

  for (const path of ['/shop/coupons', '/shop/flash', '/shop/groups', '/shop/bargains']) {
    await page.goto(path);
    await expect(page.getByTestId('page-header')).toBeVisible();
    await expectTidy(page);
  }
  await shot(page, 'u03-deals-header');
  expect(errors).toEqual([]);
  await context.close();
});

test('a scheduled room shows its cover, a countdown and remind me', async ({ browser }) => {
  const { context, page, errors } = await phonePage(browser);
  await shopSignIn(page, SHOPPER);
  const [upcoming] = await json<any[]>(page, 'GET', '/api/rooms?kind=upcoming');
  expect(upcoming, 'the demo data has a scheduled room').toBeTruthy();
  await page.goto(`/shop/room/${upcoming.id}`);
  await expect(page.getByTestId('scheduled-cover')).toBeVisible();
  await expect(page.getByTestId('room-video')).toHaveCount(0);
  const countdown = page.getByTestId('countdown');
  await expect(countdown).toContainText(/距开播|Starts in/);
  const first = await countdown.innerText();
  await expect.poll(() => countdown.innerText(), { timeout: 5000 }).not.toBe(first);
  const remind = page.getByTestId('remind');
  if (/已预约|Reminder set/.test(await remind.innerText())) await remind.click(); // a rerun starts from "not set"
  await expect(remind).toContainText(/开播提醒我|Remind me/);
  await remind.click();
  await expect(remind).toContainText(/已预约|Reminder set/);
  await expectTidy(page, '.room');
  await shot(page, 'u04-scheduled-room');
  expect(errors).toEqual([]);
  await context.close();
});

test('the room checkout sheet leaves the show and the pinned product in view', async ({ browser }) => {
  const { context, page, errors } = await phonePage(browser);
  await shopSignIn(page, SHOPPER);
  const [live] = await json<any[]>(page, 'GET', '/api/rooms?kind=live');
  // The anchor presents a product ("讲解中"), as in a show.
  const owner = await apiLogin(test.info().project.use.baseURL!, OWNER);
  const detail = await json(page, 'GET', `/api/rooms/${live.id}`);
  const pin = `/api/merchants/${live.merchantId}/rooms/${live.id}/pin`;
  await json(page, 'PUT', pin, owner, { productId: detail.products[0].id });
  await page.goto(`/shop/room/${live.id}`);
  await expect(page.getByTestId('pinned-product')).toBeVisible();
  await expectTidy(page, '.room-bar');
  await expectTidy(page, '.pinned');
  await shot(page, 'u05-room-buy-bar');
  await page.getByTestId('buy-pinned').click();
  await expect(page.getByTestId('sku-picker')).toBeVisible();
  const viewport = page.viewportSize()!;
  const sheet = (await page.locator('.room-sheet').boundingBox())!;
  expect(sheet.height).toBeLessThanOrEqual(viewport.height * 0.55);
  const pinned = (await page.getByTestId('pinned-product').boundingBox())!;
  expect(pinned.y + pinned.height).toBeLessThanOrEqual(sheet.y);
  await expectTidy(page, '.room-sheet');
  await shot(page, 'u06-room-checkout-sheet');
  expect(errors).toEqual([]);
  await context.close();
});

test('an ended show drops its live widgets and its replay has a seek bar', async ({ browser }) => {
  const { context, page, errors } = await phonePage(browser);
  // A show of its own (the demo room stays live for the specs after this one), pushed like OBS would.
  const owner = await apiLogin(test.info().project.use.baseURL!, OWNER);
  const merchantId = (await json(page, 'GET', '/api/me', owner)).merchants[0].id as number;
  const shop = `/api/merchants/${merchantId}`;
  const room = await json(page, 'POST', `${shop}/rooms`, owner, { title: `收播测试 ${Date.now() % 100000}` });
  const pusher = pushTestPattern((await json(page, 'GET', `${shop}/rooms/${room.id}/push`, owner)).pushUrl);
  const live = { id: room.id as number, merchantId };
  await expect
    .poll(async () => (await json(page, 'GET', `/api/rooms/${live.id}`)).status, { timeout: 30_000 })
    .toBe('live');
  await page.goto(`/shop/room/${live.id}`);
  await expect(page.getByTestId('chat-input')).toBeVisible();
  await new Promise((r) => setTimeout(r, 3000)); // a few seconds of show to record
  await json(page, 'POST', `${shop}/rooms/${live.id}/end`, owner);
  pusher.kill('SIGKILL');
  await expect(page.getByTestId('online')).toContainText(/回放|Replay/, { timeout: 20_000 });
  for (const id of ['chat-input', 'chat-send', 'pinned-product', 'coupon-drop', 'lucky-bag', 'flash-countdown'])
    await expect(page.getByTestId(id)).toHaveCount(0);
  // The recording becomes a replay once the last segment is cut; the page then plays it with native controls.
  await expect
    .poll(async () => (await json(page, 'GET', `/api/rooms/${live.id}`)).replays.length, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByTestId('room-video')).toHaveAttribute('controls', '');
  await expectTidy(page, '.room');
  await shot(page, 'u07-ended-replay');
  expect(errors).toEqual([]);
  await context.close();
});

test('console (desktop): suspending a shop asks first and says what happened; forms have labels', async ({
  browser,
}) => {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    isMobile: false,
    hasTouch: false,
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()} ${m.location().url}`));
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await consoleLogin(page, '13800000000');
  await page.goto('/admin/platform');
  await page.getByRole('tab', { name: '商家', exact: true }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel.getByLabel('商家名称')).toBeVisible();
  await expect(panel.getByLabel('店主手机号')).toBeVisible();
  const row = panel.locator('tr').filter({ hasText: '潮流衣橱' });
  await row.getByTestId('merchant-suspended').click();
  const confirm = page.locator('.ant-modal-confirm');
  await expect(confirm).toContainText('潮流衣橱');
  await shot(page, 'u08-console-confirm-suspend');
  await confirm.getByRole('button', { name: /取\s*消|Cancel/ }).click();
  await expect(row).toContainText('营业中'); // cancelled: nothing changed
  await row.getByTestId('merchant-suspended').click();
  await confirm.getByRole('button', { name: /OK|确/ }).click();
  await expect(page.locator('.ant-message')).toContainText('潮流衣橱');
  await expect(row).toContainText('已暂停');
  await shot(page, 'u09-console-suspended-message');
  await row.getByTestId('merchant-active').click();
  await expect(row).toContainText('营业中');
  expect(errors).toEqual([]);
  await context.close();
});
