// npm test step "i18n": the web apps' texts are complete in both languages, by machine.
//  1. Every key the shop and the console use (t('…'), and key-shaped literals the code passes to t
//     later) exists in Chinese and in English; both languages have the same keys.
//  2. Every value of the server's enums that the apps label (OpenAPI unions, or the server's own
//     union types for the few that the OpenAPI document only calls strings) has both names.
//  3. Every pattern of the server's Chinese texts (packages/sdk/src/server-text.ts) matches its
//     example, renders it back unchanged in Chinese and leaves no Chinese in English but the names.
//  4. No Chinese text is written into the apps' code outside their catalogues (comments aside).
// Run: npx tsx scripts/i18n-check.ts
import fs from 'node:fs';
import path from 'node:path';
import { enumsEn } from '../packages/sdk/src/enums-en.ts';
import { enumsZh } from '../packages/sdk/src/enums-zh.ts';
import { serverTextEn, serverTextZh } from '../packages/sdk/src/server-text-catalogue.ts';
import { renderServerText, SERVER_PATTERNS, SERVER_PHRASES } from '../packages/sdk/src/server-text.ts';
import { en as adminEn } from '../web/admin/src/locales/en.ts';
import { zh as adminZh } from '../web/admin/src/locales/zh.ts';
import { en as shopEn } from '../web/shop/src/locales/en.ts';
import { zh as shopZh } from '../web/shop/src/locales/zh.ts';

const root = path.resolve(import.meta.dirname, '..');
const failures: string[] = [];
const fail = (what: string) => failures.push(what);
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

type Tree = { [k: string]: string | Tree };
const flatten = (t: Tree, prefix = ''): Map<string, string> =>
  new Map(
    Object.entries(t).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v] as const] : [...flatten(v, `${prefix}${k}.`)],
    ),
  );

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'locales' ? [] : files(p);
    return /\.tsx?$/.test(d.name) ? [p] : [];
  });
}
/** Source without comments (a // inside a string such as a URL is kept: it follows a quote or a colon). */
const uncommented = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

