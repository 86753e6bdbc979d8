// After `vite build`: the JavaScript a shopper downloads before the live room can play (the entry
// chunk, the room page chunk and everything they import statically), gzipped. Budget: 300 KB.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const BUDGET = 300 * 1024;

function closure(keys) {
  const seen = new Set();
  const visit = (k) => { if (seen.has(k)) return; seen.add(k); for (const i of manifest[k]?.imports ?? []) visit(i); };
  keys.forEach(visit);
  return [...seen];
}
const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const room = Object.keys(manifest).find((k) => k.endsWith('pages/Room.tsx'));
const chunks = closure([entry, room]);
let total = 0;
console.log('Live room page, initial JavaScript (gzip):');
for (const k of chunks) {
  const size = gz(manifest[k].file);
  total += size;
  console.log(`  ${manifest[k].file.padEnd(44)} ${kb(size).padStart(9)}`);
}
console.log(`  ${'total'.padEnd(44)} ${kb(total).padStart(9)}   (budget ${kb(BUDGET)}; hls.js loads only where HTTP-FLV cannot play)`);
if (total > BUDGET) { console.error('Over budget'); process.exit(1); }
