#!/usr/bin/env node
// A fresh clone installs with every install script off and still runs: clones this checkout's
// committed HEAD into a temporary folder, `npm ci --ignore-scripts` there (from npm's cache when it
// can), then loads and exercises every native module in the clone (scripts/native-modules.mjs).
// Usage: node scripts/fresh-install.mjs [--keep]   (--keep leaves the clone for a look)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const keep = process.argv.includes('--keep');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-fresh-'));
// From npm's cache where it can: the point is the install scripts, not the download.
const NPM_CI = ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'];

function run(label, cmd, args, cwd) {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`FAIL ${label} (exit ${r.status ?? r.signal}, ${secs}s)\n${r.stdout}${r.stderr}\n`);
    return null;
  }
  process.stdout.write(`ok   ${label} (${secs}s)\n`);
  return r.stdout;
}

let ok = false;
try {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  ok =
    run(`git clone of HEAD ${head} into ${dir}`, 'git', ['clone', '--quiet', root, dir], root) !== null &&
    run('npm ci --ignore-scripts', 'npm', NPM_CI, dir) !== null;
  if (ok) {
    const native = spawnSync('node', ['scripts/native-modules.mjs'], { cwd: dir, stdio: 'inherit' });
    ok = native.status === 0;
  }
} finally {
  if (keep) process.stdout.write(`clone kept in ${dir}\n`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  ok
    ? 'Fresh clone with --ignore-scripts: every native module works\n'
    : 'Fresh clone with --ignore-scripts: FAILED (see above)\n',
);
process.exit(ok ? 0 : 1);
