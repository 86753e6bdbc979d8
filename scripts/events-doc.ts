#!/usr/bin/env -S npx tsx
// docs/events.md from the modules' event declarations (server/src/modules/*/events.ts), with the
// handlers subscribed to each event as the code has them (every ctx.events.subscribe({ name, events })).
//   npx tsx scripts/events-doc.ts          write it
//   npx tsx scripts/events-doc.ts --check  fail when it is out of date (npm test runs this)
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { modules } from '../server/src/modules/index.ts';
import { renderEventsDoc } from '../server/src/platform/events/docs.ts';

const file = path.resolve(import.meta.dirname, '../docs/events.md');
const src = path.resolve(import.meta.dirname, '../server/src');

/** Event name → handler names, from every `.subscribe({ name: '…', events: ['…'] })` in production code. */
function subscribers(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const files = (fs.readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const f of files) {
    const text = fs.readFileSync(path.join(src, f), 'utf8');
    if (!text.includes('.subscribe(')) continue;
    const visit = (node: ts.Node): void => {
      const arg = ts.isCallExpression(node) ? node.arguments[0] : undefined;
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'subscribe' &&
        arg &&
        ts.isObjectLiteralExpression(arg)
      ) {
        const prop = (key: string) =>
          arg.properties.find(
            (p): p is ts.PropertyAssignment =>
              ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key,
          )?.initializer;
        const name = prop('name');
        const events = prop('events');
        if (name && ts.isStringLiteral(name) && events && ts.isArrayLiteralExpression(events)) {
          for (const e of events.elements) {
            if (ts.isStringLiteral(e)) found.set(e.text, [...(found.get(e.text) ?? []), name.text].sort());
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true));
  }
  return found;
}

const wanted = renderEventsDoc(modules, subscribers());
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
