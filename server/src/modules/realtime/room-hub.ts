// Fan-out. publish() batches a node's outgoing room frames per room and sends one pub/sub message
// per room every PUBLISH_MS; every node (this one included) receives them on the room's channel,
// which it subscribes to only while it has viewers there. Received frames are serialised once per
// room and delivered as one shared buffer to every viewer at most every BATCH_MS (a big room's chat
// alone: every BIG_ROOM_CHAT_MS).
import type { Cache, Unsubscribe } from '../../platform/cache/cache.ts';
import type { Logger } from '../../platform/logger.ts';
import { ChatSampler, FOLD_REPORT_MS } from './chat-sampler.ts';
import { BATCH_MS, type Conn } from './connection.ts';
import type { FrameKind, OutFrame, RoomFrame, ServerFrame } from './protocol.ts';

const PUBLISH_MS = 10;
/**
 * From this many viewers on a node, a room's chat goes out every BIG_ROOM_CHAT_MS instead of every
 * BATCH_MS: each delivery is one socket write per viewer, and at 5,000 viewers 20 writes a second
 * each saturate a core, which delays the frames that matter. Those still go out within BATCH_MS.
 */
export const BIG_ROOM_VIEWERS = 1000;
export const BIG_ROOM_CHAT_MS = 250;
export const HISTORY_LEN = 500;
export const historyKey = (roomId: number) => `rt:room:${roomId}:log`;
export const deletedKey = (roomId: number) => `rt:room:${roomId}:deleted`;
const channel = (roomId: number) => `rt:r:${roomId}`;

class LocalRoom {
  readonly conns = new Set<Conn>();
  pending: RoomFrame[] = [];
  timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires, and whether what waits holds a frame that matters (not only chat). */
  timerDue = 0;
  urgent = false;
  lastDelivery = 0;
  unsubscribe: Promise<Unsubscribe> | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  readonly sampler: ChatSampler;
  constructor(
    readonly roomId: number,
    chatDisplayPerSec: number,
  ) {
    this.sampler = new ChatSampler(chatDisplayPerSec);
  }
}

export class RoomHub {
  private readonly rooms = new Map<number, LocalRoom>();
  private readonly outgoing = new Map<number, RoomFrame[]>();
  private publishTimer: NodeJS.Timeout | undefined;
  delivered = 0;
  /** Called for a viewer still in a room whose grant no longer covers it (expired, revoked). */
  onDenied: (conn: Conn) => void = () => undefined;

  constructor(
    private readonly cache: Cache,
    private readonly log: Logger,
    /** Chat messages a second each viewer is shown at most (chat-sampler.ts); 0: all of them. */
    private readonly chatDisplayPerSec = 0,
    /** Viewers on this node from which a room's chat goes out at the big-room cadence. */
    private readonly bigRoomViewers = BIG_ROOM_VIEWERS,
  ) {}

  /** Fan a frame out to the room on every node. Frames with a seq are kept for resume/history. */
  async publish(
    roomId: number,
    frame: OutFrame & { kind: FrameKind; to?: number[]; seq?: number; ts?: number },
  ): Promise<RoomFrame> {
    const full: RoomFrame = { ts: Date.now(), roomId, ...frame };
    if (full.kind !== 'system' && !full.to && full.seq === undefined) {
      full.seq = await this.cache.incrBy(`rt:room:${roomId}:seq`);
      await this.cache.lPushCapped(historyKey(roomId), JSON.stringify(wire(full)), HISTORY_LEN);
    }
    let batch = this.outgoing.get(roomId);
    if (!batch) {
      batch = [];
      this.outgoing.set(roomId, batch);
    }
    batch.push(full);
    this.publishTimer ??= setTimeout(() => this.flushOutgoing(), PUBLISH_MS);
    return full;
  }

