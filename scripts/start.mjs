// `npm start`: install dependencies and build the web apps only when they are missing or out of date,
// then run the node. On an installed checkout nothing is reinstalled or rebuilt, so the platform is up in
// seconds (bench/startup.ts measures it); a fresh clone gets everything on its first start.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

// The server as one ESM file (server/dist/main.mjs) built by esbuild, rebuilt only when a source is newer
// than it: tsx transpiling and resolving each of the server's modules through its loader thread at every
// start took seconds. Every package stays external (loaded from node_modules as before), and each source's
// import.meta.url/dirname/filename keeps naming its own .ts file, so the migrations folders, fonts and data
// files read next to the sources still resolve. Without esbuild, or if a build fails, the node runs on tsx.
const serverSrc = path.join(root, 'server/src');
const bundle = path.join(root, 'server/dist/main.mjs');

function newestSource() {
  let newest = mtime(path.join(root, 'package-lock.json'));
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|json)$/.test(e.name) && !e.name.endsWith('.test.ts')) newest = Math.max(newest, mtime(full));
    }
  };
  walk(serverSrc);
  return newest;
}

async function serverBundle() {
  if (process.env.LIVEMALL_TSX === '1') return null;
  if (mtime(bundle) > newestSource()) return bundle;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const importMeta = {
    name: 'source-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await fs.promises.readFile(args.path, 'utf8');
        if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
        const contents = text
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
  const t0 = Date.now();
  const tmp = `${bundle}.${process.pid}.tmp`;
  try {
    await esbuild.build({
      entryPoints: [path.join(serverSrc, 'main.ts')],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'error',
      plugins: [importMeta],
    });
    fs.renameSync(`${tmp}.map`, `${bundle}.map`);
    // The bundle names its map by the temporary name: point it at the final one.
    const code = fs.readFileSync(tmp, 'utf8').replace(/sourceMappingURL=\S+$/, 'sourceMappingURL=main.mjs.map');
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, bundle);
  } catch (err) {
    say(`bundling the server failed (${err.message.split('\n')[0]}); running it on tsx`);
    for (const f of [tmp, `${tmp}.map`]) fs.rmSync(f, { force: true });
    return null;
  }
  say(`server bundled in ${Date.now() - t0} ms`);
  return bundle;
}

installIfNeeded();
buildIfNeeded();
const bundled = await serverBundle();
// The node runs in this process's child with no extra npx/CLI process in between: signals reach it directly.
const args = bundled ? ['--enable-source-maps', bundled] : ['--import', 'tsx', path.join(serverSrc, 'main.ts')];
const server = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
