// Every error code the server can answer with, read from its source: the code argument of each
// error constructor (AppError, badRequest, conflict, notFound, …), every `code: 'X'` property and
// `code = 'X'` default. A code argument that is an expression is accepted only if it passes on a
// code made elsewhere (err.code, …) or its site is listed in DYNAMIC_SITES with the codes it makes.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../src');

/** Error constructors and the index of their code argument (absent: the constructor's default). */
const CONSTRUCTORS: Record<string, number> = {
  'new AppError': 1,
  badRequest: 0,
  conflict: 0,
  unprocessable: 0,
  unauthorized: 0,
  errorBody: 0,
  forbidden: 1,
  notFound: 1,
  tooManyRequests: 3,
  'new NotificationRejected': 1,
};
/** Code arguments that hand on a code decided somewhere the scan already sees. */
const PASS_THROUGH = new Set(['code', 'err.code', 'mapped.code', 'user.code', 'parsed.code', 'e.code']);
/** Sites that pick a code at run time, and the codes they can pick (each must appear in the file). */
export const DYNAMIC_SITES: Record<string, { expression: string; codes: string[] }> = {
  'modules/identity/auth-service.ts': {
    expression: 'outcome.error',
    codes: ['REFRESH_TOKEN_REUSED', 'REFRESH_TOKEN_EXPIRED'],
  },
  'platform/errors.ts': {
    expression: 'code',
    codes: ['REQUEST_TIMEOUT', 'HEADERS_TOO_LARGE', 'URI_TOO_LONG', 'BAD_REQUEST'],
  },
};

const CODE = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g;

export interface ScanResult {
  /** code → files (relative to server/src) that emit it. */
  codes: Map<string, Set<string>>;
  /** Code arguments the scan cannot resolve: file:line and the expression. */
  unresolved: string[];
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$|test-support\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The top-level comma-separated arguments of the call whose '(' is at `open`. */
function callArguments(src: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = open + 1;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0) {
        args.push(src.slice(start, i));
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(src.slice(start, i));
      start = i + 1;
    }
  }
  return args;
}

export function scanErrorCodes(root = SRC): ScanResult {
  const codes = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  const add = (code: string, file: string) => {
    if (!codes.has(code)) codes.set(code, new Set());
    codes.get(code)!.add(file);
  };
  // No space before '(' : calls are written that way, and SQL's "on conflict (" is not a call.
  const calls = new RegExp(`(?<![\\w.])(${Object.keys(CONSTRUCTORS).join('|')})\\(`, 'g');
  for (const file of sourceFiles(root)) {
    const rel = path.relative(root, file);
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(calls)) {
      const args = callArguments(src, m.index + m[0].length - 1);
      const arg = args[CONSTRUCTORS[m[1]!]!]?.trim();
      if (arg === undefined || /^\w+:\s*\w+/.test(args[0]?.trim() ?? '')) continue; // absent (a default), or a declaration
      // A literal, or a choice between literals (`long ? 'URI_TOO_LONG' : 'BAD_URL'`).
      const literals = [...arg.matchAll(CODE)].map((l) => l[1]!);
      if (literals.length > 0 || PASS_THROUGH.has(arg)) {
        for (const c of literals) add(c, rel);
        continue;
      }
      const site = DYNAMIC_SITES[rel];
      if (site && site.expression === arg) {
        for (const c of site.codes) add(c, rel);
        continue;
      }
      unresolved.push(`${rel}:${src.slice(0, m.index).split('\n').length} ${m[1]}(… ${arg} …)`);
    }
    for (const m of src.matchAll(/\bcode\s*[:=]\s*'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g)) add(m[1]!, rel);
  }
  return { codes, unresolved };
}
