// RTMP ingest through node-media-server, in process. Publishing is authorised by stream key:
// unknown key, ended room → the session is closed at once; a second publisher is refused by NMS.
// node-media-server keeps global state, so one ingest per process (the node's).
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from 'pino';

const require = createRequire(import.meta.url);
const HANDSHAKE_DEADLINE_MS = 8000;

interface NmsSession {
  id: string;
  ip: string;
  streamPath: string;
  streamName: string;
  streamApp: string;
  socket?: { once(ev: 'close', cb: () => void): void; destroy(): void };
  close(): void;
}

export interface IngestHandlers {
  /** Return true to accept the publisher. */
  authorize(key: string): Promise<boolean>;
  onPublish(key: string): Promise<void>;
  onUnpublish(key: string): Promise<void>;
}

export class RtmpIngest {
  private nms:
    | {
        run(): Promise<void>;
        stop(): Promise<void>;
        on(ev: string, cb: (s: NmsSession) => void): void;
        rtmpServer?: { tcpServer?: import('node:net').Server };
      }
    | undefined;
  /** Sockets that got as far as publish or play; anything else is cut at the deadline. */
  private readonly streaming = new WeakSet<object>();
  private readonly accepted = new Set<string>();
  /** The accepted publisher of each stream key here. */
  private readonly publishers = new Map<string, NmsSession>();
  private context:
    | {
        broadcasts: Map<
          string,
          {
            publishGraceMs: number;
            publisher: unknown;
            postPlay(s: unknown): string | null;
            donePlay(s: unknown): void;
          }
        >;
      }
    | undefined;

  constructor(
    private readonly opts: { host: string; port: number; dataDir: string; graceMs: number; log: Logger },
    private readonly handlers: IngestHandlers,
  ) {}

  async start(): Promise<void> {
    const NodeMediaServer = require('node-media-server');
    const nmsLogger = require('node-media-server/src/core/logger.js');
    this.context = require('node-media-server/src/core/context.js');
    this.nms = new NodeMediaServer({
      bind: this.opts.host,
      rtmp: { port: this.opts.port, chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 },
      store: { path: path.join(this.opts.dataDir, 'nms') },
      webadmin: { enable: false },
    });
    nmsLogger.level = 'error';
    this.nms!.on('prePublish', (session) => {
      // Hook return values are ignored by NMS: refuse by closing, and remember who we let in.
      if (session.socket) this.streaming.add(session.socket);
      const key = session.streamName;
      if (session.streamApp !== 'live') {
        session.close();
        return;
      }
      void this.handlers
        .authorize(key)
        .then((ok) => {
          if (!ok) {
            this.opts.log.info({ key: `${key.slice(0, 4)}…`, ip: session.ip }, 'publish refused');
            session.close();
            return;
          }
          this.accepted.add(session.id);
          this.publishers.set(key, session);
          // Our grace: a short network drop does not end the show (NMS resumes the same stream).
          const b = this.context!.broadcasts.get(session.streamPath);
          if (b) b.publishGraceMs = this.opts.graceMs;
          void this.handlers.onPublish(key).catch((err: unknown) => this.opts.log.error({ err }, 'onPublish failed'));
        })
        .catch((err: unknown) => {
          this.opts.log.error({ err }, 'publish authorisation failed');
          session.close();
        });
    });
    // Fires after NMS's grace (ours) has passed without the publisher coming back.
    this.nms!.on('donePublish', (session) => {
      if (!this.accepted.delete(session.id)) return;
      if (this.publishers.get(session.streamName) === session) this.publishers.delete(session.streamName);
      void this.handlers
        .onUnpublish(session.streamName)
        .catch((err: unknown) => this.opts.log.error({ err }, 'onUnpublish failed'));
    });
    this.nms!.on('prePlay', (session) => {
      if (session.socket) this.streaming.add(session.socket);
    });
    await this.nms!.run();
    // NMS parses whatever arrives: a client that sends garbage (or nothing) would hold a socket
    // forever. Anyone not publishing or playing by the deadline is disconnected.
    this.nms!.rtmpServer?.tcpServer?.on('connection', (socket) => {
      const t = setTimeout(() => {
        if (this.streaming.has(socket) || socket.destroyed) return;
        this.opts.log.info({ ip: socket.remoteAddress }, 'rtmp client neither published nor played: disconnected');
        socket.destroy();
      }, HANDSHAKE_DEADLINE_MS);
      t.unref();
      socket.once('close', () => clearTimeout(t));
    });
  }

  /** Subscribe an HTTP-FLV viewer to a live stream; returns an unsubscribe function or null. */
  playFlv(key: string, write: (chunk: Buffer) => void, close: () => void): (() => void) | null {
    const broadcast = this.context?.broadcasts.get(`/live/${key}`);
    if (!broadcast?.publisher) return null;
    const BaseSession = require('node-media-server/src/session/base_session.js');
    const session = new BaseSession();
    session.protocol = 'flv';
    session.ip = ''; // internal: skips NMS's own play auth and events
    session.streamPath = `/live/${key}`;
    session.sendBuffer = (buf: Buffer) => write(buf);
    session.close = close;
    const err = broadcast.postPlay(session);
    if (err) return null;
    return () => broadcast.donePlay(session);
  }

  /** Stream keys with an accepted publisher on this node. */
  publishingKeys(): string[] {
    return [...this.publishers.keys()];
  }

  /**
   * Cut a publisher off (its shop may no longer stream): no grace for a reconnect, so the show ends
   * now (onUnpublish) and a new push is authorised afresh.
   */
  disconnect(key: string): boolean {
    const session = this.publishers.get(key);
    if (!session) return false;
    const b = this.context?.broadcasts.get(session.streamPath);
    if (b) b.publishGraceMs = 0;
    if (session.socket) session.socket.destroy();
    else session.close();
    return true;
  }

  isPublishing(key: string): boolean {
    return !!this.context?.broadcasts.get(`/live/${key}`)?.publisher;
  }

  async stop(): Promise<void> {
    await this.nms?.stop();
  }
}
