// Test helpers for the media pipeline: a real RTMP push from ffmpeg (test pattern + tone, like a
// phone or OBS would send) and ffprobe to check what a viewer actually receives.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Pusher {
  proc: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Push a 320x240 test pattern with a tone to `url` for at most `seconds` (with `bin`, e.g. the bundled ffmpeg). */
export function pushTestPattern(url: string, seconds = 60, bin = 'ffmpeg'): Pusher {
  const proc = spawn(
    bin,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=320x240:rate=25:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '25',
      '-b:v',
      '300k',
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      '-f',
      'flv',
      url,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    exited,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

export interface ProbeResult {
  ok: boolean;
  streams: Array<{ codec_type: string; codec_name: string; width?: number }>;
  durationSec: number | null;
  error: string;
}

/** What ffprobe sees at a URL (an FLV stream, a live or VOD HLS playlist). Async: the server under test runs in this process. */
export async function probe(url: string, timeoutSec = 15): Promise<ProbeResult> {
  const child = spawn(
    'ffprobe',
    [
      '-v',
      'error',
      '-rw_timeout',
      String(timeoutSec * 1_000_000),
      '-show_entries',
      'stream=codec_type,codec_name,width:format=duration',
      '-of',
      'json',
      url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), timeoutSec * 1000 + 5000);
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(kill);
  try {
    const j = JSON.parse(stdout || '{}') as { streams?: ProbeResult['streams']; format?: { duration?: string } };
    const streams = (j.streams ?? []).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
    const d = Number(j.format?.duration);
    return {
      ok: status === 0 && streams.length > 0,
      streams,
      durationSec: Number.isFinite(d) ? d : null,
      error: stderr,
    };
  } catch {
    return { ok: false, streams: [], durationSec: null, error: stderr };
  }
}

/** What ffmpeg itself reads at a URL (for machines with no ffprobe: it prints the input's streams and duration). */
export async function probeWithFfmpeg(bin: string, url: string, timeoutSec = 15): Promise<ProbeResult> {
  const args = ['-hide_banner', '-nostdin', '-rw_timeout', String(timeoutSec * 1_000_000), '-i', url];
  args.push('-t', '1', '-f', 'null', '-'); // decode one second, write nothing
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), timeoutSec * 1000 + 5000);
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(kill);
  const input = stderr.split(/^Output #0/m)[0] ?? '';
  const streams = [...input.matchAll(/Stream #0:\d+.*?: (Video|Audio): (\w+)/g)].map((m) => ({
    codec_type: m[1]!.toLowerCase(),
    codec_name: m[2]!,
  }));
  const d = /Duration: (\d+):(\d+):([\d.]+)/.exec(input);
  const durationSec = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null;
  return { ok: status === 0 && streams.length > 0, streams, durationSec, error: stderr.slice(-2000) };
}

export const codecs = (p: ProbeResult) => p.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort();

export function processAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
