// Requests made from the OpenAPI document alone: each operation's path, query and JSON body are
// generated from its schemas, and every place an id can go (a "slot": a path or query parameter, a
// body field at any depth, inside arrays and unions) is found, so the sweep can put another
// tenant's id in each one in turn. Field names the schemas cannot explain (a price below the list
// price, a date in the future) get plausible values from HINTS; everything else follows the schema.
import crypto from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = Record<string, any>;
export type Access = string | { merchant: string[]; param?: string };

export interface Operation {
  method: string;
  path: string;
  access: Access;
  summary: string;
  params: Array<{ in: 'path' | 'query'; name: string; required: boolean; schema: Schema }>;
  /** Header parameters (If-Match…): sent with HEADER_HINTS values. */
  headers: string[];
  body?: Schema;
  /** multipart/form-data and other non-JSON bodies: the sweep sends ids in the path only. */
  bodyIsJson: boolean;
}

/** Where an id can go. `key` names the kind of id (see ids.ts); `path` locates it in the request. */
export interface Slot {
  where: 'path' | 'query' | 'body';
  path: string[];
  key: string;
}

export function operations(doc: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        access: op['x-access'] ?? 'public',
        summary: op.summary ?? '',
        params: (op.parameters ?? [])
          .filter((p: Schema) => p.in === 'path' || p.in === 'query')
          .map((p: Schema) => ({ in: p.in, name: p.name, required: Boolean(p.required), schema: p.schema ?? {} })),
        headers: (op.parameters ?? [])
          .filter((p: Schema) => p.in === 'header')
          .map((p: Schema) => String(p.name).toLowerCase()),
        ...(json ? { body: json } : {}),
        bodyIsJson: Boolean(json) || Object.keys(content).length === 0,
      });
    }
  }
  return out;
}

export const resolve = (doc: Schema, s: Schema | undefined): Schema => {
  let cur = s ?? {};
  for (let i = 0; cur.$ref && i < 5; i++) cur = doc.components?.schemas?.[String(cur.$ref).split('/').pop()!] ?? {};
  return cur;
};
const variants = (s: Schema): Schema[] | null => s.anyOf ?? s.oneOf ?? null;

/**
 * The kind of id a name stands for, read with its context: a path parameter by the segment before
 * it (`/shipping-templates/{templateId}`), a body field by its parent (`prize.couponId`).
 */
export function slotKey(context: string, name: string, known: (key: string) => boolean): string | null {
  const specific = `${context}.${name}`;
  if (known(specific)) return specific;
  return known(name) ? name : null;
}

export function findSlots(doc: Schema, op: Operation, known: (key: string) => boolean): Slot[] {
  const slots: Slot[] = [];
  const segments = op.path.split('/');
  for (const p of op.params) {
    const before = p.in === 'path' ? (segments[segments.indexOf(`{${p.name}}`) - 1] ?? '') : 'query';
    const key = slotKey(before, p.name, known);
    if (key) slots.push({ where: p.in, path: [p.name], key });
  }
  const walk = (s: Schema, path: string[], parent: string, depth: number) => {
    s = resolve(doc, s);
    if (depth > 6) return;
    for (const v of variants(s) ?? []) walk(v, path, parent, depth + 1);
    if (s.type === 'array' && s.items) {
      const items = resolve(doc, s.items);
      if (items.type === 'object' || variants(items)) walk(items, [...path, '[]'], parent, depth + 1);
    }
    for (const [name, child] of Object.entries<Schema>(s.properties ?? {})) {
      const key = slotKey(parent, name, known);
      const at = [...path, name];
      if (!key) walk(child, at, name, depth + 1);
      else if (!slots.some((x) => x.where === 'body' && x.path.join('.') === at.join('.'))) {
        slots.push({ where: 'body', path: at, key });
      }
    }
  };
  if (op.body && op.bodyIsJson) walk(op.body, [], '', 0);
  return slots;
}

const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
const fresh = (prefix: string) => () => `${prefix}${crypto.randomBytes(4).toString('hex')}`;
const constant = (v: Json) => () => v;
/** Plausible values by field name, for what a schema cannot say (prices below list price, dates ahead). */
const HINTS: Record<string, () => Json> = {
  startsAt: () => soon(-60_000),
  endsAt: () => soon(86_400_000),
  validFrom: () => soon(-60_000),
  validUntil: () => soon(7 * 86_400_000),
  claimStartsAt: () => soon(-60_000),
  claimEndsAt: () => soon(86_400_000),
  scheduledAt: () => soon(3_600_000),
  from: () => soon(-86_400_000),
  to: () => soon(0),
  ...Object.fromEntries(
    Object.entries({
      priceFen: 10_000,
      flashPriceFen: 1,
      groupPriceFen: 1,
      floorPriceFen: 1,
      amountFen: 100,
      amountOffFen: 100,
      thresholdFen: 100_000,
      capFen: 100,
      percentOffBp: 1_000,
      validDays: 7,
      totalQuantity: 10,
      perUserLimit: 1,
      quantity: 1,
      stock: 1,
      delta: 1,
      groupSize: 2,
      expireMinutes: 60,
      expireHours: 1,
      helpsNeeded: 1,
      winners: 1,
      minutes: 5,
      ttlSec: 3600,
      coins: 1,
      threshold: 1,
      page: 1,
      pageSize: 5,
      phone: '13999999999',
      password: 'Sweep-pass-1234!',
      newPassword: 'Sweep-pass-5678!',
      currentPassword: 'Sweep-pass-1234!',
      regions: ['*'],
      specs: [],
      specValues: [],
      type: 'product_click',
    }).map(([k, v]) => [k, constant(v as Json)]),
  ),
  idempotencyKey: fresh('sweep-'),
  trackingNo: fresh('SW'),
  key: fresh('sweep'),
  deviceId: fresh('sweep-device-'),
  visitorKey: fresh('sweepvisitor'),
  name: fresh('sweep'),
};
/** Optional fields worth sending whenever a schema has them (the request is refused for the wrong reason otherwise). */
const ALWAYS = new Set(['amountFen', 'amountOffFen', 'validDays', 'tiers', 'weightGrams']);
/** Of an enum, the value that keeps things running (the first is often "draft" or "ended"). */
const PREFERRED = ['on_shelf', 'active', 'running', 'public', 'refund_only', 'mute'];

