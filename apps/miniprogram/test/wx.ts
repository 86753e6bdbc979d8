// The `wx` API the mini-program calls, for tests. Pages and components render in miniprogram-simulate
// (j-component, WXML compiled by WeChat's own compiler, miniprogram-compiler's wcc); `wx` is either a scripted
// backend (routes answered by the test, a socket the test pushes frames into) or a real LiveMall node
// (wx.request → fetch over HTTP, wx.connectSocket → a real WebSocket from the ws package).
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const dist = path.join(root, 'dist');

/** Build once per run when dist/ is missing (npm test builds first anyway). */
export function ensureBuilt(): void {
  if (fs.existsSync(path.join(dist, 'app.json'))) return;
  const r = spawnSync('node', ['build.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('mini-program build failed');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
export const simulate: Any = require('miniprogram-simulate');

/** The built module (CommonJS in dist/), the same instance the pages use. */
export function mp<T = Any>(rel: string): T {
  return require(path.join(dist, rel)) as T;
}

export interface Call {
  method: string;
  path: string;
  body: Any;
  headers: Record<string, string>;
}
export type Route = (
  call: Call,
) => { status?: number; data: Any } | Promise<{ status?: number; data: Any }> | undefined;

export interface FakeSocket {
  url: string;
  sent: Array<{ type: string; ref?: string; data: Any }>;
  open: boolean;
  /** Server → client: one batch of frames (each gets ts). */
  push(...frames: Array<{ type: string; data: Any; seq?: number }>): void;
  /** Drop the connection as the network would. */
  drop(code?: number): void;
}

export interface WxEnv {
  calls: Call[];
  sockets: FakeSocket[];
  storage: Map<string, Any>;
  navigations: string[];
  toasts: string[];
  payments: Any[];
  /** What wx.chooseAddress answers (null: the shopper cancels). */
  address: Any;
  /** wx.showModal: what it asked, and whether the shopper confirms (default true). */
  modals: string[];
  modalConfirm: boolean;
  clipboard: string[];
  /** What each join is answered with (scripted sockets). */
  joinAnswer: (data: Any) => Any;
  /** Answers for client frames other than join (scripted sockets): type → ack data or an error. */
  frameAnswers: Record<string, (data: Any) => Any>;
}

function memoryStorage(env: WxEnv) {
  return {
    getStorageSync: (k: string) => (env.storage.has(k) ? env.storage.get(k) : ''),
    setStorageSync: (k: string, v: Any) => {
      env.storage.set(k, JSON.parse(JSON.stringify(v)));
    },
    removeStorageSync: (k: string) => {
      env.storage.delete(k);
    },
  };
}

function uiApis(env: WxEnv) {
  const ok = (o: Any, r: Any = { errMsg: 'ok' }) => {
    setTimeout(() => o?.success?.(r), 0);
    return Promise.resolve(r);
  };
  return {
    navigateTo: (o: Any) => {
      env.navigations.push(o.url);
      return ok(o);
    },
    redirectTo: (o: Any) => {
      env.navigations.push(o.url);
      return ok(o);
    },
    showToast: (o: Any) => {
      env.toasts.push(o.title);
      return ok(o);
    },
    setNavigationBarTitle: (o: Any) => ok(o),
    stopPullDownRefresh: () => undefined,
    showShareMenu: (o: Any) => ok(o),
    login: (o: Any) => ok(o, { code: `code-${Math.random().toString(36).slice(2, 10)}`, errMsg: 'login:ok' }),
    requestPayment: (o: Any) => {
      env.payments.push(o);
      return ok(o, { errMsg: 'requestPayment:ok' });
    },
    requestSubscribeMessage: (o: Any) => {
      const r = Object.fromEntries((o.tmplIds as string[]).map((t) => [t, 'accept']));
      return ok(o, { ...r, errMsg: 'requestSubscribeMessage:ok' });
    },
    chooseAddress: (o: Any) => {
      if (env.address === null) {
        setTimeout(() => o?.fail?.({ errMsg: 'chooseAddress:fail cancel' }), 0);
        return undefined;
      }
      return ok(o, { ...env.address, errMsg: 'chooseAddress:ok' });
    },
    showModal: (o: Any) => {
      env.modals.push(o.content ?? o.title);
      return ok(o, { confirm: env.modalConfirm, cancel: !env.modalConfirm, errMsg: 'showModal:ok' });
    },
    setClipboardData: (o: Any) => {
      env.clipboard.push(o.data);
      return ok(o);
    },
    navigateBack: (o: Any) => {
      env.navigations.push('back');
      return ok(o);
    },
  };
}

function splitUrl(url: string) {
  const u = new URL(url);
  return { path: u.pathname + u.search };
}

/** Record the call in `list` and answer `answer` (for routes whose calls a test checks). */
export function logged<T>(list: Call[], call: Call, answer: T): T {
  list.push(call);
  return answer;
}

/** A `wx` whose requests the test answers (first route to answer wins; unknown routes are 404). */
export function scriptedWx(routes: Route[]): WxEnv {
  const env: WxEnv = {
    calls: [],
    sockets: [],
    storage: new Map(),
    navigations: [],
    toasts: [],
    payments: [],
    address: null,
    modals: [],
    modalConfirm: true,
    clipboard: [],
    joinAnswer: (d) => ({
      roomId: d.roomId,
      title: 'room',
      status: 'live',
      online: 1,
      cumulative: 1,
      seq: 0,
      history: [],
      resumed: false,
      complete: true,
    }),
    frameAnswers: {},
  };
  const wx = {
    ...memoryStorage(env),
    ...uiApis(env),
    request(o: Any) {
      const call: Call = {
        method: o.method ?? 'GET',
        path: splitUrl(o.url).path,
        body: o.data,
        headers: o.header ?? {},
      };
      env.calls.push(call);
      void (async () => {
        for (const r of routes) {
          const a = await r(call);
          if (a) {
            o.success?.({ statusCode: a.status ?? 200, data: a.data, header: {} });
            return;
          }
        }
        o.success?.({
          statusCode: 404,
          data: { error: { code: 'NOT_FOUND', message: `no route ${call.method} ${call.path}` } },
          header: {},
        });
      })();
      return { abort() {} };
    },
    connectSocket(o: Any) {
      const handlers: Record<string, Array<(x: Any) => void>> = { open: [], message: [], close: [], error: [] };
      const sock: FakeSocket = {
        url: o.url,
        sent: [],
        open: false,
        push(...frames) {
          const data = JSON.stringify(frames.map((f) => ({ ts: Date.now(), ...f })));
          for (const h of handlers.message!) h({ data });
        },
        drop(code = 1006) {
          if (!sock.open) return;
          sock.open = false;
          for (const h of handlers.close!) h({ code, reason: '' });
        },
      };
      env.sockets.push(sock);
      setTimeout(() => {
        sock.open = true;
        for (const h of handlers.open!) h({});
      }, 0);
      return {
        onOpen: (h: Any) => handlers.open!.push(h),
        onMessage: (h: Any) => handlers.message!.push(h),
        onClose: (h: Any) => handlers.close!.push(h),
        onError: (h: Any) => handlers.error!.push(h),
        send(s: Any) {
          const f = JSON.parse(s.data);
          sock.sent.push(f);
          const answer = f.type === 'join' ? env.joinAnswer : env.frameAnswers[f.type];
          if (!answer || !f.ref) return;
          setTimeout(() => {
            let data: Any;
            try {
              data = answer(f.data);
            } catch (e: any) {
              sock.push({ type: 'error', data: { ref: f.ref, code: e.code ?? 'ERR', message: e.message } });
              return;
            }
            sock.push({ type: 'ack', data: { ref: f.ref, ...data } });
          }, 0);
        },
        close: (c: Any) => sock.drop(c?.code ?? 1000),
      };
    },
  };
  Object.assign((globalThis as Any).wx, wx);
  return env;
}

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 MicroMessenger/8.0.50(0x18003237) NetType/WIFI Language/zh_CN miniProgram/wx00000000000000mp';

/** A `wx` backed by a real LiveMall node at `base` (HTTP and WebSocket). */
export function realWx(base: string): WxEnv & { closeAll(): void } {
  const open: WebSocket[] = [];
  const env = scriptedWx([]) as WxEnv & { closeAll(): void };
  const wx = {
    request(o: Any) {
      // WeChat sends its own user agent with every wx.request (a page cannot set it).
      const headers: Record<string, string> = { 'user-agent': WECHAT_UA, ...(o.header ?? {}) };
      const hasBody = o.data !== undefined && o.method && o.method !== 'GET';
      env.calls.push({ method: o.method ?? 'GET', path: splitUrl(o.url).path, body: o.data, headers });
      void fetch(o.url, { method: o.method ?? 'GET', headers, ...(hasBody ? { body: JSON.stringify(o.data) } : {}) })
        .then(async (res) => {
          const text = await res.text();
          let data: Any = text;
          try {
            data = text ? JSON.parse(text) : '';
          } catch {
            /* not JSON */
          }
          o.success?.({ statusCode: res.status, data, header: Object.fromEntries(res.headers) });
        })
        .catch((e: Error) => o.fail?.({ errMsg: `request:fail ${e.message}` }));
      return { abort() {} };
    },
    connectSocket(o: Any) {
      const ws = new WebSocket(o.url);
      open.push(ws);
      const record = {
        url: o.url,
        sent: [] as FakeSocket['sent'],
        open: false,
        push() {},
        drop() {
          ws.terminate();
        },
      };
      env.sockets.push(record);
      const task = {
        onOpen: (h: Any) => ws.on('open', () => h({})),
        onMessage: (h: Any) => ws.on('message', (d) => h({ data: d.toString() })),
        onClose: (h: Any) => ws.on('close', (code) => h({ code, reason: '' })),
        onError: (h: Any) => ws.on('error', (e) => h({ errMsg: e.message })),
        send: (s: Any) => {
          record.sent.push(JSON.parse(s.data));
          ws.send(s.data);
        },
        close: (c: Any) => ws.close(c?.code ?? 1000),
      };
      return task;
    },
  };
  Object.assign((globalThis as Any).wx, wx);
  env.closeAll = () => {
    for (const ws of open) ws.terminate();
  };
  void base;
  return env;
}

/** Render a page or component from dist/ (e.g. "pages/room/index") and attach it. */
export function render(rel: string, props?: Record<string, unknown>): Any {
  const id = simulate.load(path.join(dist, rel), { compiler: 'official', rootPath: dist });
  const comp = simulate.render(id, props);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

/** Wait until `fn` returns something truthy (pages update after their requests answer). */
export async function until<T>(fn: () => T, what = 'condition', ms = 5000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    let v: T | undefined;
    try {
      v = fn();
    } catch {
      v = undefined;
    }
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Text of the element with this selector inside a rendered component ('' when absent). */
export function text(comp: Any, selector: string): string {
  const el = comp.querySelector(selector);
  return el ? String(el.dom.textContent).replace(/\s+/g, ' ').trim() : '';
}

export function all(comp: Any, selector: string): Any[] {
  return comp.querySelectorAll(selector);
}

export async function tap(comp: Any, selector: string): Promise<void> {
  const el = comp.querySelector(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  el.dispatchEvent('tap');
  await simulate.sleep(0);
}
