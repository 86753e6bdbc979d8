// Admission to a room over the WebSocket — the only way a socket gets a room grant. It asks the
// live module's RoomAccess (the same decision the room page, FLV and HLS use), then the other
// modules' join checks (bans). A grant is re-checked when it expires, when the shop changes who
// may watch (invite withdrawn, room made private, shop suspended, staff removed: recheckWhere) and
// periodically for non-public grants; a socket that no longer qualifies leaves the room with an
// error frame saying why.
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Conn, ViewerGrant } from './connection.ts';
import { roomAuthorizer, type LiveRoom } from './rooms.ts';

export type JoinCheck = (conn: Conn, room: { id: number; merchantId: number }) => Promise<void>;

export class Admission {
  private readonly inFlight = new WeakMap<Conn, Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly joinChecks: JoinCheck[],
    private readonly evict: (conn: Conn, err: AppError) => Promise<void>,
  ) {}

  /** May this socket watch `roomId` (with this invitation)? Throws the refusal. */
  async admit(conn: Conn, roomId: number, invite: string | undefined): Promise<{ room: LiveRoom; grant: ViewerGrant }> {
    const access = roomAuthorizer(this.ctx);
    if (!access) throw notFound('Room', 'ROOM_NOT_FOUND');
    const actor = conn.user ? { userId: conn.user.userId, isPlatformAdmin: conn.user.isPlatformAdmin } : null;
    const admitted = await access.authorize(roomId, { actor, invite });
    for (const check of this.joinChecks) await check(conn, admitted.room);
    return admitted;
  }

  /** Re-run admission for the socket's room (one at a time per socket); refused → evicted. */
  recheck(conn: Conn): Promise<void> {
    const running = this.inFlight.get(conn);
    if (running) return running;
    const run = this.run(conn).finally(() => this.inFlight.delete(conn));
    this.inFlight.set(conn, run);
    return run;
  }

  private async run(conn: Conn): Promise<void> {
    const roomId = conn.roomId;
    if (roomId === null || conn.closed) return;
    try {
      const { grant } = await this.admit(conn, roomId, conn.invite);
      if (conn.roomId === roomId) {
        conn.grant = grant;
        conn.grantCheckedAt = Date.now();
      }
    } catch (err) {
      if (err instanceof AppError) {
        if (conn.roomId === roomId) await this.evict(conn, err);
        return;
      }
      // The database is unreachable: a valid grant stands until it expires (deliveries check that).
      this.ctx.log.warn({ err, roomId }, 'room access recheck failed');
    }
  }

  /** Re-check every socket here whose grant matches (a room, a shop); returns how many. */
  recheckWhere(conns: Iterable<Conn>, match: (grant: ViewerGrant) => boolean): number {
    let n = 0;
    for (const conn of conns) {
      if (conn.grant && match(conn.grant)) {
        n++;
        void this.recheck(conn);
      }
    }
    return n;
  }

  /** Invitation and staff grants are re-checked at least this often, even without a trigger. */
  recheckStale(conns: Iterable<Conn>, maxAgeMs: number): void {
    const before = Date.now() - maxAgeMs;
    for (const conn of conns) {
      if (conn.grant && conn.grant.via !== 'public' && conn.grantCheckedAt < before) void this.recheck(conn);
    }
  }
}
