// Test helper: a real WebSocket viewer.
import WebSocket from 'ws';
import type { TestNode } from '../../../test/harness.ts';
import type { OutFrame, ServerFrameType } from './protocol.ts';

export interface Frame {
  type: string;
  data: any;
  seq?: number;
  roomId?: number;
  ts: number;
}

export class Viewer {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | undefined;
  private refN = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      for (const f of JSON.parse(data.toString()) as Frame[]) this.frames.push(f);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static async connect(
    node: TestNode | string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<Viewer> {
    const base = typeof node === 'string' ? node : node.url;
    const qs = new URLSearchParams(
      Object.entries({ v: 1, ...query })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)] as [string, string]),
    );
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?${qs}`);
    const v = new Viewer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await v.next('hello');
    return v;
  }

  send(type: string, data: Record<string, unknown> = {}, ref?: string): string {
    const r = ref ?? `r${++this.refN}`;
    this.ws.send(JSON.stringify({ type, data, ref: r }));
    return r;
  }

  /** Send and wait for the matching ack (resolves) or error (rejects with the code). */
  async request(type: string, data: Record<string, unknown> = {}): Promise<any> {
    const ref = this.send(type, data);
    const f = await this.waitFor(
      (x) => (x.type === 'ack' || x.type === 'error' || x.type === 'pong') && x.data?.ref === ref,
    );
    if (f.type === 'error') throw Object.assign(new Error(f.data.code), { code: f.data.code, data: f.data });
    return f.data;
  }

  async join(roomId: number, resumeFrom?: number) {
    return this.request('join', { roomId, ...(resumeFrom !== undefined ? { resumeFrom } : {}) });
  }

  /** Wait for a frame matching `pred` (searching ones already received too); bounded by `timeoutMs`. */
  async waitFor(pred: (f: Frame) => boolean, timeoutMs = 8000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.frames.find(pred);
      if (hit) return hit;
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a frame; got ${this.frames.map((f) => f.type).join(',')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  next(type: string, pred: (f: Frame) => boolean = () => true) {
    return this.waitFor((f) => f.type === type && pred(f));
  }
  all(type: string) {
    return this.frames.filter((f) => f.type === type);
  }

  async closed(timeoutMs = 8000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined && Date.now() < deadline)
      await new Promise<void>((r) => {
        const t = setTimeout(r, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    if (this.closeCode === undefined) throw new Error('socket did not close');
    return this.closeCode;
  }

  close() {
    this.ws.close();
  }
}

/** A frame with made-up data: the transport tests look at delivery and order, not at contents. */
export const probeFrame = (type: ServerFrameType, data: Record<string, unknown>): OutFrame =>
  ({ type, data }) as OutFrame;
