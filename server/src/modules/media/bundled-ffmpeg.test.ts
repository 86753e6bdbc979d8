// A machine with only Node and npm: no ffmpeg on PATH. The node runs the static ffmpeg 4.1 shipped
// in @ffmpeg-installer/ffmpeg, says so in /health, and turns a real RTMP push (sent with that same
// binary) into live HLS and a replay. node-media-server is process-global: one node in this file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { until } from '../../../test/order-fixtures.ts';
import { freePort } from '../../../test/ports.ts';
import { bundledFfmpeg } from './ffmpeg-locate.ts';
import { codecs, probeWithFfmpeg, pushTestPattern, type Pusher } from './test-support.ts';

const AV = ['audio:aac', 'video:h264'];

describe('media with the bundled ffmpeg when the system has none', () => {
  const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-no-ffmpeg-'));
  const savedPath = process.env.PATH;
  const bundled = bundledFfmpeg();
  let node: TestNode;
  let shop: ShopFixture;
  let pusher: Pusher | undefined;

  beforeAll(async () => {
    process.env.PATH = emptyPath; // the lookup finds no system ffmpeg (this file has its own worker process)
    node = await startNode({
      config: {
        ffmpegPath: 'auto',
        rtmpPort: await freePort(),
        liveGraceMs: 1500,
        hlsSegmentSec: 1,
        transcodeLadder: ['360p'],
      },
    });
    shop = await makeShop(node, 'Bundled Shop', '13830000201');
  }, 60_000);
  afterAll(async () => {
    process.env.PATH = savedPath;
    await pusher?.stop();
    await node?.close();
    fs.rmSync(emptyPath, { recursive: true, force: true });
  });

  it('says in /health that it runs the bundled ffmpeg, with its path and version', async () => {
    expect(bundled, '@ffmpeg-installer/ffmpeg ships no build for this platform').not.toBeNull();
    const media = (await node.api('GET', '/health', { token: shop.admin.token })).body.checks.media;
    expect(media.status).toBe('up');
    expect(media.ffmpeg).toMatchObject({ source: 'bundled', path: bundled!.path, package: bundled!.package });
    expect(media.ffmpeg.version).toMatch(/\S/);
  });

  it('packages a push into live HLS with the 360p ladder, survives a packager crash, publishes a replay', async () => {
    const room = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: 'Bundled ffmpeg' },
      })
    ).body;
    const pushPath = `/api/merchants/${shop.merchantId}/rooms/${room.id}/push`;
    const push = (await node.api('GET', pushPath, { token: shop.owner.token })).body;
    pusher = pushTestPattern(push.pushUrl, 60, bundled!.path);
    await until(async () => (await node.api('GET', `/api/rooms/${room.id}`)).body.status === 'live', 20_000);
    const hls = (await node.api('GET', `/api/rooms/${room.id}`)).body.play.hls as string;
    expect(hls).toBe(`${node.url}/live/${room.id}/index.m3u8`);
    const segmentsListed = async () => [...(await (await fetch(hls)).text()).matchAll(/seg_[\d_]+\.ts/g)].length;
    await until(async () => (await segmentsListed()) >= 3, 30_000);
    const playlist = await fetch(hls);
    expect(playlist.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect((await playlist.text()).startsWith('#EXTM3U')).toBe(true);
    expect(codecs(await probeWithFfmpeg(bundled!.path, hls))).toEqual(AV);
    await until(async () => (await fetch(`${node.url}/live/${room.id}/360p/index.m3u8`)).status === 200, 30_000);

    // The restarted packager appends to both playlists (append_list + discont_start in 4.1 too).
    const packager = node.app.ctx.services.media.packagerFor(room.id)!;
    const pid = packager.process.pid;
    packager.process.crash();
    await until(async () => packager.process.running && packager.process.pid !== pid, 20_000);
    const recording = `${packager.replayDir}/index.m3u8`;
    await until(async () => fs.readFileSync(recording, 'utf8').includes('#EXT-X-DISCONTINUITY'), 20_000);
    expect(codecs(await probeWithFfmpeg(bundled!.path, hls))).toEqual(AV);

    await pusher.stop();
    await until(async () => (await node.api('GET', `/api/rooms/${room.id}`)).body.replays?.length === 1, 30_000);
    const replay = (await node.api('GET', `/api/rooms/${room.id}`)).body.replays[0];
    const vod = await probeWithFfmpeg(bundled!.path, replay.hls);
    expect(codecs(vod)).toEqual(AV);
    expect(vod.durationSec).toBeGreaterThan(3);
  }, 120_000);
});
