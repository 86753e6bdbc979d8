// The media pipeline of one node: RTMP ingest → room goes live → HLS packaging and recording;
// publisher gone for longer than the grace period → room ends, recording finalised as a replay.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../platform/context.ts';
import { SupervisedFfmpeg } from './ffmpeg.ts';
import { locateFfmpeg, type FfmpegLookup } from './ffmpeg-locate.ts';
import { RtmpIngest } from './ingest.ts';
import { StreamPackager } from './packager.ts';
import { FlvAudience } from './flv-audience.ts';
import type { RecheckScope } from '../realtime/realtime-service.ts';

export class MediaService {
  readonly mediaDir: string;
  /** The ffmpeg this node runs (system or bundled), or why there is none; known once `located` settles. */
  ffmpeg: FfmpegLookup = { found: null, reason: 'still looking for ffmpeg' };
  /** The probe, begun at construction so that the rest of start-up runs meanwhile (awaited before listening). */
  readonly located: Promise<void>;
  private ingest: RtmpIngest | undefined;
  private readonly packagers = new Map<number, StreamPackager>(); // by room
  private demo: SupervisedFfmpeg | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** This node's HTTP-FLV viewers, re-checked whenever access changes (flv-audience.ts). */
  readonly audience: FlvAudience;

  constructor(private readonly ctx: AppContext) {
    this.mediaDir = path.join(ctx.config.dataDir, 'media');
    this.located = locateFfmpeg(ctx.config.ffmpegPath).then((lookup) => {
      this.ffmpeg = lookup;
    });
    this.audience = new FlvAudience(ctx);
  }

  get ffmpegAvailable(): boolean {
    return this.ffmpeg.found !== null;
  }
  private get ffmpegBin(): string {
    return this.ffmpeg.found?.path ?? 'ffmpeg';
  }
  get ingestRunning(): boolean {
    return this.ingest !== undefined;
  }
  liveCount(): number {
    return this.packagers.size;
  }

  async start(): Promise<void> {
    const { config, log } = this.ctx;
    await this.located;
    if (this.ffmpeg.found) log.info({ ffmpeg: this.ffmpeg.found }, `using the ${this.ffmpeg.found.source} ffmpeg`);
    else log.warn({ reason: this.ffmpeg.reason }, 'ffmpeg not found: serving HTTP-FLV only (no HLS, no replays)');
    // One access change, one recheck on every node: its sockets (realtime), and here its FLV
    // downloads and RTMP publishers.
    this.audience.start();
    this.ctx.services.realtime?.onRecheck((scope) => {
      this.audience.recheck(scope);
      void this.recheckPublishers(scope).catch((err: unknown) => log.warn({ err }, 'publisher recheck failed'));
    });
    if (config.rtmpPort === 0) return; // ingest disabled on this node
    this.ingest = new RtmpIngest(
      { host: config.host, port: config.rtmpPort, dataDir: config.dataDir, graceMs: config.liveGraceMs, log },
      {
        authorize: async (key) => {
          const verdict = await this.ctx.services.live.mayPublish(key);
          if (!verdict.ok) log.info({ reason: verdict.reason }, 'rtmp publish refused');
          return verdict.ok;
        },
        onPublish: async (key) => {
          const room = await this.ctx.services.live.roomForKey(key);
          if (!room) return;
          const sessionId = await this.ctx.services.live.goLive(room.id);
          if (this.ffmpegAvailable && !this.packagers.has(room.id)) {
            const p = new StreamPackager({
              ffmpegPath: this.ffmpegBin,
              source: `rtmp://127.0.0.1:${config.rtmpPort}/live/${key}`,
              mediaDir: this.mediaDir,
              roomId: room.id,
              sessionId,
              segmentSec: config.hlsSegmentSec,
              ladder: config.transcodeLadder,
              log,
            });
            this.packagers.set(room.id, p);
            p.start();
          }
        },
        onUnpublish: async (key) => {
          const room = await this.ctx.services.live.roomForKey(key);
          if (!room) return;
          const sessionId = await this.ctx.services.live.end(room.id, 'publisher gone');
          await this.stopRoom(room.id, sessionId);
        },
      },
    );
    await this.ingest.start();
    await this.reconcile();
  }

