// A node without ffmpeg (turned off with FFMPEG_PATH=none here; ffmpeg-locate.test.ts covers a machine
// with neither a system nor a bundled one) still starts, says so in /health and serves HTTP-FLV only;
// a room left "live" by a crashed node ends on the next start when no publisher returns.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { makeShop } from '../../../test/commerce-fixtures.ts';
import { until } from '../../../test/order-fixtures.ts';
import { freePort } from '../../../test/ports.ts';
import { codecs, probe, pushTestPattern } from './test-support.ts';

describe('media without ffmpeg, and recovery after a crash', () => {
  const nodes: TestNode[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-media-'));
  afterAll(async () => {
    for (const n of nodes) await n.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves FLV only, reports the missing ffmpeg, and ends a stale live room after restart', async () => {
    const rtmpPort = await freePort();
    const config = { rtmpPort, ffmpegPath: 'none', liveGraceMs: 1500 };
    const first = await startNode({ pgliteDir: path.join(dir, 'db'), config });
    nodes.push(first);
    const admin = await first.userToken('13830000099', { admin: true });
    const health = (await first.api('GET', '/health', { token: admin.token })).body;
    expect(health.checks.media.status).toBe('degraded');
    expect(health.checks.media.ffmpeg.source).toBe('none');
    expect(health.checks.media.ffmpeg.reason).toContain('HTTP-FLV only');

    const shop = await makeShop(first, 'FLV Shop', '13830000001');
    const room = (
      await first.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: 'FLV only' },
      })
    ).body;
    const { pushUrl } = (
      await first.api('GET', `/api/merchants/${shop.merchantId}/rooms/${room.id}/push`, { token: shop.owner.token })
    ).body;
    const pusher = pushTestPattern(pushUrl, 60);
    try {
      await until(async () => (await first.api('GET', `/api/rooms/${room.id}`)).body.status === 'live', 20_000);
      const d = (await first.api('GET', `/api/rooms/${room.id}`)).body;
      expect(d.play.hls).toBeNull();
      expect(codecs(await probe(d.play.flv))).toEqual(['audio:aac', 'video:h264']);
      expect((await first.api('GET', `/live/${room.id}/index.m3u8`)).status).toBe(404);
    } finally {
      await pusher.stop();
    }
    await until(async () => (await first.api('GET', `/api/rooms/${room.id}`)).body.status === 'ended', 20_000);
    expect((await first.api('GET', `/api/rooms/${room.id}`)).body.replays).toEqual([]);

    // A node dies mid-show: the room is still marked live in the database.
    const stale = (
      await first.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: 'stale' },
      })
    ).body;
    await first.app.ctx.services.live.goLive(stale.id);
    await first.close();
    nodes.pop();
    const second = await startNode({
      pgliteDir: path.join(dir, 'db'),
      config: { ...config, rtmpPort: await freePort() },
    });
    nodes.push(second);
    expect((await second.api('GET', `/api/rooms/${stale.id}`)).body.status).toBe('live'); // within the grace period
    await until(async () => (await second.api('GET', `/api/rooms/${stale.id}`)).body.status === 'ended', 20_000);
  }, 120_000);
});
