// Shared steps for the browser tests.
import { expect, test, type Page } from '@playwright/test';

export const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });

export const videoTime = (page: Page, testId = 'room-video') =>
  page
    .locator(`[data-testid=${testId}] video, video[data-testid=${testId}]`)
    .first()
    .evaluate((v: HTMLVideoElement) => v.currentTime);

/** The video in `page` is really playing: its clock keeps advancing. */
export async function expectPlaying(page: Page, testId?: string) {
  await expect.poll(() => videoTime(page, testId), { timeout: 30_000 }).toBeGreaterThan(0.5);
  const t = await videoTime(page, testId);
  await expect.poll(() => videoTime(page, testId), { timeout: 15_000 }).toBeGreaterThan(t + 0.5);
}

export async function apiLogin(baseURL: string, phone: string, password = 'demo1234'): Promise<string> {
  const r = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password }),
  });
  return ((await r.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
}

/** In a room page with a pinned product: pick the first SKU, sign in inside the sheet, pay in the sandbox cashier. */
export async function buyPinnedInRoom(page: Page, shopperPhone: string, prefix: string) {
  await page.getByTestId('buy-pinned').click();
  const picker = page.getByTestId('sku-picker');
  await expect(picker).toBeVisible();
  for (const group of await picker.locator('.spec .adm-selector').all())
    await group.locator('.adm-selector-item').first().click();
  await shot(page, `${prefix}-sku-picker`);
  await page.getByTestId('buy-now').click();
  const phone = page.getByTestId('login-phone');
  if (await phone.isVisible().catch(() => false)) {
    await phone.locator('input').fill(shopperPhone);
    await page.getByTestId('login-password').locator('input').fill('demo1234');
    await page.getByTestId('login-submit').click();
  }
  await payInSandbox(page, prefix);
}

/** In an open checkout sheet: place the order and pay it in the sandbox cashier. */
export async function payInSandbox(page: Page, prefix: string) {
  await expect(page.getByTestId('quote-total')).toBeVisible();
  await shot(page, `${prefix}-checkout`);
  await page.getByTestId('place-order').click();
  const cashier = page.frameLocator('[data-testid=cashier]');
  await expect(cashier.getByText('SANDBOX')).toBeVisible();
  await expect(cashier.getByTestId('sandbox-test-money')).toBeVisible();
  await shot(page, `${prefix}-cashier`);
  await cashier.getByTestId('sandbox-pay').click();
  await expect(page.getByTestId('paid')).toBeVisible();
  await shot(page, `${prefix}-paid`);
}

/** Signs in to the console with a demo account and waits for its menu. */
export async function consoleLogin(page: Page, phone: string) {
  await page.goto('/admin/');
  await page.getByTestId('phone').fill(phone);
  await page.getByTestId('password').fill('demo1234');
  await page.getByTestId('login').click();
  await expect(page.getByTestId('menu')).toBeVisible();
}

/** A JSON API caller against the base URL `base()` gives (set once the test knows it); throws on any non-2xx. */
export function jsonApi(base: () => string) {
  return async <T = any>(token: string | null, method: string, route: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base()}${route}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = await r.json().catch(() => null);
    if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${JSON.stringify(json)}`);
    return json as T;
  };
}
