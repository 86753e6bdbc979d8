// Browser tests in Debian's chromium (installed by `npm test` when missing), on a phone viewport,
// against a real server with demo data and the demo live stream.
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3917);
const rtmpPort = Number(process.env.E2E_RTMP_PORT ?? 19417);
export const baseURL = `http://127.0.0.1:${port}`;
/** The second server: payments as in a real deployment (sandbox off, Alipay and WeChat Pay stand-ins). */
const realPaymentsPort = Number(process.env.E2E_PAY_PORT ?? port + 1);
export const realPaymentsURL = `http://127.0.0.1:${realPaymentsPort}`;

export default defineConfig({
  testDir: '.',
  outputDir: `../test-results/e2e-${port}`,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    ...devices['Pixel 7'],
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: [
    {
      command: `npx tsx e2e/serve.ts`,
      cwd: '..',
      url: `${baseURL}/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: { PORT: String(port), RTMP_PORT: String(rtmpPort), HOST: '127.0.0.1' },
    },
    {
      command: `npx tsx e2e/serve-real-payments.ts`,
      cwd: '..',
      url: `${realPaymentsURL}/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: { PORT: String(realPaymentsPort), HOST: '127.0.0.1' },
    },
  ],
});
