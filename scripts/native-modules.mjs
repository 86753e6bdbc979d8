#!/usr/bin/env node
// Loads every dependency with native code and exercises it once, the way the product uses it:
// password hashing (through the server's own passwords.ts), esbuild (tsx runs the server on it),
// rolldown and lightningcss (vite builds the apps with them), PGlite's WASM Postgres, the bundled
// ffmpeg (through the server's own lookup), @napi-rs/canvas (a share poster in the bundled CJK font), then
// any other .node file found under node_modules.
// Run it in a tree installed with --ignore-scripts to prove nothing needs an install script.
// Usage: node scripts/native-modules.mjs            (exit 1 and a FAIL line for each that fails)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const fromServer = createRequire(path.join(root, 'server', 'package.json'));
const fromApps = createRequire(path.join(root, 'web', 'shop', 'package.json'));
const { tsImport } = await import('tsx/esm/api'); // the loader the server itself runs under
const server = (file) => tsImport(path.join(root, 'server', 'src', file), import.meta.url);
const importFrom = (req, name) => import(req.resolve(name));

/** Each check returns what it did; the .node files it covers are counted as loaded. */
const checks = [
  [
    '@node-rs/argon2 (password hashes)',
    /argon2/,
    async () => {
      const { hashPassword, verifyPassword } = await server('modules/identity/passwords.ts');
      const hash = await hashPassword('Tangerine7kite');
      if (!(await verifyPassword(hash, 'Tangerine7kite')) || (await verifyPassword(hash, 'wrong1234'))) {
        throw new Error('hash/verify gave the wrong answer');
      }
      const fixtures = path.join(root, 'server/src/modules/identity/fixtures/argon2-legacy-hashes.json');
      const legacy = JSON.parse(fs.readFileSync(fixtures, 'utf8')).hashes[0];
      if (!(await verifyPassword(legacy.hash, legacy.password)))
        throw new Error('a node-argon2 hash no longer verifies');
      return 'hash + verify, and a node-argon2 hash verifies';
    },
  ],
  [
    'esbuild (tsx runs the server on it)',
    null,
    async () => {
      const esbuild = fromServer(fromServer.resolve('esbuild'));
      const out = esbuild.transformSync('const fen: number = 1;', { loader: 'ts' }).code;
      if (!out.includes('const fen = 1')) throw new Error(`unexpected output: ${out}`);
      return `esbuild ${esbuild.version} transforms TypeScript`;
    },
  ],
  [
    'rolldown (vite bundles with it)',
    /rolldown/,
    async () => {
      const { rolldown } = await importFrom(fromApps, 'rolldown');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-native-'));
      try {
        fs.writeFileSync(path.join(dir, 'a.js'), 'import { b } from "./b.js"; console.log(b);');
        fs.writeFileSync(path.join(dir, 'b.js'), 'export const b = 42;');
        const bundle = await rolldown({ input: path.join(dir, 'a.js'), logLevel: 'silent' });
        const { output } = await bundle.generate({ format: 'esm' });
        await bundle.close();
        if (!output[0].code.includes('42')) throw new Error('the bundle lost an import');
        return 'bundles two modules';
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  ],
  [
    'lightningcss (vite minifies CSS with it)',
    /lightningcss/,
    async () => {
      const { transform } = await importFrom(fromApps, 'lightningcss');
      const code = Buffer.from('a { color: #ff0000; }');
      const css = transform({ filename: 'a.css', code, minify: true }).code.toString();
      if (css !== 'a{color:red}') throw new Error(`unexpected output: ${css}`);
      return 'minifies CSS';
    },
  ],
  [
    '@electric-sql/pglite (embedded PostgreSQL, WASM)',
    null,
    async () => {
      const { PGlite } = await importFrom(fromServer, '@electric-sql/pglite');
      const db = await PGlite.create();
      try {
        const r = await db.query('select 1 as one');
        if (r.rows[0]?.one !== 1) throw new Error(`select 1 gave ${JSON.stringify(r.rows)}`);
        return 'opens an in-memory database and selects 1';
      } finally {
        await db.close();
      }
    },
  ],
  [
    '@napi-rs/canvas (share posters, with the bundled CJK font)',
    /napi-rs[\\/]canvas/,
    async () => {
      const { posterFonts } = await server('modules/posters/fonts.ts');
      const { renderPoster } = await server('modules/posters/render.ts');
      const fonts = posterFonts();
      if (!fonts.bundled) throw new Error('the bundled Noto Sans Hans (@embedpdf/fonts-sc) did not register');
      const png = renderPoster({
        lang: 'zh',
        title: '海南贵妃芒',
        subtitle: null,
        priceFen: 3990,
        originalPriceFen: null,
        shopName: '鲜果时光',
        badge: 'live',
        cover: null,
        code: { kind: 'qr', text: 'http://127.0.0.1/shop/room/1?share=native01' },
      });
      if (png.readUInt32BE(16) !== 750 || png.readUInt32BE(20) !== 1200) throw new Error('not a 750 × 1200 PNG');
      return `draws a poster with ${path.basename(fonts.bundled)}`;
    },
  ],
  [
    'bundled ffmpeg (@ffmpeg-installer/ffmpeg)',
    null,
    async () => {
      const { bundledFfmpeg, locateFfmpeg } = await server('modules/media/ffmpeg-locate.ts');
      const bin = bundledFfmpeg();
      if (!bin) throw new Error('@ffmpeg-installer/ffmpeg has no build for this platform installed');
      let executable = true;
      try {
        fs.accessSync(bin.path, fs.constants.X_OK);
      } catch {
        executable = false;
      }
      const r = await locateFfmpeg('bundled');
      if (!r.found) throw new Error(r.reason);
      const how = executable ? 'executable as installed' : 'installed without its x bit; the lookup set it';
      return `${r.found.package} runs -version: ${r.found.version}, ${how} (${path.relative(root, r.found.path)})`;
    },
  ],
];

function nodeFiles(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) nodeFiles(full, found);
    else if (entry.name.endsWith('.node')) found.push(full);
  }
  return found;
}
const files = nodeFiles(path.join(root, 'node_modules'));
const coveredBy = (covers) => (covers ? files.filter((f) => covers.test(f)).map((f) => path.relative(root, f)) : []);
// Any other native addon: it must at least load on this platform.
const others = files.filter((f) => !checks.some(([, covers]) => covers?.test(f)));
const loadOnly = (file) => async () => {
  createRequire(import.meta.url)(file);
  return 'loads';
};
const all = [
  ...checks.map(([name, covers, fn]) => [
    name,
    async () => {
      const covered = coveredBy(covers);
      return `${await fn()}${covered.length ? ` [${covered.join(', ')}]` : ''}`;
    },
  ]),
  ...others.map((file) => [path.relative(root, file), loadOnly(file)]),
];

const only = process.argv.indexOf('--only');
if (only > 0) {
  // One check in this process: a native crash (SIGSEGV) then takes down only this child.
  const [, fn] = all[Number(process.argv[only + 1])];
  try {
    process.stdout.write(await fn());
    process.exit(0);
  } catch (err) {
    process.stdout.write(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
}

let failed = 0;
for (const [i, [name]] of all.entries()) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--only', String(i)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
  });
  const ok = r.status === 0;
  const detail = r.signal ? `crashed (${r.signal}) ${r.stdout}` : r.stdout.trim() || `exit ${r.status}`;
  if (!ok) failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail} (${Date.now() - started} ms)\n`);
}
const tail = failed ? `, ${failed} FAILED` : '';
process.stdout.write(`Native modules: ${all.length - failed} of ${all.length} loaded and exercised${tail}\n`);
process.exit(failed ? 1 : 0);
