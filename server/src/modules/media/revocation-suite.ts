// Live video stops where access stops, with real ffmpeg RTMP pushes: an invitee's open HTTP-FLV
// download ends soon after the invitation is withdrawn (staff keep watching), a public room made
// private ends the downloads of viewers without a link, a staff member's ends when they leave the
// shop (the owner's goes on), and suspending the shop disconnects its publishers, so its shows end
// and its streams stop. On PostgreSQL + Redis the shop acts on a second node, so the change reaches
// the node serving the video through the shared pub/sub.
// node-media-server is process-global: each backend runs in its own test file (worker process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { freePort } from '../../../test/ports.ts';
import { pushTestPattern, type Pusher } from './test-support.ts';

/** How long a withdrawn viewer or publisher may keep going (the path runs through the outbox for a suspension). */
const BOUND_MS = 15_000;

interface FlvReader {
  bytes(): number;
  ended: Promise<'ended' | 'failed'>;
  close(): void;
}

async function openFlv(url: string): Promise<{ status: number; reader: FlvReader }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  let bytes = 0;
  const ended = (async () => {
    if (!res.body) return 'ended' as const;
    const r = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await r.read();
        if (done) return 'ended' as const;
        bytes += value.length;
      }
    } catch {
      return 'failed' as const;
    }
  })();
  return { status: res.status, reader: { bytes: () => bytes, ended, close: () => ac.abort() } };
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

