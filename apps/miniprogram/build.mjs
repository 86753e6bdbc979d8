#!/usr/bin/env node
// Build the mini-program into dist/ (what WeChat DevTools opens: project.config.json's miniprogramRoot):
// every .ts under src/ is compiled on its own to CommonJS (the mini-program's `require`; imports inside src/ stay
// requires), code it imports from outside src/ (the SDK's Chinese error catalogue) is bundled into that one file,
// everything else (.json, .wxml, .wxss, images) is copied. Then the package sizes are printed and checked against
// WeChat's budget: main package ≤ 2 MB, all packages together ≤ 20 MB (subpackages are the roots in app.json).
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const here = path.dirname(new URL(import.meta.url).pathname);
const src = path.join(here, 'src');
// `--out DIR` builds elsewhere (tests); MP_MAIN_BUDGET / MP_TOTAL_BUDGET (bytes) tighten the budget to test the check.
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(here, 'dist');
const MAIN_BUDGET = Number(process.env.MP_MAIN_BUDGET ?? 2 * 1024 * 1024);
const TOTAL_BUDGET = Number(process.env.MP_TOTAL_BUDGET ?? 20 * 1024 * 1024);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

// A relative import that stays inside src/ remains a require of the compiled file next to it; anything else
// (outside src/) is bundled in.
const keepSrcImports = {
  name: 'keep-src-imports',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (a) => {
      const target = path.resolve(a.resolveDir, a.path);
      return target.startsWith(src + path.sep) ? { path: a.path, external: true } : undefined;
    });
  },
};

fs.rmSync(out, { recursive: true, force: true });
for (const file of walk(src)) {
  const rel = path.relative(src, file);
  if (rel.endsWith('.d.ts')) continue;
  const target = path.join(out, rel.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!rel.endsWith('.ts')) {
    fs.copyFileSync(file, target);
    continue;
  }
  const r = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'cjs',
    target: 'es2017',
    minifySyntax: true,
    charset: 'utf8', // Chinese text as is, not \u escapes (half the bytes)
    logLevel: 'error',
    plugins: [keepSrcImports],
  });
  fs.writeFileSync(target, r.outputFiles[0].text);
}

const app = JSON.parse(fs.readFileSync(path.join(out, 'app.json'), 'utf8'));
const subRoots = (app.subpackages ?? app.subPackages ?? []).map((s) => s.root.replace(/\/?$/, '/'));
const sizes = { main: 0, total: 0, sub: Object.fromEntries(subRoots.map((r) => [r, 0])) };
for (const file of walk(out)) {
  const rel = path.relative(out, file).split(path.sep).join('/');
  const n = fs.statSync(file).size;
  sizes.total += n;
  const root = subRoots.find((r) => rel.startsWith(r));
  if (root) sizes.sub[root] += n;
  else sizes.main += n;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
process.stdout.write(`mini-program built into ${path.relative(process.cwd(), out) || out}\n`);
process.stdout.write(`  main package: ${kb(sizes.main)} (budget ${kb(MAIN_BUDGET)})\n`);
for (const [root, n] of Object.entries(sizes.sub)) process.stdout.write(`  subpackage ${root}: ${kb(n)}\n`);
process.stdout.write(`  total: ${kb(sizes.total)} (budget ${kb(TOTAL_BUDGET)})\n`);
if (sizes.main > MAIN_BUDGET || sizes.total > TOTAL_BUDGET) {
  process.stderr.write(`over the package budget (main ${kb(MAIN_BUDGET)}, total ${kb(TOTAL_BUDGET)})\n`);
  process.exit(1);
}
