// Customer service end to end, in a phone browser and the console: a shopper with a shipped order
// opens 联系客服 from the live room, the bot answers "where is my parcel" with the order's real
// shipping status, the shopper asks for a person (转人工), an agent in the console takes it and
// replies, and the shopper — away from the chat — sees the 消息 tab's unread badge, then the reply.
import { expect, test } from '@playwright/test';
import { apiLogin, consoleLogin, shot } from './helpers.ts';

const SHOPPER = '13900000002';
const OWNER = '13800000001';

async function api<T>(baseURL: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await r.json()) as T;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** The shopper buys a product of the demo room's shop, pays in the sandbox, and the shop ships it. */
async function shippedOrder(baseURL: string, roomId: number) {
  const shopper = await apiLogin(baseURL, SHOPPER);
  const owner = await apiLogin(baseURL, OWNER);
  const room = await api<{ merchantId: number; products: Array<{ id: number }> }>(
    baseURL,
    shopper,
    'GET',
    `/api/rooms/${roomId}`,
  );
  const product = await api<{ skus: Array<{ id: number; stock: number }> }>(
    baseURL,
    shopper,
    'GET',
    `/api/products/${room.products[0]!.id}`,
  );
  const addresses = await api<Array<{ id: number }>>(baseURL, shopper, 'GET', '/api/me/addresses');
  const placed = await api<{ orders: Array<{ orderId: number }>; payment: { cashierUrl: string } }>(
    baseURL,
    shopper,
    'POST',
    '/api/orders',
    {
      idempotencyKey: `e2e-support-${Date.now()}`,
      items: [{ skuId: product.skus.find((s) => s.stock > 0)!.id, quantity: 1 }],
      addressId: addresses[0]!.id,
    },
  );
  const cashier = new URL(placed.payment.cashierUrl);
  const paid = await fetch(`${baseURL}${cashier.pathname}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ t: cashier.searchParams.get('t')!, outcome: 'succeeded' }).toString(),
  });
  expect(((await paid.json()) as { outcome: string }).outcome).toBe('succeeded');
  const orderId = placed.orders[0]!.orderId;
  await expect
    .poll(async () => (await api<{ status: string }>(baseURL, shopper, 'GET', `/api/orders/${orderId}`)).status)
    .toBe('paid');
  const trackingNo = `ZT${Date.now() % 1_000_000_000}`;
  await api(baseURL, owner, 'POST', `/api/merchants/${room.merchantId}/orders/${orderId}/ship`, {
    carrier: '中通快递',
    trackingNo,
  });
  return { shopper, trackingNo, merchantId: room.merchantId };
}

test('a shopper asks from the live room, the bot answers the parcel question, an agent in the console replies', async ({
  page,
  browser,
  baseURL,
}) => {
  await page.goto('/shop/');
  await page.getByTestId('room-card').filter({ hasText: '海南芒果产地直播' }).click();
  await expect(page).toHaveURL(/\/shop\/room\/\d+/);
  const roomId = Number(/room\/(\d+)/.exec(page.url())![1]);
  const { shopper, trackingNo } = await shippedOrder(baseURL!, roomId);

  // Signed in, back in the room: 联系客服 opens the conversation.
  await page.goto('/shop/login');
  await page.getByTestId('login-phone').locator('input').fill(SHOPPER);
  await page.getByTestId('login-password').locator('input').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-submit')).toHaveCount(0);
  await page.goto(`/shop/room/${roomId}`);
  await page.getByTestId('contact-service').click();
  await expect(page).toHaveURL(/\/shop\/support\/\d+/);
  await shot(page, 'support-01-chat');

  await page.getByTestId('support-input').locator('input').fill('我的快递到哪了？');
  await page.getByTestId('support-send').click();
  const botAnswer = page.locator('[data-testid=support-message][data-from=bot]').last();
  await expect(botAnswer).toContainText(trackingNo);
  await expect(botAnswer).toContainText('已发货');
  await shot(page, 'support-02-bot-parcel');

  // The agent opens the workbench and goes online; the shopper asks for a person.
  const consoleCtx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const agent = await consoleCtx.newPage();
  await consoleLogin(agent, OWNER);
  await agent.goto('/admin/service');
  await expect(agent.getByTestId('service-page')).toBeVisible();
  await agent.getByTestId('agent-availability').getByText('在线').click();

  await page.getByTestId('support-human').click();
  await expect(page.getByTestId('support-status')).toBeVisible();
  await shot(page, 'support-03-human');

  // Notices so far (order paid, shipped) are read; the shopper leaves the chat for the home page.
  await api(baseURL!, shopper, 'POST', '/api/me/messages/read', { all: true });
  await page.goto('/shop/');
  const tab = page.locator('.adm-tab-bar-item').filter({ hasText: '消息' });
  await expect(tab).toBeVisible();

  const mine = agent.getByTestId('mine-row').first();
  const queued = agent.getByTestId('queue-row').first();
  await expect(mine.or(queued)).toBeVisible();
  if (!(await mine.isVisible())) {
    await queued.click();
    await agent.getByTestId('agent-pick').click();
  }
  await agent.getByTestId('mine-row').first().click();
  await expect(agent.getByTestId('agent-messages')).toContainText('我的快递到哪了');
  await shot(agent, 'support-04-workbench');
  const reply = '您好，我是客服小美，包裹明天就到，请留意电话～';
  await agent.getByTestId('agent-input').fill(reply);
  await agent.getByTestId('agent-send').click();
  await expect(agent.locator('[data-testid=agent-message][data-from=agent]').last()).toContainText(reply);

  // The unread badge on the 消息 tab, then the reply in the chat.
  await expect(tab.locator('.adm-badge-content')).toHaveText('1');
  await shot(page, 'support-05-badge');
  await tab.click();
  await page.getByTestId('conversation-row').first().click();
  await expect(page.locator('[data-testid=support-message][data-from=agent]').last()).toContainText(reply);
  await shot(page, 'support-06-reply');
  // The agent sees it read.
  await expect(agent.locator('[data-testid=agent-message][data-from=agent]').last()).toContainText('已读');

  // What the chat cannot settle becomes a ticket, with its SLA timers; then the metrics and the FAQ.
  await agent.getByTestId('agent-ticket').click();
  await agent.locator('.ant-modal textarea').fill('顾客说包裹外箱破损，要求先行赔付');
  await agent.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(agent.locator('.ant-message')).toContainText('#');
  await agent.getByRole('tab', { name: '工单' }).click();
  await expect(agent.getByTestId('sla-timer').first()).toBeVisible();
  await shot(agent, 'support-07-tickets');
  await agent.getByRole('tab', { name: '服务数据' }).click();
  await expect(agent.getByTestId('service-metrics-chart')).toBeVisible();
  await agent.getByRole('tab', { name: '智能客服 FAQ' }).click();
  await agent.getByPlaceholder('输入顾客可能问的话').fill('怎么退货');
  await agent.getByRole('button', { name: '试一试' }).click();
  await expect(agent.getByTestId('faq-preview')).toBeVisible();
  await shot(agent, 'support-08-faq');
  await consoleCtx.close();
});
