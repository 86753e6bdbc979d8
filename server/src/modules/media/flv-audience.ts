// Who is downloading HTTP-FLV from this node, and whether they still may. An FLV response is one
// long download: RoomAccess decides when it opens (routes.ts) and again here, with the same
// credentials (the signed play link), whenever the shop changes who may watch (invite withdrawn,
// room made private, shop suspended: the recheck the WebSocket sessions get, fanned out to every
// node), when the grant runs out, and at least every RECHECK_EVERY_MS for non-public grants. A
// viewer who no longer qualifies has the response ended; HLS is checked on every segment anyway.
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { PlayLinkQuery, RoomAccess, RoomGrant } from '../live/room-access.ts';
import type { RecheckScope } from '../realtime/realtime-service.ts';

type PlayLink = PlayLinkQuery;

const RECHECK_EVERY_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Viewer {
  roomId: number;
  playLink: PlayLink;
  end: () => void;
  /** Unknown until the first check answers. */
  grant: RoomGrant | null;
  checkedAt: number;
  expiry?: NodeJS.Timeout | undefined;
  checking?: Promise<void> | undefined;
  /** An access change arrived while a check was reading: read again once it is done. */
  again?: boolean;
}

export class FlvAudience {
  private readonly viewers = new Set<Viewer>();
  private sweep: NodeJS.Timeout | undefined;
  /**
   * Decisions being read, by room and link: the viewers of a public room (no link) or of one shared
   * link are decided by one read, not one each, when a recheck reaches them all at once.
   */
  private readonly reading = new Map<string, ReturnType<RoomAccess['authorize']>>();

  constructor(private readonly ctx: AppContext) {}

  get size(): number {
    return this.viewers.size;
  }

  /**
   * Follow an open FLV response (`end` closes it). Checked again at once, so a change between the
   * open and now is not missed. Returns the function to call when the response closed.
   */
  watch(roomId: number, playLink: PlayLink, end: () => void): () => void {
    const v: Viewer = { roomId, playLink, end, grant: null, checkedAt: 0 };
    this.viewers.add(v);
    void this.check(v);
    return () => this.forget(v);
  }

  /** Re-check the viewers of a room, or of a shop's rooms; returns how many. */
  recheck(scope: RecheckScope): number {
    // Reads begun before this change may have missed it: the checks below read afresh.
    this.reading.clear();
    let n = 0;
    for (const v of this.viewers) {
      const shop = v.grant === null || v.grant.merchantId === scope.merchantId;
      if (v.roomId === scope.roomId || shop) {
        n++;
        void this.check(v);
      }
    }
    return n;
  }

  /** The room's show ended: end its downloads here; returns how many. */
  endRoom(roomId: number): number {
    let n = 0;
    for (const v of this.viewers) {
      if (v.roomId !== roomId) continue;
      n++;
      this.forget(v);
      v.end();
    }
    return n;
  }

  start(): void {
    this.sweep = setInterval(() => {
      const before = Date.now() - RECHECK_EVERY_MS;
      for (const v of this.viewers) if (v.grant?.via !== 'public' && v.checkedAt < before) void this.check(v);
    }, RECHECK_EVERY_MS / 3);
    this.sweep.unref();
  }

  stop(): void {
    if (this.sweep) clearInterval(this.sweep);
    for (const v of this.viewers) clearTimeout(v.expiry);
  }

  private forget(v: Viewer): void {
    clearTimeout(v.expiry);
    this.viewers.delete(v);
  }

  private check(v: Viewer): Promise<void> {
    if (v.checking) {
      v.again = true;
      return v.checking;
    }
    v.checking = (async () => {
      do {
        v.again = false;
        await this.run(v);
      } while (v.again && this.viewers.has(v));
    })().finally(() => {
      v.checking = undefined;
    });
    return v.checking;
  }

  private decide(v: Viewer): ReturnType<RoomAccess['authorize']> {
    const { exp, sig, inv, st } = v.playLink;
    const key = JSON.stringify([v.roomId, exp, sig, inv, st]);
    let decision = this.reading.get(key);
    if (!decision) {
      decision = this.ctx.services.roomAccess.authorize(v.roomId, { playLink: v.playLink }, { fresh: true });
      const settled = decision;
      this.reading.set(key, settled);
      const done = () => {
        if (this.reading.get(key) === settled) this.reading.delete(key);
      };
      void settled.catch(() => undefined).finally(done);
    }
    return decision;
  }

  private async run(v: Viewer): Promise<void> {
    if (!this.viewers.has(v)) return;
    try {
      const { grant } = await this.decide(v);
      v.grant = grant;
      v.checkedAt = Date.now();
      clearTimeout(v.expiry);
      if (grant.expiresAt !== null) {
        const inMs = Math.min(MAX_TIMER_MS, Math.max(0, grant.expiresAt - Date.now()) + 100);
        v.expiry = setTimeout(() => void this.check(v), inMs);
        v.expiry.unref();
      }
    } catch (err) {
      if (err instanceof AppError) {
        this.ctx.log.info({ roomId: v.roomId, code: err.code }, 'flv viewer no longer admitted: stream ended');
        this.forget(v);
        v.end();
        return;
      }
      // The database is unreachable: the grant stands until it expires (the timer above).
      this.ctx.log.warn({ err, roomId: v.roomId }, 'flv access recheck failed');
    }
  }
}
