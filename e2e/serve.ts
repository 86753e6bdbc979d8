// The server the browser tests talk to: a fresh data folder, demo data, the demo live stream.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results/e2e-data');
fs.rmSync(dir, { recursive: true, force: true });
process.env.DATA_DIR = dir;
process.env.SEED_DEMO = 'true';
process.env.DEMO_STREAM = 'true';
process.env.LOG_LEVEL ??= 'warn';
await import('../server/src/main.ts');
