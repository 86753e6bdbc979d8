// ctx.services.realtime: the contract other modules use (publishToRoom, roomOnline), plus the
// gateway and hub for the interaction module.
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import type { Unsubscribe } from '../../platform/cache/cache.ts';
import { notFound } from '../../platform/errors.ts';
import { errorResponses, IdParam, Strict } from '../../platform/http/schemas.ts';
import { Gateway } from './gateway.ts';
import { presence, type Presence } from './presence.ts';
import type { FrameKind, OutFrame, RoomFrame } from './protocol.ts';
import { RoomHub } from './room-hub.ts';
import { roomAuthorizer } from './rooms.ts';

const PRESENCE_EVERY_MS = 2000;
/** Invitation and staff grants are re-checked at least this often without a trigger. */
const RECHECK_EVERY_MS = 30_000;
/** Node-to-node control messages (access rechecks), on the cache pub/sub like room frames. */
const CONTROL_CHANNEL = 'rt:ctl';

/** Whose access changed: a room's viewers, or every room of a shop. */
export interface RecheckScope {
  roomId?: number;
  merchantId?: number;
}

export class RealtimeService {
  readonly hub: RoomHub;
  readonly gateway: Gateway;
  private presenceTimer: NodeJS.Timeout | undefined;
  private readonly lastPresence = new Map<number, string>();
  private readonly tickers: Array<() => Promise<void> | void> = [];
  private control: Promise<Unsubscribe> | undefined;
  private readonly recheckListeners: Array<(scope: RecheckScope) => void> = [];

  constructor(private readonly ctx: AppContext) {
    this.hub = new RoomHub(ctx.cache, ctx.log, ctx.config.chatDisplayPerSec);
    this.gateway = new Gateway(ctx, this.hub);
  }

  /**
   * Fan a frame out to the room's viewers on every node. kind 'chat' frames may be dropped for a
   * viewer who lags; 'commerce' and 'system' never are. chat/commerce frames get a seq and are
   * kept for resume.
   */
  async publishToRoom(
    roomId: number,
    frame: OutFrame,
    opts: { kind?: FrameKind; seq?: number } = {},
  ): Promise<RoomFrame> {
    return this.hub.publish(roomId, {
      ...frame,
      kind: opts.kind ?? 'commerce',
      ...(opts.seq !== undefined ? { seq: opts.seq } : {}),
    });
  }

  /** A frame only these signed-in viewers of the room get (on whichever node they are). */
  async publishToUsers(roomId: number, userIds: number[], frame: OutFrame): Promise<void> {
    if (userIds.length === 0) return;
    await this.hub.publish(roomId, { ...frame, kind: 'system', to: userIds });
  }

  /**
   * Re-check the access of every viewer of a room, or of a shop's rooms, on every node (an invite
   * was withdrawn, a room turned private, the shop was suspended, a staff member left).
   */
  async recheckViewers(scope: { roomId?: number | undefined; merchantId?: number | undefined }): Promise<void> {
    if (scope.roomId === undefined && scope.merchantId === undefined) return;
    await this.ctx.cache.publish(CONTROL_CHANNEL, JSON.stringify({ op: 'recheck', ...scope }));
  }

  private onControl(raw: string): void {
    let msg: { op?: unknown; roomId?: unknown; merchantId?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return;
    }
    if (msg.op !== 'recheck') return;
    const { roomId, merchantId } = msg;
    const matches = (g: { roomId: number; merchantId: number }) => g.roomId === roomId || g.merchantId === merchantId;
    this.gateway.admission.recheckWhere(this.gateway.connections(), matches);
    const scope = {
      ...(typeof roomId === 'number' ? { roomId } : {}),
      ...(typeof merchantId === 'number' ? { merchantId } : {}),
    };
    for (const listener of this.recheckListeners) {
      try {
        listener(scope);
      } catch (err) {
        this.ctx.log.warn({ err }, 'access recheck listener failed');
      }
    }
  }

  /**
   * Run on every node with each recheckViewers (an access change): what else a node delivers to a
   * room's viewers or takes from its publisher (HTTP-FLV downloads, RTMP ingest) is re-checked too.
   */
  onRecheck(listener: (scope: RecheckScope) => void): void {
    this.recheckListeners.push(listener);
  }

  async roomOnline(roomId: number): Promise<Presence> {
    return presence.read(this.ctx.cache, roomId);
  }

  /** Work run on each presence tick for rooms with viewers on this node (likes totals…). */
  onTick(fn: () => Promise<void> | void): void {
    this.tickers.push(fn);
  }

  start(): void {
    this.control = this.ctx.cache.subscribe(CONTROL_CHANNEL, (m) => this.onControl(m));
    this.control.catch((err: unknown) => this.ctx.log.error({ err }, 'realtime control channel failed'));
    this.gateway.attach();
    this.presenceTimer = setInterval(() => void this.tick(), PRESENCE_EVERY_MS);
    this.presenceTimer.unref();
  }

  private async tick(): Promise<void> {
    for (const roomId of this.hub.localRoomIds()) {
      try {
        const p = await this.roomOnline(roomId);
        const key = `${p.online}/${p.cumulative}`;
        if (this.lastPresence.get(roomId) === key) continue;
        this.lastPresence.set(roomId, key);
        this.hub.deliverLocal(roomId, { type: 'presence', data: p, kind: 'system' });
      } catch (err) {
        this.ctx.log.warn({ err, roomId }, 'presence tick failed');
      }
    }
    for (const t of this.tickers)
      await Promise.resolve(t()).catch((err: unknown) => this.ctx.log.warn({ err }, 'realtime ticker failed'));
    this.gateway.admission.recheckStale(this.gateway.connections(), RECHECK_EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    await this.control?.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    await this.gateway.close();
    await this.hub.close();
  }

  routes(app: Http): void {
    app.get(
      '/api/rooms/:roomId/online',
      {
        config: { access: 'public' },
        schema: {
          tags: ['realtime'],
          summary:
            'Viewers online now (once per user) and cumulative viewers of a room; private rooms: staff or an invite',
          params: Type.Object({ roomId: IdParam }),
          querystring: Strict({ invite: Type.Optional(Type.String({ maxLength: 1000 })) }),
          response: { 200: Type.Object({ online: Type.Integer(), cumulative: Type.Integer() }), ...errorResponses },
        },
      },
      async (req) => {
        const access = roomAuthorizer(this.ctx);
        if (!access) throw notFound('Room', 'ROOM_NOT_FOUND');
        await access.authorize(req.params.roomId, { actor: req.actor, invite: req.query.invite });
        return this.roomOnline(req.params.roomId);
      },
    );

    app.get(
      '/api/platform/realtime',
      {
        config: { access: 'platform_admin' },
        schema: {
          tags: ['realtime'],
          summary: "This node's gateway: open connections, rooms with viewers, frames delivered",
          security: [{ bearer: [] }],
          response: {
            200: Type.Object({ connections: Type.Integer(), rooms: Type.Integer(), framesDelivered: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async () => ({
        connections: this.gateway.connectionCount,
        rooms: this.hub.localRoomIds().length,
        framesDelivered: this.hub.delivered,
      }),
    );
  }
}