  private flushOutgoing(): void {
    this.publishTimer = undefined;
    const batches = [...this.outgoing];
    this.outgoing.clear();
    for (const [roomId, frames] of batches) {
      this.cache
        .publish(channel(roomId), JSON.stringify(frames))
        .catch((err: unknown) => this.log.error({ err, roomId }, 'room publish failed'));
    }
  }

  /** Deliver to this node's viewers only (presence and like totals each node reads from the cache). */
  deliverLocal(roomId: number, frame: OutFrame & { kind: FrameKind }): void {
    const room = this.rooms.get(roomId);
    if (room) this.enqueue(room, [{ ts: Date.now(), roomId, ...frame }]);
  }

  async add(conn: Conn, roomId: number): Promise<void> {
    if (!conn.mayReceive(roomId)) throw new Error(`connection ${conn.id} has no grant for room ${roomId}`);
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new LocalRoom(roomId, this.chatDisplayPerSec);
      this.rooms.set(roomId, room);
    }
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = undefined;
    }
    room.conns.add(conn);
    const r = room;
    r.unsubscribe ??= this.cache.subscribe(channel(roomId), (msg) => this.onMessage(r, msg));
    await r.unsubscribe;
  }

  remove(conn: Conn, roomId: number): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.conns.delete(conn);
    if (room.conns.size === 0 && !room.idleTimer) {
      // Keep the subscription a little: viewers often come straight back (reconnects, refreshes).
      room.idleTimer = setTimeout(() => void this.drop(room), 30_000);
      room.idleTimer.unref();
    }
  }

  private async drop(room: LocalRoom): Promise<void> {
    if (room.conns.size > 0) return;
    this.rooms.delete(room.roomId);
    if (room.timer) clearTimeout(room.timer);
    const unsub = room.unsubscribe;
    room.unsubscribe = undefined;
    if (unsub) await (await unsub)().catch(() => undefined);
  }

  localRoomIds(): number[] {
    return [...this.rooms.values()].filter((r) => r.conns.size > 0).map((r) => r.roomId);
  }
  localConns(roomId: number): Iterable<Conn> {
    return this.rooms.get(roomId)?.conns ?? [];
  }
  get connectionCount(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.conns.size;
    return n;
  }

  private onMessage(room: LocalRoom, msg: string): void {
    let frames: RoomFrame[];
    try {
      frames = JSON.parse(msg) as RoomFrame[];
    } catch {
      this.log.warn({ roomId: room.roomId }, 'bad room message');
      return;
    }
    this.enqueue(room, frames);
  }

  private enqueue(room: LocalRoom, frames: RoomFrame[]): void {
    room.pending.push(...frames);
    if (frames.some((f) => f.kind !== 'chat')) room.urgent = true;
    // A big room's chat alone waits for the slower cadence; a frame that matters is sent within BATCH_MS.
    const interval = room.urgent || room.conns.size < this.bigRoomViewers ? BATCH_MS : BIG_ROOM_CHAT_MS;
    const due = Math.max(Date.now(), room.lastDelivery + interval);
    if (room.timer && room.timerDue <= due) return;
    if (room.timer) clearTimeout(room.timer);
    room.timerDue = due;
    room.timer = setTimeout(() => this.deliver(room), due - Date.now());
  }

  private deliver(room: LocalRoom): void {
    room.timer = undefined;
    room.urgent = false;
    const now = Date.now();
    room.lastDelivery = now;
    const frames = room.pending;
    room.pending = [];
    // The last gate, whichever node published: only sockets whose grant covers this room now.
    const allowed: Conn[] = [];
    for (const conn of room.conns) {
      if (conn.mayReceive(room.roomId)) allowed.push(conn);
      else this.onDenied(conn);
    }
    const shared: string[] = [];
    const essentialParts: string[] = [];
    const targeted: RoomFrame[] = [];
    const folded: RoomFrame[] = [];
    for (const f of frames) {
      if (f.to) {
        targeted.push(f);
        continue;
      }
      if (f.type === 'chat' && !room.sampler.admit(now)) {
        folded.push(f);
        continue;
      }
      const json = JSON.stringify(wire(f));
      shared.push(json);
      if (f.kind !== 'chat') essentialParts.push(json);
    }
    const foldedCount = room.sampler.takeFoldReport(now);
    if (foldedCount) shared.push(JSON.stringify({ type: 'chat.folded', data: { count: foldedCount }, ts: now }));
    if (room.sampler.pendingFolded && !room.timer) {
      // Tell viewers what was folded even when the room goes quiet.
      room.timerDue = now + FOLD_REPORT_MS;
      room.timer = setTimeout(() => this.deliver(room), FOLD_REPORT_MS);
    }
    if (shared.length) {
      const full = Buffer.from(`[${shared.join(',')}]`);
      let essential: Buffer | null | undefined;
      const getEssential = () => {
        if (essential === undefined) {
          essential = essentialParts.length ? Buffer.from(`[${essentialParts.join(',')}]`) : null;
        }
        return essential;
      };
      for (const conn of allowed) {
        try {
          conn.sendRoomBatch(full, getEssential);
          this.delivered += shared.length;
        } catch (err) {
          this.log.warn({ err }, 'send failed');
        }
      }
    }
    for (const f of targeted) {
      const to = new Set(f.to);
      for (const conn of allowed) if (conn.user && to.has(conn.user.userId)) conn.sendPrivate(wire(f));
    }
    if (folded.length) this.sendOwnMessages(allowed, folded);
  }

  /** A folded message still reaches its sender's own sockets on this node: they see what they said. */
  private sendOwnMessages(allowed: Conn[], folded: RoomFrame[]): void {
    const bySender = new Map<number, RoomFrame[]>();
    for (const f of folded) {
      const sender = (f.data as { userId?: number }).userId;
      if (sender !== undefined) bySender.set(sender, [...(bySender.get(sender) ?? []), f]);
    }
    for (const conn of allowed) {
      const own = conn.user ? bySender.get(conn.user.userId) : undefined;
      for (const f of own ?? []) conn.sendPrivate(wire(f));
    }
  }

  async close(): Promise<void> {
    if (this.publishTimer) {
      clearTimeout(this.publishTimer);
      this.flushOutgoing();
    }
    for (const room of [...this.rooms.values()]) {
      room.conns.clear();
      if (room.idleTimer) clearTimeout(room.idleTimer);
      await this.drop(room);
    }
  }
}

