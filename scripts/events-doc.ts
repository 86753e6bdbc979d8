#!/usr/bin/env -S npx tsx
// docs/events.md from the modules' event declarations (server/src/modules/*/events.ts).
//   npx tsx scripts/events-doc.ts          write it
//   npx tsx scripts/events-doc.ts --check  fail when it is out of date (npm test runs this)
import fs from 'node:fs';
import path from 'node:path';
import { modules } from '../server/src/modules/index.ts';
import { renderEventsDoc } from '../server/src/platform/events/docs.ts';

const file = path.resolve(import.meta.dirname, '../docs/events.md');
const wanted = renderEventsDoc(modules);
if (process.argv.includes('--check')) {
  const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (have !== wanted) {
    console.error('docs/events.md does not match the event declarations: run `npx tsx scripts/events-doc.ts`');
    process.exit(1);
  }
  console.log('docs/events.md matches the event declarations');
} else {
  fs.writeFileSync(file, wanted);
  console.log(`wrote docs/events.md (${modules.reduce((n, m) => n + Object.keys(m.events ?? {}).length, 0)} events)`);
}
