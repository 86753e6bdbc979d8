// HLS behind a caching edge: Debian's nginx in front of a node, configured as docs/cdn.md says, with 200
// players polling the live playlist and fetching every segment through it. The edge's own access log
// says which requests reached the origin ($upstream_cache_status MISS/EXPIRED/STALE): each segment once, the
// playlist about once a second, and a private room's files never from the shared cache.
// node-media-server is process-global, so this file runs one node (own worker process).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { freePort } from '../../../test/ports.ts';
import { edgeConfig } from './edge-config.ts';
import { pushTestPattern, type Pusher } from './test-support.ts';

const backend = APP_BACKENDS.at(-1)!;
const PLAYERS = 200;
const WATCH_MS = 8000;
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(hasNginx)(`HLS through an nginx edge on ${backend.name}`, () => {
  let node: TestNode;
  let shop: ShopFixture;
  let edge: ChildProcess;
  let edgeUrl: string;
  let dir: string;
  const pushers: Pusher[] = [];

  beforeAll(async () => {
    const rtmpPort = await freePort();
    node = await startNode({ db: backend.db, cache: backend.cache, config: { rtmpPort, hlsSegmentSec: 1 } });
    shop = await makeShop(node, 'Edge Shop', '13820000051');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-edge-'));
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      edgeConfig({ dir, listen: port, origin: new URL(node.url).host, user: 'root' }),
    );
    edge = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    edgeUrl = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${edgeUrl}/health`).catch(() => null))?.ok === true, 10_000);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pushers.map((p) => p.stop()));
    edge?.kill('SIGQUIT');
    await node?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const goLive = async (body: Record<string, unknown> = {}) => {
    const base = `/api/merchants/${shop.merchantId}/rooms`;
    const room = (await node.api('POST', base, { token: shop.owner.token, body: { title: 'Edge', ...body } })).body;
    const push = (await node.api('GET', `${base}/${room.id}/push`, { token: shop.owner.token })).body;
    pushers.push(pushTestPattern(push.pushUrl, 60));
    const detail = async () => (await node.api('GET', `/api/rooms/${room.id}`, { token: shop.owner.token })).body;
    await until(async () => (await detail()).status === 'live', 20_000);
    const d = await detail();
    await until(async () => (await fetch(d.play.hls)).ok, 20_000);
    return { id: room.id as number, hls: new URL(d.play.hls) };
  };

  /** What the edge's access log says, per path: how many requests, and how many went to the origin. */
  const edgeLog = () => {
    const byPath = new Map<string, { requests: number; origin: number }>();
    for (const line of fs.readFileSync(path.join(dir, 'access.log'), 'utf8').split('\n')) {
      const [uri, cache] = line.split(' ');
      if (!uri) continue;
      const e = byPath.get(uri) ?? { requests: 0, origin: 0 };
      e.requests += 1;
      // STALE: served the expired copy while one background request refreshes it from the origin.
      if (['MISS', 'EXPIRED', 'STALE', 'BYPASS', '-'].includes(cache!)) e.origin += 1;
      byPath.set(uri, e);
    }
    return byPath;
  };

  it('serves each segment from the origin once for 200 players', async () => {
    const room = await goLive();
    const playlistUrl = `${edgeUrl}${room.hls.pathname}`;
    const segmentPath = (name: string) => `${path.posix.dirname(room.hls.pathname)}/${name}`;
    let fetchedSegments = 0;
    const player = async () => {
      const seen = new Set<string>();
      const until = Date.now() + WATCH_MS;
      while (Date.now() < until) {
        const res = await fetch(playlistUrl);
        expect(res.status).toBe(200);
        const names = (await res.text()).split('\n').filter((l) => l.endsWith('.ts'));
        for (const name of names.filter((n) => !seen.has(n))) {
          seen.add(name);
          const seg = await fetch(`${edgeUrl}${segmentPath(name)}`);
          expect(seg.status).toBe(200);
          expect((await seg.arrayBuffer()).byteLength).toBeGreaterThan(1000);
          fetchedSegments += 1;
        }
        await sleep(500);
      }
    };
    await Promise.all(Array.from({ length: PLAYERS }, player));

    const log = edgeLog();
    const segments = [...log].filter(([uri]) => uri.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(4);
    expect(fetchedSegments).toBeGreaterThanOrEqual(PLAYERS * 4);
    for (const [uri, e] of segments) {
      expect({ uri, origin: e.origin }).toEqual({ uri, origin: 1 });
    }
    // The playlist may be kept one second: ~one origin fetch per second however many players poll it.
    const playlist = log.get(room.hls.pathname)!;
    const viaEdge = segments.reduce((n, [, e]) => n + e.requests, 0);
    console.info(
      `edge: ${PLAYERS} players, ${segments.length} segments, ${viaEdge} segment requests -> ` +
        `${segments.length} origin; playlist ${playlist.requests} requests -> ${playlist.origin} origin`,
    );
    expect(playlist.requests).toBeGreaterThan(PLAYERS * 5);
    expect(playlist.origin).toBeLessThanOrEqual(Math.ceil(WATCH_MS / 1000) * 2 + 4);
  }, 120_000);

  it('names every show’s segments apart, so a cached segment never plays in the next show', async () => {
    const room = await goLive();
    const names = (await (await fetch(room.hls)).text()).split('\n').filter((l) => l.endsWith('.ts'));
    const sessionIds = new Set(names.map((n) => /^seg_(\d+)_\d{6}\.ts$/.exec(n)?.[1]));
    expect(sessionIds.size).toBe(1);
    expect([...sessionIds][0]).toMatch(/^\d+$/);
  }, 60_000);

  it('keeps a private room out of the shared cache', async () => {
    const room = await goLive({ visibility: 'private' });
    const direct = await fetch(room.hls);
    expect(direct.headers.get('cache-control')).toBe('private, no-cache');
    const viaEdge = `${edgeUrl}${room.hls.pathname}${room.hls.search}`;
    for (let i = 0; i < 5; i++) expect((await fetch(viaEdge)).status).toBe(200);
    expect(edgeLog().get(room.hls.pathname)).toEqual({ requests: 5, origin: 5 });
    // Without the signed query the edge has nothing to give: the origin refuses, nothing was cached.
    expect((await fetch(`${edgeUrl}${room.hls.pathname}`)).status).toBe(403);
  }, 60_000);
});