export function liveRevocationSuite(backend: { name: string; db: 'pglite' | 'postgres'; cache: 'memory' | 'redis' }) {
  describe(`live video revocation on ${backend.name}`, () => {
    let node: TestNode;
    let acting: TestNode;
    let shop: ShopFixture;
    let rtmpPort: number;
    const pushers: Pusher[] = [];
    const readers: FlvReader[] = [];
    const owner = (method: string, path: string, body?: unknown) =>
      acting.api(method, `/api/merchants/${shop.merchantId}${path}`, { token: shop.owner.token, body });
    const local = (url: string) => url.replace(node.config.publicUrl, node.url);
    const status = async (roomId: number) =>
      (await node.api('GET', `/api/rooms/${roomId}`, { token: shop.owner.token })).body.status as string;

    async function liveRoom(title: string, visibility: 'public' | 'private') {
      const roomId = (await owner('POST', '/rooms', { title, visibility })).body.id as number;
      const key = (await owner('GET', `/rooms/${roomId}/push`)).body.streamKey as string;
      const pusher = pushTestPattern(`rtmp://127.0.0.1:${rtmpPort}/live/${key}`, 120);
      pushers.push(pusher);
      await until(async () => (await status(roomId)) === 'live', 30_000);
      return { roomId, pusher };
    }
    async function watch(url: string) {
      const { status: code, reader } = await openFlv(local(url));
      expect(code).toBe(200);
      readers.push(reader);
      await until(async () => reader.bytes() > 20_000, 20_000);
      return reader;
    }
    const playUrl = async (roomId: number, opts: { token?: string; invite?: string }) => {
      const q = opts.invite ? `?invite=${encodeURIComponent(opts.invite)}` : '';
      const detail = await node.api('GET', `/api/rooms/${roomId}${q}`, opts.token ? { token: opts.token } : {});
      expect(detail.status).toBe(200);
      return detail.body.play as { flv: string; hls: string | null };
    };

    beforeAll(async () => {
      rtmpPort = await freePort();
      const config = { rtmpPort, liveGraceMs: 2000, hlsSegmentSec: 1, transcodeLadder: [] };
      node = await startNode({ db: backend.db, cache: backend.cache, config });
      acting = node;
      if (backend.db === 'postgres' && backend.cache === 'redis') {
        acting = await startNode({
          databaseUrl: node.config.databaseUrl,
          cache: 'redis',
          redisPrefix: node.config.redisPrefix,
          config: { rtmpPort: 0 },
        });
      }
      shop = await makeShop(node, '收回观看店', '13866650001');
    }, 90_000);
    afterAll(async () => {
      for (const r of readers) r.close();
      await Promise.all(pushers.map((p) => p.stop()));
      if (acting !== node) await acting?.close();
      await node?.close();
    });

    it("ends an invitee's FLV stream soon after the invitation is withdrawn, while staff keep watching", async () => {
      const { roomId } = await liveRoom('私享会', 'private');
      const invited = await owner('POST', `/rooms/${roomId}/invite`, { ttlSec: 600 });
      const invite = invited.body as { inviteId: number; token: string };
      const guestLinks = await playUrl(roomId, { invite: invite.token });
      const guest = await watch(guestLinks.flv);
      const staff = await watch((await playUrl(roomId, { token: shop.owner.token })).flv);

      expect((await owner('DELETE', `/rooms/${roomId}/invites/${invite.inviteId}`)).status).toBeLessThan(300);
      expect(await within(guest.ended, BOUND_MS)).toBe('ended');
      const seen = staff.bytes();
      await until(async () => staff.bytes() > seen + 10_000, 10_000);
      // The withdrawn link opens nothing any more, FLV or HLS.
      expect((await fetch(local(guestLinks.flv))).status).toBe(403);
      if (guestLinks.hls) expect((await fetch(local(guestLinks.hls))).status).toBe(403);
    }, 120_000);

    it('ends the FLV streams of viewers without a link when a public room turns private', async () => {
      const { roomId } = await liveRoom('转私密', 'public');
      const flv = (await playUrl(roomId, {})).flv;
      const viewers = [await watch(flv), await watch(flv), await watch(flv)];
      // Viewers holding the same (no) link are decided by one read, not one each.
      const access = node.app.ctx.services.roomAccess;
      const authorize = access.authorize.bind(access);
      let reads = 0;
      access.authorize = (id, creds, opts) => {
        if (id === roomId && creds.playLink) reads++; // the FLV checks (the room page has no link)
        return authorize(id, creds, opts);
      };
      try {
        expect((await owner('PATCH', `/rooms/${roomId}`, { visibility: 'private' })).status).toBe(200);
        for (const viewer of viewers) expect(await within(viewer.ended, BOUND_MS)).toBe('ended');
      } finally {
        access.authorize = authorize;
      }
      expect(reads).toBe(1);
      expect((await fetch(`${node.url}/live/${roomId}.flv`)).status).toBe(403); // a private room needs a signed link
    }, 120_000);

    it('ends the FLV stream of a staff member who leaves the shop, while the owner keeps watching', async () => {
      const { roomId } = await liveRoom('员工看私播', 'private');
      const phone = '13866650002';
      const member = await node.userToken(phone);
      expect((await owner('POST', '/staff', { phone, role: 'merchant_staff' })).status).toBe(201);
      const links = await playUrl(roomId, { token: member.token });
      const viewer = await watch(links.flv);
      const ownerView = await watch((await playUrl(roomId, { token: shop.owner.token })).flv);

      expect((await owner('DELETE', `/staff/${member.userId}`)).status).toBeLessThan(300);
      expect(await within(viewer.ended, BOUND_MS)).toBe('ended');
      const seen = ownerView.bytes();
      await until(async () => ownerView.bytes() > seen + 10_000, 10_000);
      expect((await fetch(local(links.flv))).status).toBe(403);
      if (links.hls) expect((await fetch(local(links.hls))).status).toBe(403);
    }, 120_000);

    it('disconnects the publisher and ends the FLV streams when staff end the show', async () => {
      const { roomId, pusher } = await liveRoom('主动下播', 'public');
      const viewer = await watch((await playUrl(roomId, {})).flv);
      expect((await owner('POST', `/rooms/${roomId}/end`)).status).toBe(200);
      expect(
        await within(
          pusher.exited.then(() => 'exited'),
          BOUND_MS,
        ),
      ).toBe('exited');
      expect(await within(viewer.ended, BOUND_MS)).toBe('ended');
      expect(await status(roomId)).toBe('ended');
    }, 120_000);

    it("disconnects a suspended shop's publishers: its shows end and their streams stop", async () => {
      const { roomId, pusher } = await liveRoom('停业前', 'public');
      const viewer = await watch((await playUrl(roomId, {})).flv);
      const onAir = pushers.filter((p) => p.proc.exitCode === null && p.proc.signalCode === null);
      expect(onAir.length).toBeGreaterThanOrEqual(2); // this show and the private ones before it

      const suspended = await acting.api('PATCH', `/api/platform/merchants/${shop.merchantId}`, {
        token: shop.admin.token,
        body: { status: 'suspended' },
      });
      expect(suspended.status).toBe(200);
      expect(
        await within(
          pusher.exited.then(() => 'exited'),
          BOUND_MS,
        ),
      ).toBe('exited');
      for (const p of onAir)
        expect(
          await within(
            p.exited.then(() => 'exited'),
            5_000,
          ),
        ).toBe('exited');
      expect(await within(viewer.ended, 5_000)).toBe('ended');
      await until(async () => (await status(roomId)) === 'ended', 10_000);
      expect(node.app.ctx.services.media.liveCount()).toBe(0);
      expect((await fetch(`${node.url}/live/${roomId}.flv`)).status).toBe(404);
    }, 120_000);
  });
}
