// Requests for one OpenAPI operation, as a fast-check arbitrary: path, query, headers, caller and
// body made from the operation's schemas. A request is sent in one of four shapes: `valid` (what
// the schemas allow, with the fuzz shop's real ids where a name matches, so it gets past the guard
// into the service), `fields` (any field, parameter or header may be wrong), `transport` (the
// body itself is wrong: empty, malformed or deeply nested JSON, an array or a scalar where an
// object goes, another content type, a prototype-pollution key, or far too large) or `baseline`
// (the tenancy sweep's accepted request, with one field at most swapped for a wrong or extreme value).
import fc from 'fast-check';
import { resolve, type Operation } from '../tenancy/requests.ts';
import { invalidValue, rawText, unraw, fuzzValue, type Json, type Schema, type ValueOptions } from './values.ts';

export type Caller = 'anonymous' | 'shopper' | 'owner' | 'admin' | 'garbage';
export type { Operation };
/** Real values for a name, read with what comes before it (see ValueOptions.known). */
export type Known = (op: Operation, name: string, parent: string) => Json[] | undefined;

/**
 * The tenancy sweep's request for an operation with the fuzz shop's own ids (its buildRequest:
 * required fields with plausible values, so most are accepted), made afresh for each use.
 */
export type Baseline = (op: Operation) => { url: string; body?: Json; headers: Record<string, string> };

export interface FuzzRequest {
  shape: 'valid' | 'fields' | 'transport' | 'baseline';
  caller: Caller;
  url: string;
  headers: Record<string, string>;
  /** The exact bytes sent (already serialised), or none. */
  body?: string;
}

/** Who the route guard lets in: public, user, operator, platform_admin, or merchant (a shop role). */
export const accessOf = (op: Operation) => (typeof op.access === 'string' ? op.access : 'merchant');
/** Uploads and imports: the document names no body (the route reads the multipart stream itself). */
const isMultipart = (op: Operation) => !op.body && /multipart/i.test(op.summary);

/** The caller a request most likely needs to reach the service, and the others now and then. */
function callerFor(op: Operation): fc.Arbitrary<Caller> {
  const access = accessOf(op);
  const natural: Caller = access === 'merchant' ? 'owner' : access === 'platform_admin' ? 'admin' : 'shopper';
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(natural) },
    { weight: 1, arbitrary: fc.constantFrom<Caller>('anonymous', 'shopper', 'owner', 'admin', 'garbage') },
  );
}

const LONG_SEGMENT = '9'.repeat(120);
/** What a path segment can be besides a schema value: too long, bad encoding, traversal, unicode. */
const BAD_SEGMENTS = [
  LONG_SEGMENT,
  'x'.repeat(300),
  '%00',
  '%E0%A4%A',
  '..%2F..%2Fetc',
  '%2F',
  '中文',
  '-1',
  '0',
  '1.5',
  '1e400',
  'Infinity',
  '99999999999999999999999',
  ' ',
  '%20',
  "'",
  '%ff%fe',
];

/** encodeURIComponent refuses lone surrogates: send them as the invalid UTF-8 they would be. */
const encode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
};

const TRANSPORT_BODIES: Array<{ type?: string; body: string }> = [
  { type: 'application/json', body: '' },
  { type: 'application/json', body: '{' },
  { type: 'application/json', body: '{"a":' },
  { type: 'application/json', body: '[1,]' },
  { type: 'application/json', body: '{"a":1}garbage' },
  { type: 'application/json', body: 'nul' },
  { type: 'application/json', body: '\u0000' },
  { type: 'application/json', body: 'null' },
  { type: 'application/json', body: '"text"' },
  { type: 'application/json', body: '42' },
  { type: 'application/json', body: '[]' },
  { type: 'application/json', body: '[{}]' },
  { type: 'application/json', body: '{"__proto__":{"polluted":true}}' },
  { type: 'application/json', body: '{"constructor":{"prototype":{"polluted":true}}}' },
  { type: 'application/json', body: `${'['.repeat(3_000)}${']'.repeat(3_000)}` },
  { type: 'application/json', body: `{"a":"${'x'.repeat(3_000_000)}"}` },
  { type: 'application/json; charset=utf-16', body: '{}' },
  { type: 'text/plain', body: '{}' },
  { type: 'application/x-www-form-urlencoded', body: 'a=1&b=%00' },
  { type: 'multipart/form-data', body: 'garbage' },
  { type: 'multipart/form-data; boundary=XX', body: '--XX\r\nContent-Disposition: form-data; name="file"\r\n\r\nab' },
  { type: 'application/xml', body: '<a/>' },
  { type: 'application/octet-stream', body: '\u0000\u0001\u0002' },
  { body: '{"a":1}' },
];

export function requestArbitrary(
  doc: Schema,
  op: Operation,
  known: Known,
  baseline: Baseline,
): fc.Arbitrary<FuzzRequest> {
  const shape = fc.constantFrom<FuzzRequest['shape']>('valid', 'valid', 'fields', 'fields', 'transport', 'baseline');
  return shape.chain((s) => {
    if (s === 'baseline') return baselineArbitrary(op, baseline);
    const o: ValueOptions = {
      resolve: (schema) => resolve(doc, schema),
      known: (name, parent) => known(op, name, parent),
      mutate: s === 'fields',
    };
    const path = pathArbitrary(op, o, s === 'fields');
    const query = queryArbitrary(op, o);
    const headers = fc.record(Object.fromEntries(op.headers.map((h) => [h, fc.constantFrom('*', '"0"', 'W/"x"', '')])));
    const body = bodyArbitrary(op, o, s);
    return fc.record({ caller: callerFor(op), path, query, headers, body }).map((r) => {
      const headerMap: Record<string, string> = { ...(r.headers as Record<string, string>) };
      if (r.body?.type) headerMap['content-type'] = r.body.type;
      const qs = r.query ? `?${r.query}` : '';
      return {
        shape: s,
        caller: r.caller,
        url: r.path + qs,
        headers: headerMap,
        ...(r.body && r.body.body !== undefined ? { body: r.body.body } : {}),
      };
    });
  });
}

