// A second server for the browser tests, paid the way a real deployment is: the test-money sandbox
// off, Alipay and WeChat Pay configured against the local stand-ins that sign like them
// (server/test/fakes), started in this process. Demo data, no live stream, no RTMP ingest.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlipayFake } from '../server/test/fakes/alipay-fake.ts';
import { startWechatPayFake } from '../server/test/fakes/wechat-pay-fake.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, `../test-results/e2e-data-${process.env.PORT ?? 'real-payments'}`);
fs.rmSync(dir, { recursive: true, force: true });
const [alipay, wechat] = await Promise.all([startAlipayFake(), startWechatPayFake()]);
Object.assign(process.env, {
  DATA_DIR: dir,
  SEED_DEMO: 'true',
  DEMO_STREAM: 'false',
  RTMP_PORT: '0',
  PAYMENTS_SANDBOX: 'false',
  ALIPAY_APP_ID: alipay.config.appId,
  ALIPAY_PRIVATE_KEY: alipay.config.privateKeyPem,
  ALIPAY_PUBLIC_KEY: alipay.config.alipayPublicKeyPem,
  ALIPAY_SELLER_ID: alipay.config.sellerId,
  ALIPAY_GATEWAY: alipay.config.gateway,
  WECHATPAY_MCH_ID: wechat.config.mchId,
  WECHATPAY_APP_ID: wechat.config.appId,
  WECHATPAY_API_V3_KEY: wechat.config.apiV3Key,
  WECHATPAY_PRIVATE_KEY: wechat.config.privateKeyPem,
  WECHATPAY_CERT_SERIAL: wechat.config.certSerial,
  WECHATPAY_PLATFORM_PUBLIC_KEY: wechat.config.platformPublicKeyPem,
  WECHATPAY_API_BASE: wechat.config.apiBase,
});
// Embedded PGlite and the in-process cache on a fresh data folder, as in serve.ts.
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;
process.env.LOG_LEVEL ??= 'warn';
await import('../server/src/main.ts');
