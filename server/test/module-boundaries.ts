// Finds every place a module's production code queries a table another module owns.
// Ownership comes from the migrations (`create table` in modules/<m>/migrations/*.sql; the platform's
// in platform/db/migrations). A module's queries are its Kysely calls (selectFrom, joins, updateTable…)
// and its raw SQL (sql`…`, sql.raw, sql.table/ref/id). module-boundaries.test.ts (npm test) allows none
// but the auditor's reads (AUDITOR below). Run directly for the counts:
//   npx tsx server/test/module-boundaries.ts [--list]
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ForeignAccess {
  /** Path relative to server/src. */
  file: string;
  line: number;
  module: string;
  table: string;
  owner: string;
  write: boolean;
  text: string;
  /** Set when the access is one the rules allow (the auditor's reads): the rule's name. */
  allowedBy?: string;
}

/**
 * The one exception: reconciliation (对账) checks read other modules' tables, and only read them.
 * An auditor that checked the books through the services it audits would trust the code it audits:
 * a bug in OrderQueries or PointsService would report itself as balanced. So the checks in
 * modules/reconciliation/checks/ query the tables directly, as the owners wrote them, and never
 * write (a check that fixed what it found would hide it). Everything else in reconciliation, and any
 * write anywhere, follows the ordinary rule. A check of one module's own books belongs in that module
 * (ctx.reconcile.register, e.g. inventory/reconcile.ts); the checks here compare two or more modules.
 */
export const AUDITOR = {
  name: 'auditor reads (reconciliation checks)',
  module: 'reconciliation',
  folder: 'modules/reconciliation/checks/',
};

function allowedBy(a: Omit<ForeignAccess, 'allowedBy'>): string | undefined {
  if (a.write) return undefined;
  return a.module === AUDITOR.module && a.file.startsWith(AUDITOR.folder) ? AUDITOR.name : undefined;
}

const TABLE_CALLS = new Map<string, boolean>([
  ['selectFrom', false],
  ['innerJoin', false],
  ['leftJoin', false],
  ['rightJoin', false],
  ['fullJoin', false],
  ['crossJoin', false],
  ['innerJoinLateral', false],
  ['leftJoinLateral', false],
  ['crossJoinLateral', false],
  ['from', false],
  ['using', false],
  ['updateTable', true],
  ['insertInto', true],
  ['deleteFrom', true],
  ['replaceInto', true],
  ['mergeInto', true],
]);
// In raw SQL: the word before a table name, and whether it writes. An alias is any word but a keyword
// (`from c join users u`: `join` starts the next table, it is not c's alias).
const KEYWORDS =
  'join|inner|left|right|full|cross|natural|lateral|on|where|group|order|limit|offset|union|set|values' +
  '|returning|using|having|window|for|select|as|and|or|not|into|from|except|intersect|fetch';
const ALIAS = String.raw`(?:\s+(?:as\s+)?(?!(?:${KEYWORDS})\b)[a-z_]\w*)?`;
const NAME = String.raw`"?[a-z_]\w*"?${ALIAS}`;
const SQL_TABLE = new RegExp(
  String.raw`\b(delete\s+from|insert\s+into|merge\s+into|update|from|join|using)\s+(?:only\s+)?"?([a-z_]\w*)"?` +
    String.raw`(${ALIAS}(?:\s*,\s*${NAME})*)`,
  'gi',
);
const SQL_WRITES = /^(delete|insert|merge|update)/i;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** table name → owning module ('platform' for the platform's tables). */
export function tableOwners(srcRoot: string): Map<string, string> {
  const owners = new Map<string, string>();
  const sqlFiles = [
    ...walk(path.join(srcRoot, 'modules')),
    ...walk(path.join(srcRoot, 'platform/db/migrations')),
  ].filter((f) => f.endsWith('.sql'));
  for (const f of sqlFiles) {
    const owner = moduleOf(srcRoot, f) ?? 'platform';
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?"?(\w+)/gi)) {
      owners.set(m[1]!.toLowerCase(), owner);
    }
  }
  return owners;
}

function moduleOf(srcRoot: string, file: string): string | undefined {
  const rel = path.relative(path.join(srcRoot, 'modules'), file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** Production code: not tests, not test support (a file that loads the test harness or fast-check cannot ship). */
export function isProductionFile(file: string, source: string): boolean {
  const base = path.basename(file);
  if (!file.endsWith('.ts') || base.endsWith('.test.ts') || base.startsWith('test-support')) return false;
  return !/from\s+'(?:[./]+\/test\/[^']*|vitest|fast-check)'/.test(source);
}

