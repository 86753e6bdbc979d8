// Shop governance at the RTMP ingest, with real ffmpeg pushes: a suspended or not-yet-approved
// shop cannot stream; a reinstated one can; suspending a shop on air ends its show.
// node-media-server is process-global, so this file runs one node (its own worker process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { until } from '../../../test/order-fixtures.ts';
import { freePort } from '../../../test/ports.ts';
import { pushTestPattern, type Pusher } from '../media/test-support.ts';

const backend = APP_BACKENDS.at(-1)!;

describe(`shop governance at the RTMP ingest on ${backend.name}`, () => {
  let node: TestNode;
  let shop: ShopFixture;
  let rtmpPort: number;
  const pushers: Pusher[] = [];
  const push = (key: string) => { const p = pushTestPattern(`rtmp://127.0.0.1:${rtmpPort}/live/${key}`, 60); pushers.push(p); return p; };
  const refused = (p: Pusher) => Promise.race([p.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20_000))]);
  const status = async (roomId: number) => (await node.api('GET', `/api/rooms/${roomId}`, { token: shop.owner.token })).body.status as string;
  const setStatus = (merchantId: number, to: string) => node.api('PATCH', `/api/platform/merchants/${merchantId}`, { token: shop.admin.token, body: { status: to } });

  beforeAll(async () => {
    rtmpPort = await freePort();
    node = await startNode({ db: backend.db, cache: backend.cache, config: { rtmpPort, liveGraceMs: 2000, hlsSegmentSec: 1, transcodeLadder: [] } });
    shop = await makeShop(node, 'RTMP 治理店', '13867770001');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pushers.map((p) => p.stop()));
    await node?.close();
  });

  it('refuses a suspended shop\'s push, accepts it once reinstated, and ends the show when suspended on air', async () => {
    const room = (await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, { token: shop.owner.token, body: { title: '停业推流' } })).body.id as number;
    const key = (await node.api('GET', `/api/merchants/${shop.merchantId}/rooms/${room}/push`, { token: shop.owner.token })).body.streamKey as string;
    await setStatus(shop.merchantId, 'suspended');
    expect(await refused(push(key))).toBe(true);
    expect(await status(room)).toBe('scheduled');

    await setStatus(shop.merchantId, 'active');
    const onAir = push(key);
    await until(async () => (await status(room)) === 'live', 20_000);
    await setStatus(shop.merchantId, 'suspended');
    await until(async () => (await status(room)) === 'ended', 20_000);
    await onAir.stop();
  }, 90_000);

  it('refuses a push for a room of a shop still waiting for approval', async () => {
    const applicant = await node.userToken('13867770002');
    const applied = (await node.api('POST', '/api/merchants', { token: applicant.token, body: { name: '待审核推流店' } })).body;
    // Such a shop cannot create rooms (shop-governance.test.ts); one that exists anyway, say from an
    // import, still cannot stream.
    const row = await node.app.ctx.db.insertInto('live_rooms').values({ merchant_id: applied.id, title: '抢跑', stream_key: 'pending0shop0key0000000' })
      .returning('id').executeTakeFirstOrThrow();
    expect(await refused(push('pending0shop0key0000000'))).toBe(true);
    expect((await node.api('GET', `/api/rooms/${row.id}`, { token: applicant.token })).body.status).toBe('scheduled');
  }, 60_000);
});
