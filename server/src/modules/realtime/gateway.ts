// The WebSocket gateway on the node's HTTP server (path /ws): authenticates, runs the built-in
// frames (auth, join, leave, ping) and dispatches the rest to handlers other modules register
// (chat, like, gift…). A handler's return value is acked, an AppError becomes an error frame;
// nothing a client sends can crash the process. Each connection's frames run one at a time, in order.
// Every way into a room (join, ?roomId=, resume) goes through Admission; handlers run only for a
// socket whose grant still covers its room, and the hub delivers only to such sockets.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { disabledUserKey, revokedSessionKey } from '../../platform/auth/guard.ts';
import { Admission, type JoinCheck } from './admission.ts';
import { Conn, type ConnUser } from './connection.ts';
import {
  CloseCode,
  GUEST_ID,
  MAX_CLIENT_FRAME_BYTES,
  parseClientFrame,
  PROTOCOL_VERSION,
  type ClientAnswers,
  type ClientFrameType,
  type IncomingFrame,
  type Sendable,
} from './protocol.ts';
import { readHistory, type RoomHub } from './room-hub.ts';
import { presence } from './presence.ts';

export const WS_PATH = '/ws';
const HEARTBEAT_MS = 25_000;
const HISTORY_ON_JOIN = 50;
const MAX_MALFORMED = 10;
/** Frames rejected in a row before a flooder is cut off. */
const FLOOD_CLOSE_AFTER = 100;
/** Frames that do not act in a room (join admits by itself). */
const BUILT_IN = new Set(['ping', 'auth', 'join', 'leave']);

/**
 * Answers one client frame type with what its `ack` carries (packages/sdk/src/realtime-frames.ts).
 * The frame's data arrives unchecked: the handler validates it.
 */
export type FrameHandler<T extends ClientFrameType = ClientFrameType> = (
  conn: Conn,
  frame: IncomingFrame,
) => Promise<Sendable<ClientAnswers[T]>>;
type AnyHandler = (conn: Conn, frame: IncomingFrame) => Promise<object>;
export type { JoinCheck };
export type JoinListener = (conn: Conn, roomId: number) => Promise<void> | void;

export class Gateway {
  private wss: WebSocketServer | undefined;
  private readonly handlers = new Map<string, AnyHandler>();
  readonly joinChecks: JoinCheck[] = [];
  readonly joinListeners: JoinListener[] = [];
  readonly leaveListeners: JoinListener[] = [];
  private readonly conns = new Set<Conn>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly queues = new WeakMap<Conn, Promise<void>>();
  private readonly gauge;
  readonly admission: Admission;

  constructor(
    private readonly ctx: AppContext,
    readonly hub: RoomHub,
  ) {
    this.gauge = ctx.metrics.gauge('livemall_ws_connections', 'Open room WebSocket connections on this node');
    this.admission = new Admission(ctx, this.joinChecks, (conn, err) => this.evict(conn, err));
    hub.onDenied = (conn) => void this.admission.recheck(conn);
    this.on('ping', async () => ({ pong: Date.now() }));
    this.on('auth', async (conn, f) => this.authFrame(conn, f));
    this.on('join', async (conn, f) => this.join(conn, f));
    this.on('leave', async (conn) => {
      await this.leave(conn);
      return {};
    });
  }

  /** Register a client frame type (interaction: chat, like, gift…). */
  on<T extends ClientFrameType>(type: T, handler: FrameHandler<T>): void {
    if (this.handlers.has(type)) throw new Error(`Duplicate realtime frame handler ${type}`);
    this.handlers.set(type, handler as AnyHandler);
  }

  /** Every client frame type this node answers (built-in and registered by modules). */
  frameTypes(): string[] {
    return [...this.handlers.keys()];
  }

  get connectionCount(): number {
    return this.conns.size;
  }
  *connections(): Iterable<Conn> {
    yield* this.conns;
  }

