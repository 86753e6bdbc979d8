// Per live stream: one supervised ffmpeg that copies the RTMP stream into a rolling live HLS
// playlist (1 s segments) and into the session's recording (an HLS VOD playlist), plus the
// optional transcode ladder (e.g. 480p) with a master playlist.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { SupervisedFfmpeg } from './ffmpeg.ts';

const LADDER: Record<string, { size: string; videoKbps: number }> = {
  '360p': { size: '640x360', videoKbps: 500 },
  '480p': { size: '854x480', videoKbps: 900 },
  '720p': { size: '1280x720', videoKbps: 1800 },
};

export class StreamPackager {
  private readonly ffmpeg: SupervisedFfmpeg;
  readonly liveDir: string;
  readonly replayDir: string;
  private startedOnce = false;

  constructor(opts: {
    ffmpegPath: string;
    source: string;
    mediaDir: string;
    roomId: number;
    sessionId: number;
    segmentSec: number;
    ladder: string[];
    log: Logger;
  }) {
    this.liveDir = path.join(opts.mediaDir, 'live', String(opts.roomId));
    this.replayDir = path.join(opts.mediaDir, 'replays', String(opts.sessionId));
    fs.rmSync(this.liveDir, { recursive: true, force: true });
    fs.mkdirSync(this.liveDir, { recursive: true });
    fs.mkdirSync(this.replayDir, { recursive: true });
    const ladder = opts.ladder.filter((r) => LADDER[r]);
    if (ladder.length) {
      fs.writeFileSync(
        path.join(this.liveDir, 'master.m3u8'),
        `${[
          '#EXTM3U',
          '#EXT-X-STREAM-INF:BANDWIDTH=2500000',
          'index.m3u8',
          ...ladder.flatMap((r) => [
            `#EXT-X-STREAM-INF:BANDWIDTH=${LADDER[r]!.videoKbps * 1000 + 128000},RESOLUTION=${LADDER[r]!.size}`,
            `${r}/index.m3u8`,
          ]),
        ].join('\n')}\n`,
      );
      for (const r of ladder) fs.mkdirSync(path.join(this.liveDir, r), { recursive: true });
    }
    this.ffmpeg = new SupervisedFfmpeg(
      opts.ffmpegPath,
      () => {
        // After a crash the playlists continue (append_list) with a discontinuity, so players keep going.
        const again = this.startedOnce;
        this.startedOnce = true;
        const liveFlags = `delete_segments+independent_segments+omit_endlist${again ? '+append_list+discont_start' : ''}`;
        const recFlags = `independent_segments${again ? '+append_list+discont_start' : ''}`;
        return [
          '-rw_timeout',
          '15000000',
          '-i',
          opts.source,
          '-map',
          '0:v?',
          '-map',
          '0:a?',
          '-c',
          'copy',
          '-f',
          'hls',
          '-hls_time',
          String(opts.segmentSec),
          '-hls_list_size',
          '6',
          '-hls_flags',
          liveFlags,
          '-hls_segment_filename',
          path.join(this.liveDir, `seg_${opts.sessionId}_%06d.ts`),
          path.join(this.liveDir, 'index.m3u8'),
          '-map',
          '0:v?',
          '-map',
          '0:a?',
          '-c',
          'copy',
          '-f',
          'hls',
          '-hls_time',
          '2',
          '-hls_list_size',
          '0',
          '-hls_playlist_type',
          'event',
          '-hls_flags',
          recFlags,
          '-hls_segment_filename',
          path.join(this.replayDir, 'seg_%06d.ts'),
          path.join(this.replayDir, 'index.m3u8'),
          ...ladder.flatMap((r) => [
            '-map',
            '0:v?',
            '-map',
            '0:a?',
            '-c:v',
            'libx264',
            '-preset',
            'veryfast',
            '-tune',
            'zerolatency',
            '-s',
            LADDER[r]!.size,
            '-b:v',
            `${LADDER[r]!.videoKbps}k`,
            '-g',
            String(25 * opts.segmentSec),
            '-c:a',
            'aac',
            '-b:a',
            '96k',
            '-f',
            'hls',
            '-hls_time',
            String(opts.segmentSec),
            '-hls_list_size',
            '6',
            '-hls_flags',
            liveFlags,
            '-hls_segment_filename',
            path.join(this.liveDir, r, `seg_${opts.sessionId}_%06d.ts`),
            path.join(this.liveDir, r, 'index.m3u8'),
          ]),
        ];
      },
      opts.log,
      `hls room ${opts.roomId}`,
    );
  }

  start(): void {
    this.ffmpeg.start();
  }
  get process(): SupervisedFfmpeg {
    return this.ffmpeg;
  }

  /** Stop ffmpeg and make sure the recording is a finished VOD playlist. Returns its duration. */
  async finish(): Promise<number> {
    await this.ffmpeg.stop();
    const file = path.join(this.replayDir, 'index.m3u8');
    if (!fs.existsSync(file)) return 0;
    let text = fs.readFileSync(file, 'utf8');
    if (!text.includes('#EXT-X-ENDLIST')) {
      text = `${text.trimEnd()}\n#EXT-X-ENDLIST\n`;
      fs.writeFileSync(file, text);
    }
    return Math.round([...text.matchAll(/#EXTINF:([\d.]+)/g)].reduce((s, m) => s + Number(m[1]), 0));
  }
}