/** What goes on the wire: no routing fields. */
export function wire(f: RoomFrame): ServerFrame {
  const out = {
    type: f.type,
    data: f.data,
    ts: f.ts,
    ...(f.roomId !== undefined ? { roomId: f.roomId } : {}),
    ...(f.seq !== undefined ? { seq: f.seq } : {}),
  };
  return out as ServerFrame; // the same frame, its type and data taken apart and put back
}

/**
 * A room's kept frames for a socket that was just admitted. On resume: every kept frame after
 * `resumeFrom` (`complete` false when some were already evicted: the client should refetch state).
 * On a fresh join: the last `lastChats` chat messages.
 */
export async function readHistory(cache: Cache, roomId: number, resumeFrom: number | undefined, lastChats: number) {
  const [raw, deleted] = await Promise.all([
    cache.lRange(historyKey(roomId), 0, -1),
    cache.sMembers(deletedKey(roomId)),
  ]);
  const gone = new Set(deleted.map(Number));
  const all = raw.map((s) => JSON.parse(s) as ServerFrame & { seq: number }).reverse();
  if (resumeFrom !== undefined) {
    const frames = all.filter((f) => f.seq > resumeFrom && !gone.has(f.seq));
    const complete = all.length === 0 || all[0]!.seq <= resumeFrom + 1;
    return { frames, complete };
  }
  return { frames: all.filter((f) => f.type === 'chat' && !gone.has(f.seq)).slice(-lastChats), complete: true };
}
