// The server the browser tests talk to: a fresh data folder, demo data, the demo live stream.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  `../test-results/e2e-data-${process.env.PORT ?? 'default'}`,
);
fs.rmSync(dir, { recursive: true, force: true });
process.env.DATA_DIR = dir;
// The browser tests run the platform as `npm start` does (embedded PGlite, in-process cache), on a
// fresh data folder each run; CI's shared PostgreSQL/Redis would carry data over between runs.
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;
process.env.SEED_DEMO = 'true';
process.env.DEMO_STREAM = 'true';
process.env.LOG_LEVEL ??= 'warn';
// The after-sales window closes at receipt, so what waits for it (distribution commissions settling on
// order.completed) happens while a browser test watches (e2e/growth.spec.ts); no spec here needs the days.
process.env.AFTER_SALES_WINDOW_DAYS ??= '0';
// The whole browser suite signs up far more shoppers from 127.0.0.1 than one real client would (10 an hour).
process.env.RATE_LIMITS ??= 'auth.register=200/3600';
await import('../server/src/main.ts');
