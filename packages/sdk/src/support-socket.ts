// Customer service (客服) over the room gateway's socket, outside any room (docs/realtime-protocol.md,
// "Customer service"): after every (re)connect it sends `support.resume` with the last seq this device
// holds of each conversation, so the server replays what was missed in order, once; then it receives
// `support.message`, `support.read` and `support.conversation` as they happen. Sending goes over HTTP
// or `support.send`; both are stored before they are answered. Any transport (browser, wx) carries it.
import type { RoomConnection, RoomTransport } from './room-socket-core.ts';
import type { ClientAnswers, ClientFrameData, ClientFrameType, FrameError, ServerFrame } from './realtime-frames.ts';

export type SupportFrame = ServerFrame<'support.message' | 'support.read' | 'support.conversation'>;
export type SupportEvent = SupportFrame | { type: 'support.resumed'; data: { connected: true } };

const FINAL_CLOSE_CODES = new Set([4000, 4003]);

export class SupportSocketCore {
  private conn: RoomConnection | null = null;
  private isOpen = false;
  private gen = 0;
  private attempt = 0;
  private refN = 0;
  private closed = false;
  /** The last seq this device holds, per conversation: the resume point after a reconnect. */
  private readonly cursors = new Map<number, number>();
  private readonly pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(e: SupportEvent) => void>();

  constructor(
    private readonly transport: RoomTransport,
    private readonly token: () => string | null,
  ) {
    this.open();
  }

  on(fn: (e: SupportEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get connected(): boolean {
    return this.isOpen;
  }

  /** Follow a conversation from this seq on (what the page loaded over HTTP); the next resume starts there. */
  track(conversationId: number, seq: number): void {
    this.cursors.set(conversationId, Math.max(seq, this.cursors.get(conversationId) ?? 0));
  }

  private open() {
    const token = this.token();
    if (!token) return;
    const q = ['v=1', `guestId=${encodeURIComponent(this.transport.guestId())}`, `token=${encodeURIComponent(token)}`];
    const gen = ++this.gen;
    this.conn = this.transport.connect(q.join('&'), {
      open: () => {
        if (gen !== this.gen) return;
        this.isOpen = true;
        this.attempt = 0;
        const cursors = [...this.cursors].slice(-50).map(([conversationId, after]) => ({ conversationId, after }));
        void this.request('support.resume', { cursors })
          .then(() => this.emit({ type: 'support.resumed', data: { connected: true } }))
          .catch(() => undefined);
      },
      message: (text) => {
        if (gen === this.gen) this.receive(text);
      },
      close: (code) => {
        if (gen === this.gen) this.dropped(code);
      },
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
      if (f.type === 'ack' || f.type === 'error') {
        const ref = f.data.ref;
        const p = ref ? this.pending.get(ref) : undefined;
        if (!ref || !p) continue;
        this.pending.delete(ref);
        if (f.type === 'ack') p.resolve(f.data);
        else p.reject(Object.assign(new Error(f.data.message), { code: (f.data as FrameError).code }));
        continue;
      }
      if (f.type === 'support.message') {
        this.track(f.data.conversationId, f.data.message.seq);
        this.emit(f);
      } else if (f.type === 'support.read' || f.type === 'support.conversation') this.emit(f);
    }
  }

  private dropped(code: number) {
    this.gen++;
    this.conn = null;
    this.isOpen = false;
    for (const p of this.pending.values()) p.reject(new Error('disconnected'));
    this.pending.clear();
    if (this.closed || FINAL_CLOSE_CODES.has(code)) return;
    const delay = Math.min(10_000, 500 * 2 ** this.attempt++);
    const again = () => {
      if (!this.closed) this.open();
    };
    if (this.transport.setTimeout) this.transport.setTimeout(again, delay);
    else setTimeout(again, delay);
  }

  private emit(e: SupportEvent) {
    for (const l of this.listeners) l(e);
  }

  request<T extends ClientFrameType>(type: T, data: ClientFrameData[T]): Promise<ClientAnswers[T]> {
    const conn = this.conn;
    if (!conn || !this.isOpen) return Promise.reject(new Error('not connected'));
    const ref = `s${++this.refN}`;
    conn.send(JSON.stringify({ type, data, ref }));
    return new Promise<ClientAnswers[T]>((resolve, reject) => {
      this.pending.set(ref, { resolve: (v) => resolve(v as ClientAnswers[T]), reject });
      const expire = () => {
        if (this.pending.delete(ref)) reject(new Error('timeout'));
      };
      if (this.transport.setTimeout) this.transport.setTimeout(expire, 10_000);
      else setTimeout(expire, 10_000);
    });
  }

  /** Drop the connection as a network loss would (reconnects and resumes); for tests. */
  drop() {
    this.conn?.close();
  }

  close() {
    this.closed = true;
    this.gen++;
    const conn = this.conn;
    this.conn = null;
    this.isOpen = false;
    conn?.close();
  }
}
