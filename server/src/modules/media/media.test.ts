// The media pipeline end to end with real ffmpeg pushes over RTMP: publish authorisation, live
// HTTP-FLV and HLS checked with ffprobe, a second publisher and garbage refused, a packager crash
// survived, a short drop bridged, the replay finalised, private signed links, retention.
// node-media-server is process-global, so this file runs one node (own worker process).
import fs from 'node:fs';
import net from 'node:net';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { until } from '../../../test/order-fixtures.ts';
import { freePort } from '../../../test/ports.ts';
import { codecs, probe, processAlive, pushTestPattern, type Pusher } from './test-support.ts';

const backend = APP_BACKENDS.at(-1)!; // the real servers when CI provides them
const GRACE_MS = 4000;
const AV = ['audio:aac', 'video:h264'];

describe(`media pipeline on ${backend.name}`, () => {
  let node: TestNode;
  let shop: ShopFixture;
  let rtmpPort: number;
  const pushers: Pusher[] = [];
  const push = (url: string, seconds = 90) => {
    const p = pushTestPattern(url, seconds);
    pushers.push(p);
    return p;
  };

  beforeAll(async () => {
    rtmpPort = await freePort();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { rtmpPort, liveGraceMs: GRACE_MS, hlsSegmentSec: 1, transcodeLadder: ['360p'] },
    });
    shop = await makeShop(node, 'Media Shop', '13820000001');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pushers.map((p) => p.stop()));
    await node?.close();
  });

  const createRoom = async (body: Record<string, unknown> = {}) => {
    const room = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '测试直播', ...body },
      })
    ).body;
    const settings = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/rooms/${room.id}/push`, { token: shop.owner.token })
    ).body;
    return { id: room.id as number, pushUrl: settings.pushUrl as string, key: settings.streamKey as string };
  };
  const detail = async (id: number, token?: string) =>
    (await node.api('GET', `/api/rooms/${id}`, token ? { token } : {})).body;
  const liveDir = (id: number) => node.app.ctx.services.media.packagerFor(id)?.liveDir;
  const segments = (dir: string | undefined) =>
    dir && fs.existsSync(`${dir}/index.m3u8`)
      ? [...fs.readFileSync(`${dir}/index.m3u8`, 'utf8').matchAll(/seg_(?:\d+_)?(\d+)\.ts/g)].map((m) => Number(m[1]))
      : [];
  const waitExit = (p: Pusher, ms = 20_000) =>
    Promise.race([p.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms))]);

  it('refuses a push with an unknown stream key', async () => {
    const p = push(`rtmp://127.0.0.1:${rtmpPort}/live/${crypto.randomBytes(12).toString('hex')}`);
    expect(await waitExit(p)).not.toBe('still running');
    expect(await waitExit(p)).not.toBe(0);
  }, 30_000);

  let room: { id: number; pushUrl: string; key: string };
  let main: Pusher;

  it('goes live on publish and serves H.264/AAC over HTTP-FLV and HLS (with the 360p ladder)', async () => {
    room = await createRoom();
    expect(room.pushUrl).toBe(`rtmp://127.0.0.1:${rtmpPort}/live/${room.key}`);
    main = push(room.pushUrl);
    await until(async () => (await detail(room.id)).status === 'live', 20_000);
    const d = await detail(room.id);
    expect(d.play.flv).toBe(`${node.url}/live/${room.id}.flv`);
    expect(d.play.hls).toBe(`${node.url}/live/${room.id}/index.m3u8`);
    expect(codecs(await probe(d.play.flv))).toEqual(AV);
    await until(async () => segments(liveDir(room.id)).length >= 3, 30_000);
    expect(codecs(await probe(d.play.hls))).toEqual(AV);
    const master = await fetch(`${node.url}/live/${room.id}/master.m3u8`);
    expect(master.status).toBe(200);
    expect(await master.text()).toContain('360p/index.m3u8');
    await until(async () => (await fetch(`${node.url}/live/${room.id}/360p/index.m3u8`)).status === 200, 30_000);
    const hls = await fetch(d.play.hls);
    expect(hls.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect((await fetch(`${node.url}/live/${room.id}/..%2F..%2Fsecret`)).status).toBe(404);
    expect((await node.api('GET', '/health', { token: shop.admin.token })).body.checks.media).toMatchObject({
      status: 'up',
      liveStreams: 1,
    });
  }, 90_000);

  it('refuses a second publisher on the same key while the first keeps going', async () => {
    const second = push(room.pushUrl);
    expect(await waitExit(second)).not.toBe('still running');
    expect(main.proc.exitCode).toBeNull();
    expect((await detail(room.id)).status).toBe('live');
    expect(codecs(await probe(`${node.url}/live/${room.id}.flv`))).toEqual(AV);
  }, 60_000);

  it('cuts off a client that sends garbage instead of RTMP', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const sock = net.connect(rtmpPort, '127.0.0.1', () => sock.write(crypto.randomBytes(8192)));
      sock.on('error', () => undefined);
      sock.resume(); // read what the server sends, so its hang-up is seen
      sock.on('close', () => resolve(true));
      setTimeout(() => {
        sock.destroy();
        resolve(false);
      }, 15_000);
    });
    expect(closed).toBe(true);
    expect((await detail(room.id)).status).toBe('live');
  }, 30_000);

  it('restarts a crashed packager and the playlist carries on', async () => {
    const packager = node.app.ctx.services.media.packagerFor(room.id)!;
    const before = Math.max(...segments(packager.liveDir));
    const pid = packager.process.pid;
    packager.process.crash();
    await until(async () => packager.process.running && packager.process.pid !== pid, 20_000);
    expect(processAlive(pid)).toBe(false);
    await until(async () => Math.max(0, ...segments(packager.liveDir)) > before + 2, 30_000);
    expect(codecs(await probe(`${node.url}/live/${room.id}/index.m3u8`))).toEqual(AV);
    expect(fs.readFileSync(`${packager.replayDir}/index.m3u8`, 'utf8')).toContain('#EXT-X-DISCONTINUITY');
  }, 90_000);

  it('bridges a network drop shorter than the grace period', async () => {
    await main.stop();
    main = push(room.pushUrl);
    await new Promise((r) => setTimeout(r, GRACE_MS + 3000));
    expect((await detail(room.id)).status).toBe('live');
    const sessions = await node.app.ctx.db
      .selectFrom('live_sessions')
      .select('id')
      .where('room_id', '=', room.id)
      .execute();
    expect(sessions).toHaveLength(1);
    expect(codecs(await probe(`${node.url}/live/${room.id}.flv`))).toEqual(AV);
  }, 60_000);

  it('ends after the grace period, publishes the replay and leaves no ffmpeg behind', async () => {
    const packager = node.app.ctx.services.media.packagerFor(room.id)!;
    const pid = packager.process.pid;
    await main.stop();
    await until(async () => (await detail(room.id)).status === 'ended', GRACE_MS + 20_000);
    await until(async () => (await detail(room.id)).replays.length === 1, 15_000);
    const d = await detail(room.id);
    expect(d.play).toEqual({ flv: null, hls: null });
    const replay = await probe(d.replays[0].hls);
    expect(codecs(replay)).toEqual(AV);
    expect(replay.durationSec).toBeGreaterThan(5);
    expect(d.replays[0].durationSec).toBeGreaterThan(5);
    expect(fs.readFileSync(`${packager.replayDir}/index.m3u8`, 'utf8')).toContain('#EXT-X-ENDLIST');
    expect(processAlive(pid)).toBe(false);
    expect(fs.existsSync(packager.liveDir)).toBe(false);
    expect((await node.api('GET', `/live/${room.id}/index.m3u8`)).body.error.code).toBe('NOT_LIVE');
    expect((await node.api('GET', `/live/${room.id}.flv`)).body.error.code).toBe('NOT_LIVE');
    const replays = (await node.api('GET', '/api/rooms?kind=replays')).body;
    expect(replays.map((r: { id: number }) => r.id)).toContain(room.id);
    expect((await node.api('GET', '/health', { token: shop.admin.token })).body.checks.media.liveStreams).toBe(0);
  }, 90_000);

  it('refuses pushes to a room whose show has ended', async () => {
    const again = push(room.pushUrl);
    expect(await waitExit(again)).not.toBe('still running');
    expect((await detail(room.id)).status).toBe('ended');
  }, 30_000);

  it('plays private rooms only through signed, unexpired links; staff can end the show', async () => {
    const priv = await createRoom({ visibility: 'private' });
    const p = push(priv.pushUrl);
    await until(async () => (await detail(priv.id, shop.owner.token)).status === 'live', 20_000);
    const d = await detail(priv.id, shop.owner.token);
    const signed = new URL(d.play.flv);
    expect(signed.searchParams.get('sig')).toBeTruthy();
    expect((await node.api('GET', `/live/${priv.id}.flv`)).body.error.code).toBe('PLAY_LINK_INVALID');
    const tampered = new URL(signed);
    tampered.searchParams.set('exp', String(Number(signed.searchParams.get('exp')) + 60));
    expect((await fetch(tampered)).status).toBe(403);
    expect(codecs(await probe(signed.toString()))).toEqual(AV);
    expect(
      (await node.api('POST', `/api/merchants/${shop.merchantId}/rooms/${priv.id}/end`, { token: shop.owner.token }))
        .status,
    ).toBe(200);
    expect((await detail(priv.id, shop.owner.token)).status).toBe('ended');
    await p.stop();
  }, 90_000);

  it('deletes recordings past the retention period', async () => {
    const sessions = await node.app.ctx.db
      .selectFrom('live_sessions')
      .select('id')
      .where('room_id', '=', room.id)
      .execute();
    const id = sessions[0]!.id;
    const dir = `${node.app.ctx.services.media.mediaDir}/replays/${id}`;
    expect(fs.existsSync(dir)).toBe(true);
    const days = node.config.replayRetentionDays + 1;
    await node.app.ctx.db
      .updateTable('live_sessions')
      .set({ ended_at: new Date(Date.now() - days * 86400_000) })
      .where('id', '=', id)
      .execute();
    expect(await node.app.ctx.services.media.pruneReplays()).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await node.api('GET', `/replays/${id}/index.m3u8`)).body.error.code).toBe('REPLAY_NOT_FOUND');
    expect((await detail(room.id)).replays).toEqual([]);
  });
});
