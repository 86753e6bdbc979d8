// An axe scan (axe-core, the engine browsers' own audits use) of the main pages: the shop's home, live room,
// mall and a product on a phone, and the console's dashboard and orders on a desktop. No serious or critical
// violation may be present; the lesser ones are printed for the next person.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { consoleLogin } from './helpers.ts';

async function scan(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.filter((v) => !serious.includes(v));
  if (minor.length) console.log(`${name}: minor`, minor.map((v) => `${v.id} (${v.nodes.length})`).join(', '));
  const report = serious.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
  expect(report, `${name}: serious accessibility violations`).toEqual([]);
}

test('the shop’s main pages have no serious accessibility violations', async ({ page }) => {
  await page.goto('/shop/');
  await expect(page.getByTestId('room-card').first()).toBeVisible();
  await scan(page, 'shop home');
  await page.getByTestId('room-card').first().click();
  await expect(page.getByTestId('room-video')).toBeVisible();
  await scan(page, 'live room');
  await page.goto('/shop/mall');
  await expect(page.locator('.product-card').first()).toBeVisible();
  await scan(page, 'mall');
  await page.locator('.product-card').first().click();
  await expect(page.getByTestId('product-buy')).toBeVisible();
  await scan(page, 'product');
});

test.describe('console', () => {
  test.use({ viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false });
  test('the console’s dashboard and orders have no serious accessibility violations', async ({ page }) => {
    await consoleLogin(page, '13800000001');
    await scan(page, 'console dashboard');
    await page.goto('/admin/orders');
    await expect(page.locator('.ant-table')).toBeVisible();
    await scan(page, 'console orders');
  });
});
