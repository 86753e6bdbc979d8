// Media: RTMP ingest (node-media-server, in process), HLS packaging and recording (ffmpeg),
// HTTP-FLV / HLS / replay delivery, the demo stream, replay retention.
import type { Module } from '../../platform/context.ts';
import { MediaService } from './media-service.ts';
import { mediaRoutes } from './routes.ts';
import { DEMO_ROOM_TITLE } from '../live/demo.ts';

declare module '../../platform/context.ts' {
  interface Services {
    media: MediaService;
  }
}

export const mediaModule: Module = {
  name: 'media',
  init(ctx) {
    const media = new MediaService(ctx);
    ctx.services.media = media;
    ctx.health.register('media', async () => ({
      status: !media.ffmpegAvailable ? 'degraded' : ctx.config.rtmpPort !== 0 && !media.ingestRunning ? 'down' : 'up',
      // Which ffmpeg: { source: system | bundled, path, version[, package] }, or why there is none.
      ffmpeg: media.ffmpeg.found ?? {
        source: 'none',
        reason: `${media.ffmpeg.reason}: HTTP-FLV only, no HLS or replays`,
      },
      rtmp:
        ctx.config.rtmpPort === 0 ? 'disabled on this node' : `rtmp://${ctx.config.host}:${ctx.config.rtmpPort}/live`,
      liveStreams: media.liveCount(),
    }));
    ctx.jobs.recurring({
      type: 'media.prune_replays',
      everyMs: 6 * 3600_000,
      run: async () => {
        await media.pruneReplays();
      },
    });
  },
  routes: mediaRoutes,
  async ready(ctx) {
    await ctx.services.media.located;
  },
  async start(ctx) {
    await ctx.services.media.start();
    if (ctx.config.demoStream && ctx.config.seedDemo) {
      const demo = await ctx.services.roomDirectory.byTitle(DEMO_ROOM_TITLE);
      if (demo && ctx.services.media.ffmpegAvailable) {
        ctx.services.media.startDemoStream(demo.streamKey);
        ctx.startupLinks.push(
          `Demo live room  ${ctx.config.publicUrl}/api/rooms/${demo.id}  (FLV ${ctx.config.publicUrl}/live/${demo.id}.flv, HLS ${ctx.config.publicUrl}/live/${demo.id}/index.m3u8)`,
        );
      }
    }
  },
  async stop(ctx) {
    await ctx.services.media.stop();
  },
};