export type Fill = (slot: Slot) => Json | undefined;

const HEADER_HINTS: Record<string, string> = { 'if-match': '*' };
// A share token is not a tenant's id: anyone may open anyone's share link (that is what it is for), so
// the sweep sends a well-formed token that names no share.
export const PATH_HINTS: Record<string, string> = { '*': 'index.m3u8', provider: 'sandbox', token: 'sweepNoSuchShare' };

/**
 * A request for `op`: required fields, plus whatever leads to the `focus` slots (optional fields,
 * the union variant that holds them). `fill` gives each slot's value: whose id goes where.
 */
export function buildRequest(
  doc: Schema,
  op: Operation,
  slots: Slot[],
  fill: Fill,
  focus: Slot[] = [],
): { url: string; body?: Json; headers: Record<string, string> } {
  const headers = Object.fromEntries(op.headers.flatMap((h) => (HEADER_HINTS[h] ? [[h, HEADER_HINTS[h]]] : [])));
  let url = op.path;
  const query = new URLSearchParams();
  for (const p of op.params) {
    const slot = slots.find((s) => s.where === p.in && s.path[0] === p.name);
    if (p.in === 'query' && !p.required && !(slot && focus.includes(slot))) continue;
    let v: Json | undefined = slot ? fill(slot) : undefined;
    v ??= PATH_HINTS[p.name] ?? generate(doc, p.schema, p.name, [], slots, fill, focus, 0);
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(v)));
    else for (const item of Array.isArray(v) ? v : [v]) query.append(p.name, String(item));
  }
  const qs = query.toString();
  if (qs) url += `?${qs}`;
  if (op.body && op.bodyIsJson) return { url, headers, body: generate(doc, op.body, '', [], slots, fill, focus, 0) };
  // No JSON body: a multipart upload is sent without one; other writes get {} (a few routes take an empty body).
  return { url, headers, ...(op.body || op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} }) };
}

function generate(
  doc: Schema,
  raw: Schema,
  name: string,
  path: string[],
  slots: Slot[],
  fill: Fill,
  focus: Slot[],
  depth: number,
): Json {
  const s = resolve(doc, raw);
  const slot = slots.find((x) => x.where === 'body' && x.path.join('.') === path.join('.') && path.length > 0);
  if (slot) {
    const v = fill(slot);
    if (v !== undefined) return v;
  }
  const vs = variants(s);
  if (vs) {
    const leads = (v: Schema) =>
      focus.some((f) => f.where === 'body' && under(f, path) && leadsTo(doc, v, f.path.slice(path.length)));
    const onPath = vs.find(leads);
    const preferred = vs.find((v) => PREFERRED.includes(resolve(doc, v).enum?.[0] ?? resolve(doc, v).const));
    const chosen = onPath ?? preferred ?? vs.find((v) => resolve(doc, v).type !== 'null') ?? vs[0]!;
    return generate(doc, chosen, name, path, slots, fill, focus, depth + 1);
  }
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (HINTS[name] && depth < 20) {
    const hinted = HINTS[name]();
    if (s.type !== 'array' || Array.isArray(hinted)) return hinted;
  }
  if (s.default !== undefined) return s.default;
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const required = new Set<string>(s.required ?? []);
      for (const [k, child] of Object.entries<Schema>(s.properties ?? {})) {
        const onFocus = focus.some((f) => f.where === 'body' && under(f, [...path, k]));
        if (!required.has(k) && !onFocus && !ALWAYS.has(k)) continue;
        out[k] = generate(doc, child, k, [...path, k], slots, fill, focus, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, s.minItems ?? 0);
      return Array.from({ length: n }, (_, i) => {
        const item = generate(doc, s.items ?? {}, name, [...path, '[]'], slots, fill, focus, depth + 1);
        // Several items (minItems > 1): distinct strings, so "unique key" rules are not what refuses them.
        if (n === 1 || !item || typeof item !== 'object' || Array.isArray(item)) return item;
        return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === 'string' ? `${v}${i}` : v]));
      });
    }
    case 'integer':
    case 'number':
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? 1);
    case 'boolean':
      return false;
    case 'string':
      if (s.format === 'date-time') return soon(0);
      if (s.format === 'date') return soon(0).slice(0, 10);
      if (s.format === 'uri') return 'https://example.com/sweep';
      return 'sweep'.padEnd(Math.max(s.minLength ?? 0, 5), 'x').slice(0, s.maxLength ?? 64);
    default:
      return 'sweep';
  }
}

const under = (slot: Slot, path: string[]) => slot.path.slice(0, path.length).join('.') === path.join('.');

function leadsTo(doc: Schema, raw: Schema, rest: string[]): boolean {
  const s = resolve(doc, raw);
  if (rest.length === 0) return true;
  const vs = variants(s);
  if (vs) return vs.some((v) => leadsTo(doc, v, rest));
  if (rest[0] === '[]') return s.type === 'array' && leadsTo(doc, s.items ?? {}, rest.slice(1));
  const child = s.properties?.[rest[0]!];
  return Boolean(child) && leadsTo(doc, child, rest.slice(1));
}
