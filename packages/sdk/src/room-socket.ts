// The room WebSocket for browsers (protocol v1, docs/realtime-protocol.md): frames arrive as JSON arrays; on a
// dropped connection we reconnect with backoff and resume from the last seq we saw. A private room needs the
// invitation the room link carried (`invite`), sent with every join. Frames are typed in realtime-frames.ts,
// shared with the server.
import type {
  ClientAnswers,
  ClientFrameData,
  ClientFrameType,
  FrameError,
  JoinAnswer,
  ServerFrame,
} from './realtime-frames.ts';

export interface RoomSocketOptions {
  /** The `invite` of a private room's link; staff of the shop need none. */
  invite?: string | undefined;
}

/**
 * What listeners get: the server's frames (acks and errors of requests go to their promise instead),
 * plus `joined` (the join answer, also after each reconnect) and `join.refused`.
 */
export type Frame =
  | ServerFrame
  | { type: 'joined'; data: JoinAnswer; seq?: undefined; ts: number }
  | { type: 'join.refused'; data: { code: string; message?: string | undefined }; seq?: undefined; ts: number };
type Listener = (f: Frame) => void;

const guestId = () => {
  let g = localStorage.getItem('lm.guest');
  if (!g) {
    g = `g_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    localStorage.setItem('lm.guest', g);
  }
  return g;
};

export class RoomSocket {
  private ws: WebSocket | null = null;
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

  private open() {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const q = new URLSearchParams({ v: '1', guestId: guestId() });
    const token = this.token();
    if (token) q.set('token', token);
    const ws = new WebSocket(`${proto}://${location.host}/ws?${q}`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      const join = {
        roomId: this.roomId,
        ...(this.lastSeq !== undefined ? { resumeFrom: this.lastSeq } : {}),
        ...(this.opts.invite ? { invite: this.opts.invite } : {}),
      };
      // A refused join (INVITE_EXPIRED, INVITE_REVOKED, ROOM_NOT_FOUND) reaches listeners as a `join.refused` frame.
      void this.request('join', join)
        .then((j) => this.emit({ type: 'joined', data: j, ts: Date.now() }))
        .catch((e: { code?: string; message?: string }) => {
          if (e.code) this.emit({ type: 'join.refused', data: { code: e.code, message: e.message }, ts: Date.now() });
        });
    };
    ws.onmessage = (ev) => {
      for (const f of JSON.parse(String(ev.data)) as ServerFrame[]) {
        if (f.seq !== undefined) this.lastSeq = Math.max(this.lastSeq ?? 0, f.seq);
        const ref = f.type === 'ack' || f.type === 'error' ? f.data.ref : undefined;
        if (ref && this.pending.has(ref)) {
          const p = this.pending.get(ref)!;
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
    };
    ws.onclose = () => {
      for (const p of this.pending.values()) p.reject(new Error('disconnected'));
      this.pending.clear();
      if (this.closed) return;
      const delay = Math.min(10_000, 500 * 2 ** this.attempt++);
      setTimeout(() => {
        if (!this.closed) this.open();
      }, delay);
    };
  }

  private emit(f: Frame) {
    for (const l of this.listeners) l(f);
  }

  /** Send a client frame and wait for its answer (`ack`), or its `error` as a rejection carrying the code. */
  request<T extends ClientFrameType>(type: T, data: ClientFrameData[T]): Promise<ClientAnswers[T]> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'));
    const ref = `r${++this.refN}`;
    ws.send(JSON.stringify({ type, data, ref }));
    return new Promise<ClientAnswers[T]>((resolve, reject) => {
      this.pending.set(ref, { resolve: (v) => resolve(v as ClientAnswers[T]), reject });
      setTimeout(() => {
        if (this.pending.delete(ref)) reject(new Error('timeout'));
      }, 10_000);
    });
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}