// 1. Keys used by each app exist in both languages.
const apps = [
  { name: 'shop', dir: 'web/shop/src', zh: flatten(shopZh), en: flatten(shopEn as Tree) },
  { name: 'console', dir: 'web/admin/src', zh: flatten(adminZh), en: flatten(adminEn as Tree) },
];
let keysUsed = 0;
for (const app of apps) {
  for (const [a, b, la, lb] of [
    [app.zh, app.en, 'zh', 'en'],
    [app.en, app.zh, 'en', 'zh'],
  ] as const) {
    for (const k of a.keys()) if (!b.has(k)) fail(`${app.name}: ${k} is in ${la} but not in ${lb}`);
  }
  const groups = new Set([...app.zh.keys()].map((k) => k.split('.')[0]!));
  const used = new Map<string, string>();
  for (const file of files(path.join(root, app.dir))) {
    const rel = path.relative(root, file);
    const lines = uncommented(fs.readFileSync(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      const at = `${rel}:${i + 1}`;
      for (const m of line.matchAll(/\bt\(\s*(['"`])((?:(?!\1).)*)\1/g)) {
        const key = m[2]!;
        if (m[1] === '`' && key.includes('${')) {
          // A key built at run time names a whole group: the group must exist (both languages have the same keys).
          const prefix = key.slice(0, key.indexOf('${'));
          if (![...app.zh.keys()].some((k) => k.startsWith(prefix))) fail(`${at}: no keys under ${prefix}…`);
          continue;
        }
        used.set(key, at);
      }
      // Keys kept in data and passed to t() later ('tabs.home' in a menu): key-shaped literals of a known group.
      if (/\bcase\s+'/.test(line)) return; // realtime frame types ('room.live') are not keys
      for (const m of line.matchAll(/'([a-z][a-zA-Z]*(?:\.[a-zA-Z0-9_]+)+)'/g)) {
        if (groups.has(m[1]!.split('.')[0]!) && !line.includes('f.type')) used.set(m[1]!, at);
      }
    });
  }
  for (const [key, at] of used) {
    for (const [lang, cat] of [
      ['zh', app.zh],
      ['en', app.en],
    ] as const) {
      if (!cat.get(key)?.trim()) fail(`${at}: ${app.name} key ${key} has no ${lang} text`);
    }
  }
  const unused = [...app.zh.keys()].filter((k) => !used.has(k) && ![...used.keys()].some((u) => k.startsWith(`${u}.`)));
  console.log(
    `${app.name}: ${app.zh.size} keys in each language, ${used.size} used by the code` +
      (unused.length ? ` (not seen used, possibly built at run time: ${unused.join(', ')})` : ''),
  );
  keysUsed += used.size;
}

// 2. Every enum value the apps label has a name in both languages.
const openapi = JSON.parse(fs.readFileSync(path.join(root, 'packages/sdk/openapi.json'), 'utf8'));
const at = (pointer: string): unknown =>
  pointer
    .split('/')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k.replaceAll('~1', '/')], openapi);
const union = (pointer: string): string[] => {
  const s = at(pointer) as { anyOf?: Array<{ enum?: string[] }>; enum?: string[] } | undefined;
  const values = s?.anyOf?.flatMap((x) => x.enum ?? []) ?? s?.enum ?? [];
  if (!values.length) fail(`enums: no union at ${pointer} in packages/sdk/openapi.json (moved?)`);
  return values;
};
const body = (p: string, m = 'post') =>
  `paths/${p.replaceAll('/', '~1')}/${m}/requestBody/content/application~1json/schema/properties`;
const ok200 = (p: string) => `paths/${p.replaceAll('/', '~1')}/get/responses/200/content/application~1json/schema`;
const param = (p: string, name: string) => {
  const list = at(`paths/${p.replaceAll('/', '~1')}/get/parameters`) as
    | Array<{ name: string; schema: unknown }>
    | undefined;
  const i = list?.findIndex((x) => x.name === name) ?? -1;
  return `paths/${p.replaceAll('/', '~1')}/get/parameters/${i}/schema`;
};
/** A union type the server declares in TypeScript: `name: 'a' | 'b'` or `status: Generated<'a' | 'b'>`. */
const serverUnion = (file: string, before: RegExp): string[] => {
  const src = fs.readFileSync(path.join(root, 'server/src/modules', file), 'utf8');
  // The union may be wrapped over lines by the formatter (`=\n  | 'a'\n  | 'b'`).
  const m = new RegExp(`${before.source}[^';]*?((?:'[a-z_]+'\\s*\\|?\\s*)+)`).exec(src);
  if (!m) fail(`enums: ${before} not found in server/src/modules/${file} (moved?)`);
  return [...(m?.[1] ?? '').matchAll(/'([a-z_]+)'/g)].map((x) => x[1]!);
};
const merchant = '/api/merchants/{merchantId}';
const ENUM_SOURCES: Record<keyof typeof enumsZh, () => string[]> = {
  orderStatus: () => union('components/schemas/OrderSummary/properties/status'),
  refundStatus: () => union('components/schemas/OrderDetail/properties/refundStatus'),
  aftersaleStatus: () => union('components/schemas/Aftersale/properties/status'),
  aftersaleType: () => union(`${body('/api/orders/{orderId}/aftersales')}/type`),
  roomStatus: () => union(`${ok200('/api/rooms')}/items/properties/status`),
  roomVisibility: () => union(`${body(`${merchant}/rooms`)}/visibility`),
  role: () => union('components/schemas/Staff/properties/role'),
  merchantStatus: () => union('components/schemas/Merchant/properties/status'),
  productStatus: () => union('components/schemas/ProductDetail/properties/status'),
  couponKind: () => union(`${body(`${merchant}/coupons`)}/kind`),
  couponChannel: () => union(`${body(`${merchant}/coupons`)}/channels/items`),
  couponFunding: () => union('components/schemas/Quote/properties/coupons/items/properties/funding'),
  campaignStatus: () => union(`${body(`${merchant}/coupons/{templateId}/status`)}/status`),
  promotionKind: () => union(`${body(`${merchant}/promotions`)}/kind`),
  flashState: () => union(`${ok200('/api/flash-sales')}/items/properties/state`),
  groupStatus: () => serverUnion('marketing/tables.ts', /group_buy_groups: \{[^}]*?status: Generated</),
  bargainStatus: () => serverUnion('marketing/tables.ts', /bargains: \{[^}]*?status: Generated</),
  stockReason: () => serverUnion('inventory/tables.ts', /type LedgerReason =/),
  pointsReason: () =>
    [
      ...fs
        .readFileSync(path.join(root, 'server/src/modules/marketing/points-service.ts'), 'utf8')
        .matchAll(/this\.change\([^;'`]*'([a-z_]+)'/g),
    ].map((m) => m[1]!),
  segment: () => union(param(`${merchant}/customers`, 'segment')),
  wordAction: () => union(`${body(`${merchant}/sensitive-words`)}/words/items/properties/action`),
  chatReportStatus: () => serverUnion('interaction/tables.ts', /chat_reports: \{[^}]*?status: Generated</),
  runStatus: () => union('components/schemas/ReconciliationRun/properties/status'),
  runTrigger: () => serverUnion('reconciliation/tables.ts', /type RunTrigger =/),
  checkStatus: () => union('components/schemas/ReconciliationReport/properties/checks/items/properties/status'),
  funnelStage: () => union(`${ok200(`${merchant}/analytics/rooms/{roomId}`)}/properties/funnel/items/properties/stage`),
  alertMetric: () => union(`${ok200(`${merchant}/alert-rules`)}/items/properties/metric`),
  experimentStatus: () => union(`${ok200(`${merchant}/experiments`)}/items/properties/status`),
  experimentGoal: () => union(`${body(`${merchant}/experiments`)}/goal`),
  reportBy: () => union(param(`${merchant}/analytics/report`, 'by')),
  inviteState: () => ['valid', 'expired', 'revoked'], // worked out in the console from revokedAt / expiresAt
};
let enumValues = 0;
for (const [group, source] of Object.entries(ENUM_SOURCES)) {
  const values = source();
  if (!values.length) fail(`enums.${group}: found no values to check`);
  for (const v of values) {
    enumValues++;
    for (const [lang, cat] of [
      ['zh', enumsZh],
      ['en', enumsEn],
    ] as const) {
      if (!(cat as Record<string, Record<string, string>>)[group]?.[v]?.trim())
        fail(`enums.${group}.${v} has no ${lang} name`);
    }
  }
}

// 3. The server's Chinese texts: each pattern matches its example first, renders it back, leaves no Chinese in English.
const render = (cat: Record<string, string>) => (text: string) =>
  renderServerText(
    (key, vars) =>
      (cat[key.replace(/^server:/, '')] ?? `<missing ${key}>`).replace(
        /\{\{(\w+)\}\}/g,
        (_, v: string) => vars?.[v] ?? '',
      ),
    text,
  );
const [asZh, asEn] = [render(serverTextZh), render(serverTextEn as Record<string, string>)];
const NAMES = ['name', 'sku', 'province'];
for (const p of SERVER_PATTERNS) {
  const first = SERVER_PATTERNS.find((q) => q.re.test(p.example));
  if (first !== p) fail(`server text ${p.key}: its example "${p.example}" is taken by ${first?.key ?? 'no pattern'}`);
  if (asZh(p.example) !== p.example)
    fail(`server text ${p.key}: "${p.example}" renders in Chinese as "${asZh(p.example)}"`);
  const names = NAMES.flatMap((n) => p.re.exec(p.example)?.groups?.[n] ?? []);
  const english = names.reduce((s, n) => s.replaceAll(n.trim(), ''), asEn(p.example));
  if (CJK.test(english) || english.includes('<missing')) fail(`server text ${p.key}: English "${asEn(p.example)}"`);
}
for (const [phrase, key] of Object.entries(SERVER_PHRASES)) {
  if (serverTextZh[key as keyof typeof serverTextZh] !== phrase)
    fail(`server phrase ${key}: Chinese is not "${phrase}"`);
  if (CJK.test(asEn(phrase))) fail(`server phrase ${key}: English "${asEn(phrase)}"`);
}

// 4. No Chinese written into the apps' code outside the catalogues.
let sources = 0;
for (const app of apps) {
  for (const file of files(path.join(root, app.dir))) {
    sources++;
    uncommented(fs.readFileSync(file, 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        if (CJK.test(line))
          fail(`${path.relative(root, file)}:${i + 1}: Chinese text outside the catalogue: ${line.trim()}`);
      });
  }
}

// 5. No emoji in the apps' interface (code, catalogues, the player): without a colour-emoji font they render as
//    empty boxes, so the apps draw icons from an icon set (antd-mobile-icons, @ant-design/icons) instead.
const EMOJI = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]|\u{FE0F}/u;
const uiFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return uiFiles(p);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
let emojiChecked = 0;
for (const dir of [...apps.map((a) => a.dir), 'packages/player/src']) {
  for (const file of uiFiles(path.join(root, dir))) {
    emojiChecked++;
    uncommented(fs.readFileSync(file, 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        const m = EMOJI.exec(line);
        if (m) fail(`${path.relative(root, file)}:${i + 1}: emoji "${m[0]}" in the interface: use an icon`);
      });
  }
}

console.log(
  `i18n: ${keysUsed} keys used, ${enumValues} enum values, ${SERVER_PATTERNS.length} server-text patterns and ` +
    `${Object.keys(SERVER_PHRASES).length} phrases, ${sources} source files checked, ${emojiChecked} for emoji`,
);
for (const f of failures) console.error(`  FAIL ${f}`);
console.log(`${failures.length ? 0 : 1} passed, ${failures.length ? 1 : 0} failed`);
process.exit(failures.length ? 1 : 0);
