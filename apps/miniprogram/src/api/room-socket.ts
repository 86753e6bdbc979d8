// The room WebSocket (protocol v1, docs/realtime-protocol.md) over wx.connectSocket: a port of
// packages/sdk/src/room-socket.ts, whose browser globals (WebSocket, location, localStorage, crypto) the
// mini-program does not have. Frames arrive as JSON arrays; a dropped connection reconnects with backoff
// and resumes from the last seq seen; requests carry a ref and are answered by ack / error.
import type {
  ClientAnswers,
  ClientFrameData,
  ClientFrameType,
  FrameError,
  JoinAnswer,
  ServerFrame,
} from '../../../../packages/sdk/src/realtime-frames';
import { wsBase } from '../config';

export type Frame =
  | ServerFrame
  | { type: 'joined'; data: JoinAnswer; seq?: undefined; ts: number }
  | { type: 'join.refused'; data: { code: string; message?: string | undefined }; seq?: undefined; ts: number }
  | { type: 'socket.closed'; data: { code: number }; seq?: undefined; ts: number };
type Listener = (f: Frame) => void;

function guestId(): string {
  let g = wx.getStorageSync('lm.guest') as string;
  if (!g) {
    let s = '';
    for (let i = 0; i < 20; i++) s += Math.floor(Math.random() * 36).toString(36);
    g = `g_${s}`;
    wx.setStorageSync('lm.guest', g);
  }
  return g;
}

export interface RoomSocketOptions {
  invite?: string | undefined;
}

export class RoomSocket {
  private task: WechatMiniprogram.SocketTask | null = null;
  private isOpen = false;
  private lastSeq: number | undefined;
  private closed = false;
  private attempt = 0;
  private refN = 0;
  private pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void }>();
  private listeners = new Set<Listener>();

  constructor(
    private readonly roomId: number,
    private readonly token: () => string | null = () => null,
    private readonly opts: RoomSocketOptions = {},
  ) {
    this.open();
  }

  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The last room seq received (resume point). */
  get seq(): number | undefined {
    return this.lastSeq;
  }

  private open() {
    const q = [`v=1`, `guestId=${encodeURIComponent(guestId())}`];
    const token = this.token();
    if (token) q.push(`token=${encodeURIComponent(token)}`);
    const task = wx.connectSocket({ url: `${wsBase()}/ws?${q.join('&')}` });
    this.task = task;
    task.onOpen(() => {
      this.isOpen = true;
      this.attempt = 0;
      const join = {
        roomId: this.roomId,
        ...(this.lastSeq !== undefined ? { resumeFrom: this.lastSeq } : {}),
        ...(this.opts.invite ? { invite: this.opts.invite } : {}),
      };
      void this.request('join', join)
        .then((j) => {
          this.lastSeq = Math.max(this.lastSeq ?? 0, j.seq);
          this.emit({ type: 'joined', data: j, ts: Date.now() });
        })
        .catch((e: { code?: string; message?: string }) => {
          if (e.code) this.emit({ type: 'join.refused', data: { code: e.code, message: e.message }, ts: Date.now() });
        });
    });
    task.onMessage((ev) => {
      let frames: ServerFrame[];
      try {
        frames = JSON.parse(String(ev.data)) as ServerFrame[];
      } catch {
        return;
      }
      for (const f of frames) {
        if (f.seq !== undefined) this.lastSeq = Math.max(this.lastSeq ?? 0, f.seq);
        const ref = f.type === 'ack' || f.type === 'error' ? f.data.ref : undefined;
        const p = ref ? this.pending.get(ref) : undefined;
        if (ref && p) {
          this.pending.delete(ref);
          if (f.type === 'ack') {
            p.resolve(f.data);
            continue;
          }
          const { message, code } = f.data as FrameError;
          p.reject(Object.assign(new Error(message), { code }));
          continue;
        }
        this.emit(f);
      }
    });
    const dropped = (code: number) => {
      if (this.task !== task) return;
      this.task = null;
      this.isOpen = false;
      for (const p of this.pending.values()) p.reject(new Error('disconnected'));
      this.pending.clear();
      this.emit({ type: 'socket.closed', data: { code }, ts: Date.now() });
      if (this.closed || code === 4000 || code === 4003) return;
      const delay = Math.min(10_000, 500 * 2 ** this.attempt++);
      setTimeout(() => {
        if (!this.closed) this.open();
      }, delay);
    };
    task.onClose((r) => dropped(r.code));
    task.onError(() => dropped(1006));
  }

  private emit(f: Frame) {
    for (const l of this.listeners) l(f);
  }

  get connected(): boolean {
    return this.isOpen;
  }

  /** Send a client frame and wait for its ack, or its error as a rejection carrying the code. */
  request<T extends ClientFrameType>(type: T, data: ClientFrameData[T]): Promise<ClientAnswers[T]> {
    const task = this.task;
    if (!task || !this.isOpen) return Promise.reject(new Error('not connected'));
    const ref = `r${++this.refN}`;
    task.send({ data: JSON.stringify({ type, data, ref }) });
    return new Promise<ClientAnswers[T]>((resolve, reject) => {
      this.pending.set(ref, { resolve: (v) => resolve(v as ClientAnswers[T]), reject });
      setTimeout(() => {
        if (this.pending.delete(ref)) reject(new Error('timeout'));
      }, 10_000);
    });
  }

  /** Drop the connection as a network loss would (reconnects and resumes); for tests and app hide/show. */
  drop() {
    this.task?.close({ code: 1000 });
  }

  close() {
    this.closed = true;
    const t = this.task;
    this.task = null;
    this.isOpen = false;
    t?.close({ code: 1000 });
  }
}
