// Media benchmark: push-to-playback latency for HTTP-FLV and for our 1 s-segment HLS, next to a
// default-settings HLS (6 s segments) baseline written in the same run, and the server CPU cost
// of each extra FLV viewer. Bounded: ~1 minute.
//   npx tsx bench/media-latency.ts          (needs ffmpeg: apt-get install ffmpeg)
//
// Method: ffmpeg pushes a test pattern in real time (-re), so the frame with timestamp t leaves
// the pusher at wall time T0 + t (T0 = when ffmpeg was spawned; its start-up time makes every
// figure slightly pessimistic). FLV: tag timestamps arrive unchanged, latency = arrival − (T0 + t).
// HLS: the segment's first video PTS (relative to segment 0) gives t; "availability" = when the
// segment is listed in the playlist − (T0 + t); a player holding 3 target durations back from the
// live edge (hls.js default) shows frames about availability + 2 × target duration late.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { progress } from '../server/src/platform/progress.ts';
import { startLiveMall } from './lib/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const VIEWER_STEPS = [50, 200];
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const body = (await res.json()) as any;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Timestamps (s) of video tags in an HTTP-FLV stream, with their arrival times. */
function readFlv(url: string, onVideo: (tsMs: number, arrived: number) => void): () => void {
  let buf = Buffer.alloc(0);
  let headerDone = false;
  const req = http.get(url, (res) => {
    res.on('data', (chunk: Buffer) => {
      const now = Date.now();
      buf = Buffer.concat([buf, chunk]);
      if (!headerDone) {
        if (buf.length < 13) return;
        buf = buf.subarray(13);
        headerDone = true;
      }
      while (buf.length >= 11) {
        const size = buf.readUIntBE(1, 3);
        if (buf.length < 11 + size + 4) break;
        if (buf[0] === 9) onVideo(buf.readUIntBE(4, 3) + (buf[7]! << 24), now);
        buf = buf.subarray(11 + size + 4);
      }
    });
  });
  req.on('error', () => undefined);
  return () => req.destroy();
}

/** First video PTS (s) in an MPEG-TS segment. */
function firstVideoPts(ts: Buffer): number | null {
  for (let i = 0; i + 188 <= ts.length; i += 188) {
    if (ts[i] !== 0x47 || !(ts[i + 1]! & 0x40)) continue;
    const afc = (ts[i + 3]! >> 4) & 3;
    let p = i + 4;
    if (afc & 2) p += 1 + ts[p]!;
    if (!(afc & 1)) continue;
    if (ts[p] === 0 && ts[p + 1] === 0 && ts[p + 2] === 1 && (ts[p + 3]! & 0xf0) === 0xe0 && ts[p + 7]! & 0x80) {
      const b = p + 9;
      return (
        (((ts[b]! >> 1) & 7) * 2 ** 30 +
          (ts[b + 1]! << 22) +
          ((ts[b + 2]! >> 1) << 15) +
          (ts[b + 3]! << 7) +
          (ts[b + 4]! >> 1)) /
        90000
      );
    }
  }
  return null;
}

/** Watch an HLS playlist (URL or folder): availability latency of each new segment's first frame. */
function watchHls(
  read: (name: string) => Promise<Buffer | null>,
  t0: () => number,
  out: number[],
): { stop(): void; target: () => number } {
  const seen = new Set<string>();
  let pts0: number | null = null;
  let target = 0;
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const list = (await read('index.m3u8'))?.toString();
      const now = Date.now();
      if (list) {
        target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(list)?.[1] ?? 0);
        for (const name of list.split('\n').filter((l) => l.endsWith('.ts'))) {
          if (seen.has(name)) continue;
          seen.add(name);
          const seg = await read(name);
          const pts = seg ? firstVideoPts(seg) : null;
          if (pts === null) continue;
          if (pts0 === null) {
            pts0 = pts;
            continue;
          } // segment 0 anchors the timeline (frame t = 0)
          out.push(now - (t0() + (pts - pts0) * 1000));
        }
      }
      await sleep(100);
    }
  })();
  return {
    stop: () => {
      stopped = true;
    },
    target: () => target,
  };
}

/** CPU seconds used so far by a process and its descendants (Linux /proc). */
function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / 100); // utime + stime in clock ticks (100/s on Linux)
    } catch {
      /* exited */
    }
  }
  let total = 0;
  for (const [pid, c] of cpu) {
    let p: number | undefined = pid;
    while (p && p !== root) p = parent.get(p);
    if (p === root) total += c;
  }
  return total;
}