function firstWord(s: string): string {
  return s.trim().split(/\s+/)[0]!.replace(/"/g, '').toLowerCase();
}

/** The table names a source file's queries touch, with line numbers and whether each one writes. */
export function tablesReferenced(source: string, fileName = 'x.ts'): { line: number; table: string; write: boolean }[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const out: { line: number; table: string; write: boolean }[] = [];
  const at = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const stringsOf = (arg: ts.Expression | undefined): ts.StringLiteralLike[] => {
    if (!arg) return [];
    if (ts.isStringLiteralLike(arg)) return [arg];
    if (ts.isArrayLiteralExpression(arg)) return arg.elements.filter(ts.isStringLiteralLike);
    return [];
  };
  const scanSqlText = (text: string, node: ts.Node, lineOffset = 0) => {
    const clean = text.replace(/--[^\n]*/g, (c) => ' '.repeat(c.length));
    for (const m of clean.matchAll(SQL_TABLE)) {
      const line = at(node) + lineOffset + (clean.slice(0, m.index).match(/\n/g)?.length ?? 0);
      const write = SQL_WRITES.test(m[1]!);
      out.push({ line, table: m[2]!.toLowerCase(), write });
      // `from a x, b y`: every table in a comma list.
      for (const extra of (m[3] ?? '').split(',').slice(1)) out.push({ line, table: firstWord(extra), write });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const target = node.expression.expression.getText(sf);
      if (TABLE_CALLS.has(name)) {
        for (const s of stringsOf(node.arguments[0])) {
          out.push({ line: at(s), table: firstWord(s.text), write: TABLE_CALLS.get(name)! });
        }
      } else if (target === 'sql' && (name === 'table' || name === 'id' || name === 'ref')) {
        for (const s of stringsOf(node.arguments[0])) {
          out.push({ line: at(s), table: firstWord(s.text.split('.')[0]!), write: false });
        }
      } else if (target === 'sql' && name === 'raw') {
        const arg = node.arguments[0];
        for (const s of stringsOf(arg)) scanSqlText(s.text, s);
        if (arg && ts.isTemplateExpression(arg)) {
          scanSqlText(arg.head.text, arg.head);
          for (const span of arg.templateSpans) scanSqlText(span.literal.text, span.literal);
        }
      }
    }
    if (ts.isTaggedTemplateExpression(node) && /^sql\b/.test(node.tag.getText(sf))) {
      const tpl = node.template;
      if (ts.isNoSubstitutionTemplateLiteral(tpl)) scanSqlText(tpl.text, tpl);
      else {
        scanSqlText(tpl.head.text, tpl.head);
        for (const span of tpl.templateSpans) scanSqlText(span.literal.text, span.literal);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Every query in modules/<m>/** (production code) on a table that another module or the platform owns. */
export function foreignAccesses(srcRoot: string): ForeignAccess[] {
  const owners = tableOwners(srcRoot);
  const found: ForeignAccess[] = [];
  for (const file of walk(path.join(srcRoot, 'modules')).sort()) {
    const module = moduleOf(srcRoot, file);
    if (!module || !file.endsWith('.ts')) continue;
    const source = fs.readFileSync(file, 'utf8');
    if (!isProductionFile(file, source)) continue;
    const lines = source.split('\n');
    const seen = new Set<string>();
    for (const ref of tablesReferenced(source, file)) {
      const owner = owners.get(ref.table);
      if (!owner || owner === module) continue;
      const key = `${ref.line}:${ref.table}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const access = {
        file: path.relative(srcRoot, file),
        line: ref.line,
        module,
        table: ref.table,
        owner,
        write: ref.write,
        text: lines[ref.line - 1]!.trim(),
      };
      const rule = allowedBy(access);
      found.push(rule ? { ...access, allowedBy: rule } : access);
    }
  }
  return found;
}

/** The accesses no rule allows: what the test fails on. */
export function violations(found: ForeignAccess[]): ForeignAccess[] {
  return found.filter((f) => !f.allowedBy);
}

/** One line per access, as the test and --list print it. */
export function describeAccess(f: ForeignAccess): string {
  const note = f.write ? ' (WRITE)' : f.allowedBy ? ` [${f.allowedBy}]` : '';
  return `${f.file}:${f.line}  ${f.module} → ${f.owner}.${f.table}${note}  ${f.text}`;
}

/** Distinct lines, files and writing lines; `platform` counts the platform's tables queried from modules. */
export function summarise(found: ForeignAccess[]) {
  const count = (list: ForeignAccess[]) => ({
    lines: new Set(list.map((f) => `${f.file}:${f.line}`)).size,
    files: new Set(list.map((f) => f.file)).size,
    writes: new Set(list.filter((f) => f.write).map((f) => `${f.file}:${f.line}`)).size,
  });
  return {
    modules: count(found.filter((f) => f.owner !== 'platform')),
    platform: count(found.filter((f) => f.owner === 'platform')),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const srcRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src');
  const found = foreignAccesses(srcRoot);
  const print = (label: string, list: ForeignAccess[]) => {
    const { modules: m, platform: p } = summarise(list);
    console.log(
      `${label}: another module's tables: ${m.lines} lines in ${m.files} files (${m.writes} writing); ` +
        `the platform's tables: ${p.lines} lines in ${p.files} files (${p.writes} writing)`,
    );
  };
  print('not allowed', violations(found));
  print(
    `allowed (${AUDITOR.name})`,
    found.filter((f) => f.allowedBy),
  );
  if (process.argv.includes('--list')) for (const f of found) console.log(describeAccess(f));
}
