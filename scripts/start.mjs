// `npm start`: install dependencies and build the web apps only when they are missing or out of date,
// then run the node. On an installed checkout nothing is reinstalled or rebuilt, so the platform is up in
// seconds (bench/startup.ts measures it); a fresh clone gets everything on its first start.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (line) => process.stdout.write(`${line}\n`);

const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const manifests = () => [
  path.join(root, 'package-lock.json'),
  ...['server', 'packages/sdk', 'packages/player', 'web/shop', 'web/admin', 'apps/miniprogram', 'e2e', 'bench']
    .map((w) => path.join(root, w, 'package.json'))
    .filter((f) => fs.existsSync(f)),
];

// npm rewrites node_modules/.package-lock.json on every install: older than a manifest means out of date.
function installIfNeeded() {
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  if (installed && manifests().every((f) => mtime(f) <= installed)) return;
  say('installing dependencies (npm install)…');
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** A hash of every file a web app's build reads (its sources, the shared packages, the lock file). */
function sourcesHash(app) {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else hash.update(full.slice(root.length)).update(fs.readFileSync(full));
    }
  };
  for (const dir of [`web/${app}`, 'packages/sdk/src', 'packages/player/src']) walk(path.join(root, dir));
  hash.update(fs.readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

function buildIfNeeded() {
  const stale = ['shop', 'admin'].filter((app) => {
    const stamp = path.join(root, 'web', app, 'dist', '.sources-hash');
    return !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== sourcesHash(app);
  });
  if (!stale.length) return;
  say(`building ${stale.join(' and ')}…`);
  const workspaces = stale.flatMap((app) => ['-w', `@livemall/${app}`]);
  const r = spawnSync(npm, ['run', 'build', ...workspaces], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  for (const app of stale) fs.writeFileSync(path.join(root, 'web', app, 'dist', '.sources-hash'), sourcesHash(app));
}

installIfNeeded();
buildIfNeeded();
// tsx as a loader of this node process: no extra npx/CLI process in between, signals reach the server directly.
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
