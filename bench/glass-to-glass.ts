// Glass to glass, in a real browser: a pusher whose every frame carries the wall-clock time it was made
// (32 black/white blocks = the time in ms, modulo 2^32), pushed over RTMP like OBS; Debian chromium plays
// the room through the shop's own player on each path (HTTP-FLV with mpegts.js, native HLS, hls.js) and
// reads back the time in the frame the video element is showing (drawn to a canvas, like a screenshot of
// the video) against the clock. Each path runs twice in the same run: with the player's earlier settings
// (?latency=previous, the baseline) and with today's. Prints p50/p95 per path.
//   npx tsx bench/glass-to-glass.ts          (needs ffmpeg and chromium: apt-get install ffmpeg chromium)
//   BENCH_PATHS=hls BENCH_SAMPLES=20 npx tsx bench/glass-to-glass.ts   (one path, fewer samples)
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { startLiveMall } from './lib/processes.ts';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
// BENCH_PATHS=hls,hlsjs: only those paths (default all three).
const ALL_PATHS = ['flv', 'hls', 'hlsjs'] as const;
const PATHS = ALL_PATHS.filter((p) => (process.env.BENCH_PATHS ?? ALL_PATHS.join(',')).split(',').includes(p));
const W = 640;
const H = 360;
const BITS = 32;
const BLOCK = W / (BITS + 2); // a white guard block, 32 bits, a black guard block
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

/** A gray frame with the time stamped in its top band. */
function frame(now: number): Buffer {
  const buf = Buffer.alloc(W * H, 128);
  const t = now % 2 ** BITS;
  for (let b = 0; b < BITS + 2; b++) {
    const on = b === 0 ? true : b === BITS + 1 ? false : Math.floor(t / 2 ** (BITS - b)) % 2 === 1;
    for (let y = 0; y < 48; y++)
      buf.fill(on ? 235 : 16, y * W + Math.round(b * BLOCK), y * W + Math.round((b + 1) * BLOCK));
  }
  return buf;
}

function startPusher(url: string) {
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${W}x${H}`, '-r', '25'],
      ...['-i', '-', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'], // a tone, as every real pusher sends
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
      ...['-g', '25', '-b:v', '1500k', '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', url],
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  ffmpeg.stdin.on('error', () => undefined);
  const started = Date.now();
  let n = 0;
  const timer = setInterval(() => {
    // Frames at 25 a second by the clock, each stamped with the moment it leaves this process.
    while (started + n * 40 <= Date.now()) {
      ffmpeg.stdin.write(frame(Date.now()));
      n++;
    }
  }, 5);
  return () => {
    clearInterval(timer);
    ffmpeg.kill('SIGKILL');
  };
}

/**
 * In the page: the time stamped in the frame on screen, read off the video through a canvas, against the clock
 * (the same machine's). Plain source text: the bench's own transpiler would otherwise wrap helpers the page lacks.
 */
const READ_LATENCY = `(() => {
  const v = document.querySelector('video');
  if (!v || v.readyState < 2 || !v.videoWidth) return null;
  const c = document.createElement('canvas');
  c.width = v.videoWidth;
  c.height = v.videoHeight;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(v, 0, 0);
  const now = Date.now();
  const block = c.width / ${BITS + 2};
  const y = Math.round((24 / ${H}) * c.height);
  const lum = (b) => g.getImageData(Math.round((b + 0.5) * block), y, 1, 1).data[0];
  if (lum(0) < 128 || lum(${BITS + 1}) > 128) return null; // the guards: not a stamped frame (poster, black)
  let t = 0;
  for (let b = 1; b <= ${BITS}; b++) t = t * 2 + (lum(b) > 128 ? 1 : 0);
  return ((now % 2 ** ${BITS}) - t + 2 ** ${BITS}) % 2 ** ${BITS};
})()`;
const readLatency = (page: import('@playwright/test').Page) => page.evaluate(READ_LATENCY) as Promise<number | null>;

console.log(`Glass-to-glass benchmark: ${SAMPLES} samples per path, 640x360 at 25 fps, 1 s keyframes`);
const node = await startLiveMall();
let stopPusher = () => {};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-background-networking',
  ],
});
try {
  const call = async (path: string, init: RequestInit & { token?: string } = {}) =>
    (
      await fetch(`${node.url}${path}`, {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      })
    ).json() as Promise<any>;
  const login = { method: 'POST', body: JSON.stringify({ phone: '13800000001', password: 'demo1234' }) };
  const token = (await call('/api/auth/login', login)).tokens.accessToken as string;
  const shop = `/api/merchants/${(await call('/api/me', { token })).merchants[0].id}`;
  const room = await call(`${shop}/rooms`, {
    method: 'POST',
    token,
    body: JSON.stringify({ title: 'glass to glass' }),
  });
  stopPusher = startPusher((await call(`${shop}/rooms/${room.id}/push`, { token })).pushUrl);
  for (let i = 0; i < 60 && (await call(`/api/rooms/${room.id}`)).status !== 'live'; i++) await sleep(500);
  await sleep(4000); // a few segments in the playlist

  const rows: string[] = [];
  for (const path of PATHS) {
    for (const latency of ['previous', 'low'] as const) {
      const page = await (await browser.newContext({ viewport: { width: 412, height: 915 } })).newPage();
      await page.goto(`${node.url}/shop/room/${room.id}?player=${path}&latency=${latency}`);
      const samples: number[] = [];
      for (let i = 0; i < 30 && (await readLatency(page)) === null; i++) await sleep(500);
      await sleep(3000); // past start-up: what a viewer sees once it plays
      for (let i = 0; i < SAMPLES * 3 && samples.length < SAMPLES; i++) {
        const ms = await readLatency(page);
        if (ms !== null && ms < 60_000) samples.push(ms);
        await sleep(250);
      }
      await page.context().close();
      const label = `${path === 'flv' ? 'HTTP-FLV (mpegts.js)' : path === 'hls' ? 'HLS, native' : 'HLS, hls.js'}`;
      const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      rows.push(
        `| ${label} | ${latency === 'previous' ? 'earlier settings (baseline)' : 'today'} | ${samples.length} | ` +
          `${sec(pct(samples, 50))} | ${sec(pct(samples, 95))} |`,
      );
      console.log(rows.at(-1));
    }
  }
  console.log('\n| path | player settings | samples | p50 | p95 |\n| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  stopPusher();
  await browser.close();
  await node.stop();
}
process.exit(0);