console.log(`LiveMall media benchmark: ${SECONDS}s of latency sampling, FLV viewers ${VIEWER_STEPS.join(' / ')}`);
console.log('starting server...');
const node = await startLiveMall({ LIVE_GRACE_MS: '2000' });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-media-bench-'));
const children: ChildProcess[] = [];
try {
  const owner = (
    await json(`${node.url}/api/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ phone: '13800000001', password: 'demo1234' }),
    })
  ).tokens.accessToken as string;
  const me = await json(`${node.url}/api/me`, { token: owner });
  const merchantId = me.merchants[0].id as number;
  const room = await json(`${node.url}/api/merchants/${merchantId}/rooms`, {
    method: 'POST',
    token: owner,
    body: JSON.stringify({ title: 'bench' }),
  });
  const { pushUrl } = await json(`${node.url}/api/merchants/${merchantId}/rooms/${room.id}/push`, { token: owner });

  // The pusher also writes the baseline HLS (6 s segments, default list) from its own output, so
  // the baseline skips our RTMP hop entirely: any advantage goes to the baseline.
  const baselineDir = path.join(work, 'baseline');
  fs.mkdirSync(baselineDir);
  const t0 = Date.now();
  const pusher = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=640x360:rate=25:duration=${SECONDS + 40}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=44100:duration=${SECONDS + 40}`,
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
      '-b:v',
      '700k',
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-f',
      'tee',
      `[f=flv:onfail=abort]${pushUrl}|[f=hls:hls_time=6:hls_segment_filename=${baselineDir}/seg_%03d.ts]${baselineDir}/index.m3u8`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.push(pusher);

  const flv: number[] = [];
  const ours: number[] = [];
  const baseline: number[] = [];
  const oursHls = watchHls(
    async (name) => {
      const r = await fetch(`${node.url}/live/${room.id}/${name}`);
      return r.ok ? Buffer.from(await r.arrayBuffer()) : null;
    },
    () => t0,
    ours,
  );
  const baseHls = watchHls(
    async (name) => fs.promises.readFile(path.join(baselineDir, name)).catch(() => null),
    () => t0,
    baseline,
  );
  let stopFlv = () => {};
  for (let i = 0; i < 100; i++) {
    if ((await json(`${node.url}/api/rooms/${room.id}`)).status === 'live') break;
    await sleep(100);
  }
  await sleep(1500); // past the GOP-cache burst a new FLV viewer gets first
  stopFlv = readFlv(`${node.url}/live/${room.id}.flv`, (ts, arrived) => {
    if (arrived - t0 > 4000) flv.push(arrived - (t0 + ts));
  });
  const sampling = progress('  sampling latency (seconds)', SECONDS);
  for (let s = 1; s <= SECONDS; s++) {
    await sleep(1000);
    sampling.update(s, `FLV frames ${flv.length}, HLS segments ${ours.length}, baseline segments ${baseline.length}`);
  }
  stopFlv();
  oursHls.stop();
  baseHls.stop();

  const rows: string[][] = [['path', 'samples', 'p50', 'p95', 'player estimate (p50 + 2 × target)']];
  rows.push(['HTTP-FLV (ours)', String(flv.length), sec(pct(flv, 50)), sec(pct(flv, 95)), sec(pct(flv, 50))]);
  rows.push([
    `HLS 1 s segments (ours)`,
    String(ours.length),
    sec(pct(ours, 50)),
    sec(pct(ours, 95)),
    sec(pct(ours, 50) + 2000 * oursHls.target()),
  ]);
  rows.push([
    `baseline HLS 6 s segments`,
    String(baseline.length),
    baseline.length ? sec(pct(baseline, 50)) : 'n/a',
    baseline.length ? sec(pct(baseline, 95)) : 'n/a',
    baseline.length ? sec(pct(baseline, 50) + 2000 * baseHls.target()) : 'n/a',
  ]);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('\nPush-to-playback latency (goal: FLV < 2 s, HLS < 6 s)');
  for (const r of rows) console.log(`  ${r.map((c, i) => c.padEnd(w[i]!)).join('  ')}`);

  // CPU per extra FLV viewer: server process tree CPU over a window, with N readers vs none.
  const pid = node.child.pid!;
  const window = async (viewers: number) => {
    const stops = Array.from({ length: viewers }, () => readFlv(`${node.url}/live/${room.id}.flv`, () => undefined));
    await sleep(2000);
    const c0 = treeCpuSeconds(pid);
    const w0 = Date.now();
    await sleep(6000);
    const used = (treeCpuSeconds(pid) - c0) / ((Date.now() - w0) / 1000);
    for (const s of stops) s();
    await sleep(1000);
    return used * 100; // % of one core
  };
  console.log('\nServer CPU (process tree, % of one core) by concurrent FLV viewers');
  const base = await window(0);
  console.log(`  0 viewers: ${base.toFixed(1)}%  (ingest + HLS packaging)`);
  for (const n of VIEWER_STEPS) {
    const c = await window(n);
    console.log(`  ${n} viewers: ${c.toFixed(1)}%  → ${((c - base) / n).toFixed(3)}% of a core per extra viewer`);
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
  await node.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
