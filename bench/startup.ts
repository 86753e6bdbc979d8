// Cold start: `npm start` on an installed checkout until /health answers, with an empty data folder (first
// start: migrations and demo data) and again on the same folder (a restart), next to what `npm start` did
// before in the same run (npm install, both web builds, then the node). Prints each time and the node's own
// account of where its time went (its "started" log line).
//   npx tsx bench/startup.ts        (BASELINE=0 skips the old way)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot } from './lib/processes.ts';

async function coldStart(label: string, command: string[], dataDir: string, opts: { quiet?: boolean } = {}) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      RTMP_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    },
  });
  let phases = '';
  child.stdout!.on('data', (d: Buffer) => {
    const line = d
      .toString()
      .split('\n')
      .find((l) => l.includes('"msg":"started"'));
    if (line) {
      const p = JSON.parse(line);
      const inApp = ['dbOpen', 'migrate', 'init', 'http'].map((k) => `${k} ${p[`${k}Ms`]}`).join(', ');
      phases =
        `load ${p.loadMs} ms, createApp ${p.createAppMs} ms (${inApp}), seed ${p.seedMs} ms, ` +
        `listen ${p.listenMs} ms`;
    }
  });
  child.stderr!.resume();
  let ms = Number.NaN;
  for (const end = Date.now() + 300_000; Date.now() < end; ) {
    if ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok) {
      ms = Date.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300)); // the started line follows the listen
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  if (!opts.quiet) console.log(`| ${label} | ${(ms / 1000).toFixed(2)} s | ${phases} |`);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-startup-'));
const start = ['node', 'scripts/start.mjs'];
// "Installed checkout": an unmeasured start first installs, builds and bundles whatever is out of date
// (a missing web build, or one the baseline row of an earlier run rebuilt without its sources stamp).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-startup-prepare-'));
console.log('preparing: one unmeasured npm start (install, build and bundle only what is out of date)…');
await coldStart('(preparation, not measured)', start, scratch, { quiet: true });
fs.rmSync(scratch, { recursive: true, force: true });
console.log('| start | to /health | inside the node |\n| --- | --- | --- |');
await coldStart('npm start, installed checkout, empty data folder', start, dataDir);
await coldStart('npm start, installed checkout, restart on the same data', start, dataDir);
if (process.env.BASELINE !== '0') {
  const previous = [
    'sh',
    '-c',
    'npm install --no-audit --no-fund >/dev/null && npm run build -w @livemall/shop -w @livemall/admin >/dev/null && exec node --import tsx server/src/main.ts',
  ];
  await coldStart('baseline: the earlier npm start (install, build, run), same data', previous, dataDir);
}
fs.rmSync(dataDir, { recursive: true, force: true });
