// Customer-service delivery over the room gateway's sockets, outside any room: a per-user channel on
// the cache pub/sub (so a message reaches its recipients on whichever node their sockets are) and,
// per socket, the last seq delivered of each conversation. That cursor makes delivery exactly once
// and in order per device: an older seq is skipped, and a gap (two nodes published out of order, or
// a frame lost between nodes) is filled from the database before the newer message goes out.
import type { AppContext } from '../../platform/context.ts';
import type { Unsubscribe } from '../../platform/cache/cache.ts';
import type { Conn } from '../realtime/connection.ts';
import type { OutFrame } from '../realtime/protocol.ts';
import type { MessageRow } from './store.ts';
import { messageView } from './views.ts';

export type SupportFrame = OutFrame<'support.message' | 'support.read' | 'support.conversation'>;
const channel = (userId: number) => `sup:u:${userId}`;
/** Messages replayed per conversation on resume, and filled into one gap. */
export const REPLAY_LIMIT = 500;

interface Device {
  userId: number;
  cursors: Map<number, number>;
  chain: Promise<unknown>;
}

/** Reads a conversation's messages with after < seq <= upTo (in seq order), for gap fills and resumes. */
export type RangeReader = (
  conversationId: number,
  after: number,
  upTo: number | null,
  limit: number,
) => Promise<MessageRow[]>;

export class SupportDelivery {
  private readonly users = new Map<number, { conns: Set<Conn>; sub: Promise<Unsubscribe> }>();
  private readonly devices = new WeakMap<Conn, Device>();
  /** Messages handed to sockets on this node (the bench reads it). */
  delivered = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly readRange: RangeReader,
  ) {}

  /** To every open device of these users, on every node. */
  async publish(userIds: readonly number[], frame: SupportFrame): Promise<void> {
    const body = JSON.stringify(frame);
    await Promise.all([...new Set(userIds)].map((id) => this.ctx.cache.publish(channel(id), body)));
  }

  /**
   * Start (or resume) delivery to this socket: subscribe first, then replay what each cursor missed,
   * all in the socket's delivery order so a live message published meanwhile is neither lost nor doubled.
   */
  async resume(conn: Conn, userId: number, cursors: Array<{ conversationId: number; after: number }>) {
    const device = await this.attach(conn, userId);
    return this.inOrder(device, async () => {
      const out: Array<{ conversationId: number; lastSeq: number; replayed: number; complete: boolean }> = [];
      for (const { conversationId, after } of cursors) {
        const rows = await this.readRange(conversationId, after, null, REPLAY_LIMIT + 1);
        const shown = rows.slice(0, REPLAY_LIMIT);
        for (const m of shown) this.send(conn, m);
        const lastSeq = shown.length ? shown[shown.length - 1]!.seq : after;
        device.cursors.set(conversationId, Math.max(lastSeq, device.cursors.get(conversationId) ?? 0));
        out.push({ conversationId, lastSeq, replayed: shown.length, complete: rows.length <= REPLAY_LIMIT });
      }
      return out;
    });
  }

  private async attach(conn: Conn, userId: number): Promise<Device> {
    let device = this.devices.get(conn);
    if (device && device.userId !== userId) {
      this.detach(conn); // another person signed in on this socket
      device = undefined;
    }
    if (!device) {
      device = { userId, cursors: new Map(), chain: Promise.resolve() };
      this.devices.set(conn, device);
      let user = this.users.get(userId);
      if (!user) {
        user = { conns: new Set(), sub: this.ctx.cache.subscribe(channel(userId), (raw) => this.onPush(userId, raw)) };
        this.users.set(userId, user);
      }
      user.conns.add(conn);
      conn.ws.once('close', () => this.detach(conn));
    }
    await this.users.get(userId)?.sub;
    return device;
  }

  private detach(conn: Conn): void {
    const device = this.devices.get(conn);
    if (!device) return;
    this.devices.delete(conn);
    const user = this.users.get(device.userId);
    if (!user) return;
    user.conns.delete(conn);
    if (user.conns.size === 0) {
      this.users.delete(device.userId);
      user.sub.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    }
  }

  private inOrder<T>(device: Device, fn: () => Promise<T>): Promise<T> {
    const next = device.chain.then(fn);
    device.chain = next.catch((err: unknown) => this.ctx.log.warn({ err }, 'support delivery failed'));
    return next;
  }

  private onPush(userId: number, raw: string): void {
    let frame: SupportFrame;
    try {
      frame = JSON.parse(raw) as SupportFrame;
    } catch {
      return;
    }
    for (const conn of this.users.get(userId)?.conns ?? []) {
      const device = this.devices.get(conn);
      if (device) void this.inOrder(device, () => this.deliver(conn, device, frame));
    }
  }

  private async deliver(conn: Conn, device: Device, frame: SupportFrame): Promise<void> {
    if (conn.closed || conn.user?.userId !== device.userId) {
      this.detach(conn);
      return;
    }
    if (frame.type !== 'support.message') {
      conn.sendPrivate(frame);
      return;
    }
    const { conversationId } = frame.data;
    const seq = frame.data.message.seq;
    const cursor = device.cursors.get(conversationId);
    if (cursor !== undefined && seq <= cursor) return; // already on this device
    if (cursor !== undefined && seq > cursor + 1) {
      for (const m of await this.readRange(conversationId, cursor, seq - 1, REPLAY_LIMIT)) this.send(conn, m);
    }
    conn.sendPrivate(frame);
    this.delivered++;
    device.cursors.set(conversationId, seq);
  }

  private send(conn: Conn, m: MessageRow): void {
    conn.sendPrivate({
      type: 'support.message',
      data: { conversationId: m.conversation_id, merchantId: m.merchant_id, message: messageView(m) },
    });
    this.delivered++;
  }

  /** Sockets on this node that receive customer service (the bench and the platform page read it). */
  get localUsers(): number {
    return this.users.size;
  }
}
