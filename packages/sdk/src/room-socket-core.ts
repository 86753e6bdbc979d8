// The room socket's protocol (v1, docs/realtime-protocol.md), whatever carries it: frames arrive as JSON arrays;
// on a dropped connection we reconnect with backoff and resume from the last seq we saw; requests carry a ref and
// are answered by `ack` or `error`. A private room needs the invitation the room link carried (`invite`), sent with
// every join. The transport opens the connection: the browser's WebSocket (room-socket.ts) or the mini-program's
// wx.connectSocket (apps/miniprogram/src/api/room-socket.ts, which bundles this file). No platform globals here.
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
 * plus `joined` (the join answer, also after each reconnect), `join.refused` and `socket.closed`
 * (the connection dropped, with its close code; a reconnect follows unless the code says not to).
 */
export type Frame =
  | ServerFrame
  | { type: 'joined'; data: JoinAnswer; seq?: undefined; ts: number }
  | { type: 'join.refused'; data: { code: string; message?: string | undefined }; seq?: undefined; ts: number }
  | { type: 'socket.closed'; data: { code: number }; seq?: undefined; ts: number };
type Listener = (f: Frame) => void;

/** One open connection, as the transport hands it back. */
export interface RoomConnection {
  send(text: string): void;
  close(): void;
}

/** How a platform opens the room socket. */
export interface RoomTransport {
  /** Open `/ws?<query>` and report its opening, each message's text, and its close (or failure, as 1006). */
  connect(query: string, on: { open(): void; message(text: string): void; close(code: number): void }): RoomConnection;
  /** The guest id this device keeps across visits. */
  guestId(): string;
  /** Timers for the reconnect backoff and request timeouts; the global setTimeout by default. */
  setTimeout?(fn: () => void, ms: number): unknown;
}

/** Close codes after which reconnecting would only be refused again: an unsupported version, a ban. */
const FINAL_CLOSE_CODES = new Set([4000, 4003]);

export class RoomSocketCore {
  private conn: RoomConnection | null = null;
  private isOpen = false;
  private gen = 0;
  private lastSeq: number | undefined;
  private closed = false;
  private attempt = 0;
  private refN = 0;
  private pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void }>();
  private listeners = new Set<Listener>();

  constructor(
    private readonly transport: RoomTransport,
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

  get connected(): boolean {
    return this.isOpen;
  }

  private later(fn: () => void, ms: number) {
    if (this.transport.setTimeout) this.transport.setTimeout(fn, ms);
    else setTimeout(fn, ms);
  }

  private open() {
    const q = ['v=1', `guestId=${encodeURIComponent(this.transport.guestId())}`];
    const token = this.token();
    if (token) q.push(`token=${encodeURIComponent(token)}`);
    const gen = ++this.gen;
    this.conn = this.transport.connect(q.join('&'), {
      open: () => {
        if (gen !== this.gen) return;
        this.isOpen = true;
        this.attempt = 0;
        this.join();
      },
      message: (text) => {
        if (gen === this.gen) this.receive(text);
      },
      close: (code) => {
        if (gen === this.gen) this.dropped(code);
      },
    });
  }

  private join() {
    const join = {
      roomId: this.roomId,
      ...(this.lastSeq !== undefined ? { resumeFrom: this.lastSeq } : {}),
      ...(this.opts.invite ? { invite: this.opts.invite } : {}),
    };
    // A refused join (INVITE_EXPIRED, INVITE_REVOKED, ROOM_NOT_FOUND) reaches listeners as a `join.refused` frame.
    void this.request('join', join)
      .then((j) => {
        this.lastSeq = Math.max(this.lastSeq ?? 0, j.seq);
        this.emit({ type: 'joined', data: j, ts: Date.now() });
      })
      .catch((e: { code?: string; message?: string }) => {
        if (e.code) this.emit({ type: 'join.refused', data: { code: e.code, message: e.message }, ts: Date.now() });
      });
  }

  private receive(text: string) {
    let frames: ServerFrame[];
    try {
      frames = JSON.parse(text) as ServerFrame[];
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
  }

  private dropped(code: number) {
    this.gen++;
    this.conn = null;
    this.isOpen = false;
    this.rejectPending();
    this.emit({ type: 'socket.closed', data: { code }, ts: Date.now() });
    if (this.closed || FINAL_CLOSE_CODES.has(code)) return;
    const delay = Math.min(10_000, 500 * 2 ** this.attempt++);
    this.later(() => {
      if (!this.closed) this.open();
    }, delay);
  }

  private rejectPending() {
    for (const p of this.pending.values()) p.reject(new Error('disconnected'));
    this.pending.clear();
  }

  private emit(f: Frame) {
    for (const l of this.listeners) l(f);
  }

  /** Send a client frame and wait for its answer (`ack`), or its `error` as a rejection carrying the code. */
  request<T extends ClientFrameType>(type: T, data: ClientFrameData[T]): Promise<ClientAnswers[T]> {
    const conn = this.conn;
    if (!conn || !this.isOpen) return Promise.reject(new Error('not connected'));
    const ref = `r${++this.refN}`;
    conn.send(JSON.stringify({ type, data, ref }));
    return new Promise<ClientAnswers[T]>((resolve, reject) => {
      this.pending.set(ref, { resolve: (v) => resolve(v as ClientAnswers[T]), reject });
      this.later(() => {
        if (this.pending.delete(ref)) reject(new Error('timeout'));
      }, 10_000);
    });
  }

  /** Drop the connection as a network loss would (reconnects and resumes); for tests and app hide/show. */
  drop() {
    this.conn?.close();
  }

  /** Close for good: no reconnect, and no `socket.closed` frame for this deliberate close. */
  close() {
    this.closed = true;
    const conn = this.conn;
    this.gen++;
    this.conn = null;
    this.isOpen = false;
    this.rejectPending();
    conn?.close();
  }
}
