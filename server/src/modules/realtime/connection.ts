// One viewer's WebSocket: who it is, which room it watches, its private frames (acks, errors,
// history) and the backpressure rules: past SOFT_LIMIT bytes queued in the socket it stops
// receiving chat (commerce and system frames still go), past HARD_LIMIT it is disconnected.
import type { WebSocket } from 'ws';
import { CloseCode, type OutFrame } from './protocol.ts';

export const SOFT_LIMIT_BYTES = 512 * 1024;
export const HARD_LIMIT_BYTES = 4 * 1024 * 1024;
export const BATCH_MS = 50;

export interface ConnUser {
  userId: number;
  nickname: string;
  isPlatformAdmin: boolean;
  sessionId: string;
}

/** The right to watch one room, as RoomAccess granted it (live/room-access.ts). */
export interface ViewerGrant {
  roomId: number;
  merchantId: number;
  via: string;
  inviteId: number | null;
  /** ms since epoch; null: until access changes. */
  expiresAt: number | null;
}

export class Conn {
  user: ConnUser | null = null;
  roomId: number | null = null;
  joinedAt = 0;
  /** Set only by the gateway's admission; nothing of a room reaches this socket without it. */
  grant: ViewerGrant | null = null;
  grantCheckedAt = 0;
  /** The invitation this viewer joined with, kept to re-check it. */
  invite: string | undefined;
  /**
   * The presence key this socket is counted under in its room, or null: the shop's own staff (the
   * go-live console's preview, an anchor checking the room) and platform operators are not audience.
   */
  countedAs: string | null = null;
  /** Frames for this viewer only, flushed at most every BATCH_MS. */
  private privateQueue: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  malformed = 0;
  droppedChat = 0;
  alive = true;
  closed = false;
  /** The close code this node chose (undefined when the peer went away first). */
  closeCode: number | undefined;
  /** Token bucket for incoming frames (per connection, in memory: it is this socket's budget). */
  private tokens = 30;
  private lastRefill = Date.now();
  overLimit = 0;

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    readonly guestId: string,
  ) {}

  /** Stable key for presence: one viewer however many tabs. */
  get viewerKey(): string {
    return this.user ? `u:${this.user.userId}` : `g:${this.guestId}`;
  }

  /** May this socket receive (or act in) the room right now? Synchronous: checked for every delivery. */
  mayReceive(roomId: number): boolean {
    const g = this.grant;
    return g !== null && g.roomId === roomId && (g.expiresAt === null || g.expiresAt > Date.now());
  }

  /** Incoming frame budget: 20 frames/s sustained, bursts of 30. */
  takeToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(30, this.tokens + ((now - this.lastRefill) / 1000) * 20);
    this.lastRefill = now;
    if (this.tokens < 1) {
      this.overLimit++;
      return false;
    }
    this.tokens -= 1;
    this.overLimit = 0;
    return true;
  }

  sendPrivate(frame: OutFrame & { seq?: number; roomId?: number; ts?: number }): void {
    if (this.closed) return;
    this.privateQueue.push(JSON.stringify({ ts: Date.now(), ...frame }));
    this.flushTimer ??= setTimeout(() => this.flushPrivate(), BATCH_MS);
  }

  flushPrivate(): void {
    this.flushTimer = undefined;
    if (this.closed || this.privateQueue.length === 0) return;
    const body = `[${this.privateQueue.join(',')}]`;
    this.privateQueue = [];
    this.ws.send(body);
  }

  /** Send a room batch: `full` normally, `essential` (no chat) when the viewer lags. */
  sendRoomBatch(full: Buffer, essential: () => Buffer | null): void {
    if (this.closed) return;
    const buffered = this.ws.bufferedAmount;
    if (buffered > HARD_LIMIT_BYTES) {
      this.close(CloseCode.slowConsumer, 'slow consumer: reconnect and resume');
      return;
    }
    if (buffered > SOFT_LIMIT_BYTES) {
      this.droppedChat++;
      const e = essential();
      if (e) this.ws.send(e, { binary: false });
      return;
    }
    this.ws.send(full, { binary: false });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushPrivate(); // the error frame explaining the close goes first
    this.closed = true;
    this.closeCode = code;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    // A peer that never answers the close handshake is cut after a grace period.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  markClosed(): void {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }
}