  attach(): void {
    const server = this.ctx.httpServer;
    if (!server) throw new Error('realtime gateway needs the HTTP server (start after listen)');
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== WS_PATH) return; // other upgrade paths belong to other modules
      socket.on('error', () => socket.destroy());
      this.wss!.handleUpgrade(
        req,
        socket,
        head,
        (ws) =>
          void this.accept(ws, url).catch((err: unknown) => {
            this.ctx.log.error({ err }, 'websocket accept failed');
            ws.terminate();
          }),
      );
    });
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private beat(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        /* closing */
      }
    }
  }

  private async accept(ws: WebSocket, url: URL): Promise<void> {
    const v = url.searchParams.get('v');
    const guestParam = url.searchParams.get('guestId');
    const guestId =
      guestParam && GUEST_ID.test(guestParam) ? guestParam : `g_${crypto.randomBytes(12).toString('base64url')}`;
    const conn = new Conn(crypto.randomUUID(), ws, guestId);
    this.conns.add(conn);
    this.gauge.inc();
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (err) => this.ctx.log.debug({ err: err.message, conn: conn.id }, 'websocket error'));
    ws.on('close', () => void this.closed(conn));
    ws.on('message', (data, isBinary) => {
      conn.alive = true;
      this.enqueueFrame(conn, isBinary ? null : data.toString());
    });
    if (v !== null && v !== String(PROTOCOL_VERSION)) {
      conn.sendPrivate({
        type: 'error',
        data: { code: 'UNSUPPORTED_VERSION', message: `This server speaks protocol ${PROTOCOL_VERSION}` },
      });
      return conn.close(CloseCode.unsupportedVersion, 'unsupported protocol version');
    }
    const token = url.searchParams.get('token');
    if (token) {
      const user = await this.authenticate(token).catch((err: unknown) => err as AppError);
      if (user instanceof AppError) {
        conn.sendPrivate({ type: 'error', data: { code: user.code, message: user.message } });
        return conn.close(CloseCode.unauthorized, user.code);
      }
      conn.user = user;
    }
    conn.sendPrivate({ type: 'hello', data: this.helloData(conn) });
    const room = Number(url.searchParams.get('roomId'));
    if (Number.isSafeInteger(room) && room > 0) {
      const resume = url.searchParams.get('resumeFrom');
      const invite = url.searchParams.get('invite');
      const data = { roomId: room, ...(resume ? { resumeFrom: Number(resume) } : {}), ...(invite ? { invite } : {}) };
      this.enqueueFrame(conn, JSON.stringify({ type: 'join', data }));
    }
  }

  private helloData(conn: Conn) {
    return {
      protocol: PROTOCOL_VERSION,
      connId: conn.id,
      guestId: conn.guestId,
      heartbeatMs: HEARTBEAT_MS,
      user: conn.user ? { id: conn.user.userId, nickname: conn.user.nickname } : null,
    };
  }

  private async authenticate(token: string): Promise<ConnUser> {
    const claims = await this.ctx.tokens.verifyAccess(token);
    const [revoked, disabled] = await Promise.all([
      this.ctx.cache.get(revokedSessionKey(claims.sessionId)),
      this.ctx.cache.get(disabledUserKey(claims.userId)),
    ]);
    if (revoked || disabled) throw new AppError(401, 'SESSION_REVOKED', 'This session has ended; sign in again');
    const user = await this.ctx.services.auth.getUser(claims.userId);
    return {
      userId: claims.userId,
      nickname: user.nickname,
      isPlatformAdmin: claims.isPlatformAdmin,
      sessionId: claims.sessionId,
    };
  }

  private async authFrame(conn: Conn, f: IncomingFrame) {
    if (typeof f.data.token !== 'string') throw badRequest('VALIDATION_FAILED', 'auth needs data.token');
    conn.user = await this.authenticate(f.data.token);
    if (conn.roomId !== null) {
      // Presence counts the signed-in user instead of the guest from now on.
      const roomId = conn.roomId;
      await this.uncount(conn, roomId);
      // A different person may be behind the socket now: their own access decides, and whether they
      // are audience (a shop's staff member signing in stops counting).
      await this.admission.recheck(conn);
      if (conn.roomId === roomId) await this.count(conn, roomId);
    }
    return this.helloData(conn);
  }

  /** Serialise each connection's frames so a sender's chat keeps its order. */
  private enqueueFrame(conn: Conn, raw: string | null): void {
    if (conn.closed) return;
    if (!conn.takeToken()) {
      if (conn.overLimit >= FLOOD_CLOSE_AFTER) {
        conn.close(CloseCode.flood, 'flood');
        return;
      }
      if (conn.overLimit === 1 || conn.overLimit % 20 === 0)
        conn.sendPrivate({ type: 'error', data: { code: 'RATE_LIMITED', message: 'Too many frames; slow down' } });
      return;
    }
    const prev = this.queues.get(conn) ?? Promise.resolve();
    const next = prev
      .then(() => this.handle(conn, raw))
      .catch((err: unknown) => this.ctx.log.error({ err }, 'frame handling failed'));
    this.queues.set(conn, next);
  }

  private async handle(conn: Conn, raw: string | null): Promise<void> {
    if (conn.closed) return;
    const parsed =
      raw === null
        ? { ok: false as const, code: 'MALFORMED_FRAME', message: 'Binary frames are not accepted' }
        : parseClientFrame(raw);
    if (!parsed.ok) {
      conn.sendPrivate({
        type: 'error',
        data: { code: parsed.code, message: parsed.message, ...(parsed.ref ? { ref: parsed.ref } : {}) },
      });
      if (++conn.malformed > MAX_MALFORMED) conn.close(CloseCode.protocolError, 'too many malformed frames');
      return;
    }
    const { frame } = parsed;
    const handler = this.handlers.get(frame.type);
    if (!handler) {
      conn.sendPrivate({
        type: 'error',
        data: {
          code: 'UNKNOWN_TYPE',
          message: `Unknown frame type "${frame.type}"`,
          ...(frame.ref ? { ref: frame.ref } : {}),
        },
      });
      if (++conn.malformed > MAX_MALFORMED) conn.close(CloseCode.protocolError, 'too many malformed frames');
      return;
    }
    try {
      // A grant that expired (or was withdrawn) is re-checked before the frame acts in the room.
      const actsInRoom = !BUILT_IN.has(frame.type) && conn.roomId !== null;
      if (actsInRoom && !conn.mayReceive(conn.roomId!)) await this.admission.recheck(conn);
      const result = await handler(conn, frame);
      const data = { ...(frame.ref ? { ref: frame.ref } : {}), ...result };
      if (frame.type === 'ping') conn.sendPrivate({ type: 'pong', data: data as { ref?: string; pong: number } });
      else if (frame.ref !== undefined) conn.sendPrivate({ type: 'ack', data });
    } catch (err) {
      if (err instanceof AppError) {
        conn.sendPrivate({
          type: 'error',
          data: {
            code: err.code,
            message: err.message,
            ...(frame.ref ? { ref: frame.ref } : {}),
            ...(err.details !== undefined ? { details: err.details } : {}),
          },
        });
        if (err.code === 'BANNED') conn.close(CloseCode.banned, 'banned');
        else if (err.statusCode === 401 && frame.type === 'auth') conn.close(CloseCode.unauthorized, err.code);
      } else {
        this.ctx.log.error({ err, type: frame.type }, 'realtime handler failed');
        conn.sendPrivate({
          type: 'error',
          data: {
            code: 'INTERNAL',
            message: 'Something went wrong on our side',
            ...(frame.ref ? { ref: frame.ref } : {}),
          },
        });
      }
    }
  }

  private async join(conn: Conn, f: IncomingFrame) {
    const roomId = Number(f.data.roomId);
    if (!Number.isSafeInteger(roomId) || roomId <= 0) throw badRequest('VALIDATION_FAILED', 'join needs data.roomId');
    const invite = typeof f.data.invite === 'string' ? f.data.invite : undefined;
    const { room, grant } = await this.admission.admit(conn, roomId, invite);
    if (conn.roomId !== null && conn.roomId !== roomId) await this.leave(conn);
    const again = conn.roomId === roomId;
    conn.roomId = roomId;
    conn.grant = grant;
    conn.grantCheckedAt = Date.now();
    conn.invite = invite;
    if (!again) conn.joinedAt = Date.now();
    await this.hub.add(conn, roomId);
    const p = again ? await presence.read(this.ctx.cache, roomId) : await this.count(conn, roomId);
    const resumeFrom =
      typeof f.data.resumeFrom === 'number' && Number.isSafeInteger(f.data.resumeFrom) ? f.data.resumeFrom : undefined;
    const { frames, complete } = await readHistory(this.ctx.cache, roomId, resumeFrom, HISTORY_ON_JOIN);
    for (const l of this.joinListeners) await l(conn, roomId);
    return {
      roomId,
      title: room.title,
      status: room.status,
      online: p.online,
      cumulative: p.cumulative,
      seq: Number((await this.ctx.cache.get(`rt:room:${roomId}:seq`)) ?? 0),
      history: frames,
      resumed: resumeFrom !== undefined,
      complete,
    };
  }

  async leave(conn: Conn): Promise<void> {
    const roomId = conn.roomId;
    if (roomId === null) return;
    conn.roomId = null;
    conn.grant = null;
    conn.invite = undefined;
    this.hub.remove(conn, roomId);
    for (const l of this.leaveListeners)
      await Promise.resolve(l(conn, roomId)).catch((err: unknown) =>
        this.ctx.log.warn({ err }, 'leave listener failed'),
      );
    await this.uncount(conn, roomId);
  }

  /** Count the socket's viewer in the room's audience, unless they are the shop's staff or an operator. */
  private async count(conn: Conn, roomId: number) {
    if (conn.grant?.via === 'staff') return presence.read(this.ctx.cache, roomId);
    conn.countedAs = conn.viewerKey;
    return presence.join(this.ctx.cache, roomId, conn.countedAs);
  }

  private async uncount(conn: Conn, roomId: number) {
    const key = conn.countedAs;
    if (key === null) return;
    conn.countedAs = null;
    await presence.leave(this.ctx.cache, roomId, key);
  }

  /** Out of the room, with an error frame saying why (INVITE_REVOKED, ROOM_NOT_FOUND…). The socket stays open. */
  private async evict(conn: Conn, err: AppError): Promise<void> {
    const roomId = conn.roomId;
    if (roomId === null) return;
    conn.grant = null; // nothing more of the room, from this instant
    await this.leave(conn);
    conn.sendPrivate({ type: 'error', data: { code: err.code, message: err.message, roomId } });
    if (err.code === 'BANNED') conn.close(CloseCode.banned, 'banned');
  }

  private async closed(conn: Conn): Promise<void> {
    conn.markClosed();
    this.conns.delete(conn);
    this.gauge.dec();
    await this.leave(conn).catch((err: unknown) => this.ctx.log.warn({ err }, 'leave on close failed'));
  }

  /** Close every viewer with "going away" so they reconnect (to this node after restart, or another). */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    const conns = [...this.conns];
    for (const c of conns) c.close(CloseCode.goingAway, 'server restarting: reconnect and resume');
    await Promise.all(conns.map((c) => this.leave(c).catch(() => undefined)));
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }
}