function pathArbitrary(op: Operation, o: ValueOptions, mutate: boolean): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'path');
  const before = (name: string) => {
    const at = op.path.split('/');
    return at[at.indexOf(`{${name}}`) - 1] ?? '';
  };
  const segments = params.map((p) => {
    const good = fuzzValue(p.schema, p.name, { ...o, mutate: false }, 0, before(p.name)).map((v) =>
      encode(rawText(String(v))),
    );
    if (!mutate) return good;
    return fc.oneof({ weight: 2, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom(...BAD_SEGMENTS) });
  });
  return fc.tuple(...segments).map((values) => {
    let url = op.path;
    params.forEach((p, i) => {
      url = url.replace(`{${p.name}}`, values[i]!);
    });
    return url;
  });
}

function queryArbitrary(op: Operation, o: ValueOptions): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'query');
  const one = (p: Operation['params'][number]) =>
    fc.option(
      fuzzValue(p.schema, p.name, o, 0, 'query').map((v) =>
        (Array.isArray(v) ? v : [v])
          .map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)))
          .map((item) => `${encode(p.name)}=${encode(rawText(item))}`)
          .join('&'),
      ),
      { nil: '', freq: p.required ? 10 : 2 },
    );
  const extra = o.mutate
    ? fc.constantFrom('', 'unknown=1', 'page=1&page=2', '=', '&&', 'a[b]=c', '%zz=1')
    : fc.constant('');
  return fc.tuple(...params.map(one), extra).map((parts) => parts.filter(Boolean).join('&'));
}

type Body = { type?: string; body?: string } | null;

const part = (name: string, filename: string, type: string, content: string) => ({
  type: 'multipart/form-data; boundary=FUZZ',
  body:
    `--FUZZ\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
    `Content-Type: ${type}\r\n\r\n${content}\r\n--FUZZ--\r\n`,
});
/** Well-formed multipart with files of every kind: a fake PNG, an SVG with script, a CSV, nothing. */
const MULTIPART_BODIES: Body[] = [
  part('file', 'a.png', 'image/png', '\x89PNG\r\n\x1a\nnot really'),
  part('file', 'a.svg', 'image/svg+xml', '<svg onload="alert(1)"/>'),
  part('file', 'p.csv', 'text/csv', 'title,priceFen\n好货,100\n\u0000,1e400\n'),
  part('file', '', 'application/octet-stream', ''),
  part('other', 'a.txt', 'text/plain', 'x'),
  part('file', `${'n'.repeat(5_000)}.png`, 'image/png', 'x'),
];

function bodyArbitrary(op: Operation, o: ValueOptions, shape: FuzzRequest['shape']): fc.Arbitrary<Body> {
  if (op.method === 'GET' || op.method === 'DELETE') return fc.constant(null);
  if (isMultipart(op)) return fc.constantFrom<Body>(...MULTIPART_BODIES, ...TRANSPORT_BODIES);
  if (shape === 'transport') return fc.constantFrom<Body>(...TRANSPORT_BODIES);
  if (!op.body) return fc.constantFrom<Body>(null, { type: 'application/json', body: '{}' });
  return fuzzValue(op.body, '', o).map((v) => ({ type: 'application/json', body: unraw(JSON.stringify(v)) }));
}

/** Where a JSON value has leaves (scalars), as paths of keys and indexes. */
function leaves(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) return v.flatMap((item, i) => leaves(item, [...at, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, item]) => leaves(item, [...at, k]));
  return at.length ? [at] : [];
}

function replaced(v: Json, at: Array<string | number>, value: Json): Json {
  if (!at.length) return value;
  const [head, ...rest] = at;
  if (Array.isArray(v)) return v.map((item, i) => (i === head ? replaced(item, rest, value) : item));
  const o = v as Record<string, Json>;
  return { ...o, [head!]: replaced(o[head!]!, rest, value) };
}

/**
 * A request the service accepts (the sweep's baseline), as it is or with one field swapped for a
 * wrong or extreme value: the odd value meets the service's own code, past the checks that a
 * randomly generated request mostly stops at (an unknown id, a window in the past).
 */
function baselineArbitrary(op: Operation, baseline: Baseline): fc.Arbitrary<FuzzRequest> {
  const odd = fc.oneof(invalidValue({ type: 'integer' }), invalidValue({ type: 'string' }));
  const swap = fc.option(fc.tuple(fc.nat(), odd), { freq: 4 });
  return fc.record({ caller: callerFor(op), swap }).map(({ caller, swap: change }) => {
    const b = baseline(op);
    let body = b.body;
    const at = body === undefined ? [] : leaves(body);
    if (change && body !== undefined && at.length) body = replaced(body, at[change[0] % at.length]!, change[1]);
    const headers = { ...b.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    return {
      shape: 'baseline' as const,
      caller,
      url: b.url,
      headers,
      ...(body === undefined ? {} : { body: unraw(JSON.stringify(body)) }),
    };
  });
}
