// A viewer who opens a room before the show starts sees its cover, then is watching as soon as it starts, by
// themself, on every video path of the shop's player: HTTP-FLV (mpegts.js), Chromium's native HLS and hls.js.
// The HLS paths used to stay black forever: the playlist is not there for the first second of a show.
import { spawn } from 'node:child_process';
import { devices, expect, test } from '@playwright/test';
import { apiLogin, expectPlaying, shot } from './helpers.ts';

const json = async (baseURL: string, method: string, path: string, token: string, body?: unknown) => {
  const r = await fetch(`${baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await r.json()) as any;
};

test('a room opened before the show starts plays by itself on FLV, native HLS and hls.js', async ({ browser }) => {
  const baseURL = test.info().project.use.baseURL!;
  const owner = await apiLogin(baseURL, '13800000001');
  const merchantId = (await json(baseURL, 'GET', '/api/me', owner)).merchants[0].id as number;
  const shopApi = (method: string, path: string, body?: unknown) =>
    json(baseURL, method, `/api/merchants/${merchantId}${path}`, owner, body);
  const room = await shopApi('POST', '/rooms', { title: `开播自动播放 ${Date.now() % 100000}` });
  const push = await shopApi('GET', `/rooms/${room.id}/push`);

  const paths = ['flv', 'hls', 'hlsjs'] as const;
  const pages = await Promise.all(
    paths.map(async (player) => {
      const page = await (await browser.newContext({ ...devices['Pixel 7'] })).newPage();
      await page.goto(`/shop/room/${room.id}?player=${player}`);
      await expect(page.getByText(room.title)).toBeVisible();
      return page;
    }),
  );
  // Nothing to play yet: the room shows its cover and countdown, no player.
  for (const page of pages) {
    await expect(page.getByTestId('scheduled-cover')).toBeVisible();
    await expect(page.getByTestId('room-video')).toHaveCount(0);
  }

  const pusher = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i'],
      'testsrc2=size=320x240:rate=25:duration=90',
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=90'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '25'],
      ...['-c:a', 'aac', '-f', 'flv', push.pushUrl],
    ],
    { stdio: 'ignore' },
  );
  try {
    for (const [i, page] of pages.entries()) {
      await expectPlaying(page);
      await shot(page, `autostart-${paths[i]}`);
    }
    const srcs = await Promise.all(
      pages.map((p) => p.getByTestId('room-video').evaluate((v: HTMLVideoElement) => v.currentSrc)),
    );
    expect(srcs[0]).toMatch(/^blob:/); // FLV through Media Source Extensions
    expect(srcs[1]).toContain('/index.m3u8'); // the browser's own HLS
    expect(srcs[2]).toMatch(/^blob:/); // hls.js through Media Source Extensions
  } finally {
    pusher.kill('SIGKILL');
    await shopApi('POST', `/rooms/${room.id}/end`);
  }
});
