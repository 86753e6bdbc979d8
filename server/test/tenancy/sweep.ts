// The tenancy sweep: every operation of the OpenAPI document, called by tenant A with tenant B's ids
// put in each slot in turn (and all at once, and, for shop routes, naming B's shop), judged by what
// came back and by what the database holds afterwards. Who may call an operation is read from its
// x-access (the route guard's rule), so public routes are held to "no private data" and shop routes
// to "nothing of another shop", with no list of routes kept by hand.
import type { TestNode } from '../harness.ts';
import { isIdKind, valuesOf } from './ids.ts';
import { buildRequest, findSlots, operations, type Json, type Operation, type Slot } from './requests.ts';
import { snapshotDiff, type TenantRows } from './tenant-rows.ts';
import { drain, type Tenant } from './world.ts';

type Kind = 'public' | 'user' | 'merchant' | 'platform';
export interface Attempt {
  op: string;
  label: string;
  status: number;
  code?: string;
}
export interface Breach {
  label: string;
  status: number;
  what: string;
}
export interface SweepResult {
  operations: number;
  attempts: Attempt[];
  breaches: Breach[];
  errors: Attempt[];
  byKind: Record<Kind, number>;
  baselineAccepted: string[];
  baselineRefused: Array<{ op: string; status: number; code?: string | undefined }>;
}

const kindOf = (op: Operation): Kind => {
  if (typeof op.access === 'object') return 'merchant';
  return op.access === 'public' || op.access === 'user' ? op.access : 'platform';
};
const opName = (op: Operation) => `${op.method} ${op.path}`;
const shopParamOf = (op: Operation) => (typeof op.access === 'object' ? (op.access.param ?? 'merchantId') : null);
/** Ids of people: a shop may name any shopper (a viewer to mute, a customer to reward). */
const PEOPLE = new Set(['userId', 'userIds', 'staff.userId', 'users.userId']);
/** What is one shopper's own (a friend's bargain or group is shared by link; a shop's goods are for anyone). */
const PERSONAL = new Set(['orderId', 'lineId', 'aftersaleId', 'addressId', 'paymentNo', 'couponIds']);
const BASELINE = 'baseline, own ids';

/**
 * Writes first, then reads (so what a write let through shows up where it is read back), then
 * what ends or deletes things. The schema fuzz runs operations in the same order.
 */
const ENDING = /\/(end|cancel|status|stream-key|reject|approve|receive|logout)$/;
export const phase = (op: Operation) => {
  if (op.method === 'DELETE') return 3;
  if (ENDING.test(op.path)) return 2;
  return op.method === 'GET' ? 1 : 0;
};

