// After `vite build`: the gzipped JavaScript a browser downloads before an app's first page shows
// (the entry chunk, the page's chunk and everything they import statically), against a budget.
// Modules meant to load on demand must not be in it: if a change pulls one into the first load,
// this fails. Each app's scripts/size-report.mjs calls it with its page and budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** @param {{ dist: string, title: string, page: string, budgetKb: number, lazy?: string[], note: string }} opts */
export function checkFirstLoad({ dist, title, page, budgetKb, lazy = [], note }) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
  const seen = new Set();
  const visit = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const i of manifest[k]?.imports ?? []) visit(i);
  };
  visit(Object.keys(manifest).find((k) => manifest[k].isEntry));
  visit(Object.keys(manifest).find((k) => k.endsWith(page)));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  let total = 0;
  console.log(`${title}, initial JavaScript (gzip):`);
  for (const k of seen) {
    const size = zlib.gzipSync(fs.readFileSync(path.join(dist, manifest[k].file)), { level: 9 }).length;
    total += size;
    console.log(`  ${manifest[k].file.padEnd(44)} ${kb(size).padStart(9)}`);
  }
  console.log(`  ${'total'.padEnd(44)} ${kb(total).padStart(9)}   (budget ${kb(budgetKb * 1024)}; ${note})`);
  const eager = lazy.filter((src) => [...seen].some((k) => k.includes(src)));
  if (eager.length) {
    console.error(`Loaded up front but meant to load on demand: ${eager.join(', ')}`);
    process.exit(1);
  }
  if (total > budgetKb * 1024) {
    console.error('Over budget');
    process.exit(1);
  }
}