  /** Rooms left "live" by a previous run (crash, restart) end unless their publisher is back within the grace period. */
  private async reconcile(): Promise<void> {
    const stale = await this.ctx.services.roomDirectory.live();
    for (const r of stale) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (this.ingest?.isPublishing(r.streamKey)) return;
        void this.ctx.services.live
          .end(r.id, 'no publisher after restart')
          .then((sessionId) => this.stopRoom(r.id, sessionId))
          .catch((err: unknown) => this.ctx.log.error({ err, roomId: r.id }, 'could not end stale room'));
      }, this.ctx.config.liveGraceMs);
      t.unref();
      this.timers.add(t);
    }
  }

  /** Stop packaging a room and publish its recording as a replay. */
  async stopRoom(roomId: number, sessionId: number | null): Promise<void> {
    this.audience.endRoom(roomId); // the show is over: its FLV downloads end rather than wait for a publisher
    const p = this.packagers.get(roomId);
    this.packagers.delete(roomId);
    if (!p || sessionId === null) return;
    const duration = await p.finish();
    fs.rmSync(p.liveDir, { recursive: true, force: true });
    await this.ctx.services.replays.recorded(sessionId, duration);
  }

  /**
   * The publishers here of a room or a shop's rooms, asked again whether they may stream (the shop
   * was suspended or rejected): one who may not is disconnected, and its show ends (onUnpublish).
   */
  async recheckPublishers(scope: RecheckScope): Promise<number> {
    let dropped = 0;
    for (const key of this.ingest?.publishingKeys() ?? []) {
      const room = await this.ctx.services.live.roomForKey(key);
      if (!room || (room.id !== scope.roomId && room.merchant_id !== scope.merchantId)) continue;
      const verdict = await this.ctx.services.live.mayPublish(key);
      if (verdict.ok || !this.ingest?.disconnect(key)) continue;
      this.ctx.log.info({ roomId: room.id, reason: verdict.reason }, 'rtmp publisher disconnected');
      dropped++;
    }
    return dropped;
  }

  packagerFor(roomId: number): StreamPackager | undefined {
    return this.packagers.get(roomId);
  }

  playFlv(key: string, write: (b: Buffer) => void, close: () => void) {
    return this.ingest?.playFlv(key, write, close) ?? null;
  }

  /** The demo room's show: a generated test pattern and tone pushed to our own RTMP. */
  startDemoStream(key: string): void {
    if (!this.ffmpegAvailable || !this.ingest) return;
    this.demo = new SupervisedFfmpeg(
      this.ffmpegBin,
      () => [
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=640x360:rate=25',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=44100',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-tune',
        'zerolatency',
        '-pix_fmt',
        'yuv420p',
        '-g',
        '25',
        '-keyint_min',
        '25',
        '-b:v',
        '600k',
        '-c:a',
        'aac',
        '-b:a',
        '64k',
        '-ar',
        '44100',
        '-f',
        'flv',
        `rtmp://127.0.0.1:${this.ctx.config.rtmpPort}/live/${key}`,
      ],
      this.ctx.log,
      'demo stream',
    );
    this.demo.start();
  }

  /** Delete recordings older than the retention period (a recurring job). */
  async pruneReplays(): Promise<number> {
    const { replays } = this.ctx.services;
    const old = await replays.pastRetention(this.ctx.config.replayRetentionDays);
    for (const sessionId of old) {
      fs.rmSync(path.join(this.mediaDir, 'replays', String(sessionId)), { recursive: true, force: true });
      await replays.deleted(sessionId);
    }
    return old.length;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.audience.stop();
    await this.demo?.stop();
    await Promise.all([...this.packagers.values()].map((p) => p.process.stop()));
    await this.ingest?.stop();
  }
}