export async function sweep(
  node: TestNode,
  doc: Record<string, any>,
  A: Tenant,
  B: Tenant,
  rows: TenantRows,
): Promise<SweepResult> {
  const bUsers = [B.owner.userId, B.staff.userId, B.shopper.userId];
  const ops = operations(doc).filter((op) => op.method !== 'HEAD');
  const result: SweepResult = {
    operations: ops.length,
    attempts: [],
    breaches: [],
    errors: [],
    baselineAccepted: [],
    baselineRefused: [],
    byKind: { public: 0, user: 0, merchant: 0, platform: 0 },
  };
  let snapshot = await rows.snapshot(B.merchantId, bUsers);
  let refs = new Set(await rows.crossRefs());
  let copies = new Set(await rows.markerCopies(B.priv, B.merchantId, bUsers));

  /** What the database shows since the last look, pinned on `label`. Cross-shop references are
   * looked for only after an accepted write (the costliest check), and once more at the end. */
  const checkRows = async (label: string, status: number, accepted: boolean) => {
    await drain(node);
    const breach = (what: string) => result.breaches.push({ label, status, what });
    const now = await rows.snapshot(B.merchantId, bUsers);
    for (const line of snapshotDiff(snapshot, now)) breach(`changed B's row ${line}`);
    snapshot = now;
    const nowCopies = await rows.markerCopies(B.priv, B.merchantId, bUsers);
    for (const c of nowCopies) if (!copies.has(c)) breach(`copied B's private text into ${c}`);
    copies = new Set(nowCopies);
    if (!accepted) return;
    const nowRefs = await rows.crossRefs();
    for (const r of nowRefs) if (!refs.has(r)) breach(`stored a cross-shop reference ${r}`);
    refs = new Set(nowRefs);
  };

  type Fill = (s: Slot) => Json | undefined;
  const call = async (op: Operation, label: string, slots: Slot[], fill: Fill, focus: Slot[], otherShop = false) => {
    const kind = kindOf(op);
    const caller = kind === 'public' || kind === 'user' ? A.shopper : A.owner;
    const { url, body, headers } = buildRequest(doc, op, slots, fill, focus);
    const payload = body === undefined ? {} : { body };
    const send = () => node.api(op.method, url, { token: caller.token, headers, ...payload });
    let res = await send();
    if (res.status === 401 && res.body?.error?.code === 'SESSION_REVOKED') {
      // An earlier operation signed this session out (logout, password change): sign in again.
      caller.token = (await node.userToken(caller.phone)).token;
      res = await send();
    }
    const code: string | undefined = res.body?.error?.code;
    const attempt: Attempt = { op: opName(op), label: `${label} ${op.method} ${url}`, status: res.status };
    if (code) attempt.code = code;
    result.attempts.push(attempt);
    const breach = (what: string) => result.breaches.push({ label: attempt.label, status: res.status, what });
    const ok = res.status >= 200 && res.status < 300;
    // 503 with a code is a documented answer (a provider not configured); anything else is a crash.
    if (res.status >= 500 && !(res.status === 503 && code && code !== 'INTERNAL')) result.errors.push(attempt);
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
    for (const secret of [B.priv, ...B.secrets]) {
      if (text.includes(secret)) breach(`the answer carries B's private ${secret === B.priv ? 'text' : 'secret'}`);
    }
    if (ok && kind !== 'public' && kind !== 'user' && text.includes(B.pub)) breach("a shop answer carries B's data");
    if (ok && otherShop) breach('a shop route answered for another shop');
    if (ok && kind === 'platform') breach('a platform route answered a shop owner');
    // A shop route takes only the shop's own things: another shop's room or product is a 4xx, even
    // as a filter that would find nothing.
    const foreign = focus.filter((s) => !PEOPLE.has(s.key) && !(s.where === 'path' && s.path[0] === shopParamOf(op)));
    if (ok && kind === 'merchant' && !otherShop && foreign.length && label !== BASELINE) {
      breach(`a shop route accepted another shop's ${foreign.map((s) => s.path.join('.')).join(', ')}`);
    }
    // Likewise a shopper route takes only the shopper's own orders, addresses, coupons…, even as a filter.
    const theirs = focus.filter((s) => PERSONAL.has(s.key));
    if (ok && kind !== 'merchant' && kind !== 'platform' && theirs.length && label !== BASELINE) {
      breach(`a shopper route accepted another shopper's ${theirs.map((s) => s.path.join('.')).join(', ')}`);
    }
    if (op.method !== 'GET') await checkRows(attempt.label, res.status, ok);
    return res;
  };

  const plan = ops.map((op) => ({ op, slots: findSlots(doc, op, isIdKind) })).sort((x, y) => phase(x.op) - phase(y.op));
  for (const { op, slots } of plan) {
    const kind = kindOf(op);
    result.byKind[kind]++;
    const own = (s: Slot) => valuesOf(s.key, A)[0];
    const theirs = (s: Slot) => valuesOf(s.key, B)[0];
    const isShopParam = (s: Slot) => s.where === 'path' && s.path[0] === shopParamOf(op);
    if (kind === 'platform') await call(op, 'as a shop owner', slots, own, []);
    else {
      if (shopParamOf(op)) await call(op, "naming B's shop", slots, theirs, slots, true);
      // Each slot on its own with each of B's values (A's ids everywhere else), then all of B's at once.
      for (const slot of slots.filter((s) => !isShopParam(s))) {
        for (const value of valuesOf(slot.key, B)) {
          const label = `${slot.where} ${slot.path.join('.')}=B:`;
          await call(op, label, slots, (s) => (s === slot ? value : own(s)), [slot]);
        }
      }
      const idSlots = slots.filter((s) => !isShopParam(s)).length;
      if (idSlots > 1) await call(op, "all of B's ids:", slots, (s) => (isShopParam(s) ? own(s) : theirs(s)), slots);
      // No id to swap (my cart, my favourites, the shop's order list): read back what the writes before let in.
      if (idSlots === 0) await call(op, 'as A, no ids:', slots, own, []);
    }
    // A read should change nothing: one look at the rows after all of an operation's reads.
    if (op.method === 'GET') await checkRows(`after the reads of ${opName(op)}`, 0, false);
  }
  await checkRows('after the sweep (refused or read-only requests)', 0, true);

  // Coverage: the same operations with A's own ids, in the same order.
  for (const { op, slots } of plan) {
    if (kindOf(op) === 'platform') continue;
    const res = await call(op, BASELINE, slots, (s) => valuesOf(s.key, A)[0], []);
    if (res.status < 300) result.baselineAccepted.push(opName(op));
    else result.baselineRefused.push({ op: opName(op), status: res.status, code: res.body?.error?.code });
  }
  await checkRows('after the baseline', 0, true);
  return result;
}
