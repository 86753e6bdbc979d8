#!/usr/bin/env node
// `npm test`: installs what the tests need on a bare Debian machine (ffmpeg, chromium), then
// type-checks and runs every test suite. With DATABASE_URL / REDIS_URL set (CI), the data and
// realtime suites also run against the real PostgreSQL and Redis.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function run(label, cmd, args, opts = {}) {
  process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `=== ${label}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${secs}s\n`,
  );
  return r.status === 0;
}

// 1. System packages the media and browser tests use.
const wanted = [
  ['ffmpeg', 'ffmpeg'],
  ['ffprobe', 'ffmpeg'],
  ['chromium', 'chromium'],
];
const missing = [...new Set(wanted.filter(([bin]) => !has(bin)).map(([, pkg]) => pkg))];
// Chinese text in the browser screenshots needs a CJK font.
if (has('dpkg') && spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status !== 0)
  missing.push('fonts-noto-cjk');
if (missing.length) {
  if (process.getuid?.() === 0 && has('apt-get')) {
    run('apt-get update', 'apt-get', ['update', '-qq']);
    run(`install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    process.stdout.write(`Missing system packages (${missing.join(', ')}); install them with apt-get as root.\n`);
  }
}

// 2. JavaScript dependencies.
if (!fs.existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))) {
  if (!run('npm install', 'npm', ['install', '--no-audit', '--no-fund'])) process.exit(1);
}

process.stdout.write(
  `\nBackends: PGlite + in-process cache${process.env.DATABASE_URL ? ', PostgreSQL' : ''}${process.env.REDIS_URL ? ', Redis' : ''}\n`,
);

// 3. Suites.
const results = [];
const step = (label, cmd, args, opts) => results.push([label, run(label, cmd, args, opts)]);
// A clean clone of HEAD installed with every install script off must still load every native module.
step('fresh clone: npm ci --ignore-scripts, load native modules', 'node', ['scripts/fresh-install.mjs']);
// Formatting (120 columns) and lint (no floating promises, exhaustive switches): biome.jsonc.
step('format and lint (Biome)', 'npx', ['biome', 'ci', '--colors=off', '.']);
step('typecheck server', 'npx', ['tsc', '-p', 'server', '--noEmit']);
step('docs/events.md matches the event declarations', 'npx', ['tsx', 'scripts/events-doc.ts', '--check']);
step('generate SDK from OpenAPI', 'npm', ['run', 'generate', '-w', '@livemall/sdk']);
step('typecheck SDK', 'npx', ['tsc', '-p', 'packages/sdk', '--noEmit']);
step('typecheck shop', 'npx', ['tsc', '-p', 'web/shop', '--noEmit']);
step('typecheck console', 'npx', ['tsc', '-p', 'web/admin', '--noEmit']);
step('i18n: every key and enum value in Chinese and English', 'npx', ['tsx', 'scripts/i18n-check.ts']);
step('build shop (with size budget) and console', 'npm', [
  'run',
  'build',
  '-w',
  '@livemall/shop',
  '-w',
  '@livemall/admin',
]);
// The WeChat mini-program: build with the package-size budget, typecheck, page tests in miniprogram-simulate
// (WeChat's WXML compiler) and the shopper against a real node.
step('mini-program: build (size budget), typecheck, page and real-node tests', 'npm', [
  'test',
  '-w',
  '@livemall/miniprogram',
]);
step('server tests', 'npx', ['vitest', 'run', '--root', 'server']);
step('browser tests (Playwright, Debian chromium)', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts']);

const failed = results.filter(([, ok]) => !ok);
process.stdout.write('\nSummary:\n');
for (const [label, ok] of results) process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'} ${label}\n`);
process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
process.exit(failed.length ? 1 : 0);
