// Who is audience: the go-live console's own preview and the shop's staff are not viewers, in the
// room's online count ("N 人在看"), its cumulative viewers, and in analytics (UV, funnel, GPM).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';
import { ANALYTICS_TEST_CONFIG, PHONE_UA } from './test-support.ts';

describe.each(APP_BACKENDS)('audience figures on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let roomId: number;
  const online = () => node.app.ctx.services.realtime.roomOnline(roomId);
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: ANALYTICS_TEST_CONFIG });
    shop = await makeShop(node, '观众小店', '13800009101');
    roomId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
        token: shop.owner.token,
        body: { title: '只有店主在看' },
      })
    ).body.id;
    await node.app.ctx.services.live.goLive(roomId);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('the merchant alone in the go-live console is 0 online, and one shopper is 1, not 2', async () => {
    const console_ = await Viewer.connect(node, { token: shop.owner.token });
    expect((await console_.join(roomId)).online).toBe(0);
    expect(await online()).toEqual({ online: 0, cumulative: 0 });
    const shopper = await node.userToken('13900009101');
    const phone = await Viewer.connect(node, { token: shopper.token });
    expect((await phone.join(roomId)).online).toBe(1);
    expect(await online()).toEqual({ online: 1, cumulative: 1 });
    phone.close();
    console_.close();
    await phone.closed();
    await console_.closed();
    // The server notices the close a moment after the client does.
    await until(async () => (await online()).online === 0);
  });

  it('a guest who signs in as the shop’s staff stops counting', async () => {
    const v = await Viewer.connect(node);
    await v.join(roomId);
    expect((await online()).online).toBe(1);
    await v.request('auth', { token: shop.owner.token });
    await until(async () => (await online()).online === 0);
    v.close();
    await v.closed();
  });

  it('drops the staff’s own room beacons from analytics, keeps a shopper’s', async () => {
    const send = (deviceId: string, token: string) =>
      node.api('POST', '/api/analytics/events', {
        token,
        body: {
          deviceId,
          events: [
            { type: 'exposure', roomId },
            { type: 'room_enter', roomId },
          ],
        },
        headers: { 'user-agent': PHONE_UA },
      });
    const staff = await send('dev-staff-0001', shop.owner.token);
    expect(staff.body).toMatchObject({ accepted: 0, filtered: true });
    const shopper = await node.userToken('13900009102');
    expect((await send('dev-shop-0001', shopper.token)).body).toMatchObject({ accepted: 2 });
    await node.app.ctx.services.analytics.tick();
    const d = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/analytics/rooms/${roomId}`, { token: shop.owner.token })
    ).body;
    expect(d.funnel.find((s: any) => s.stage === 'enter').visitors).toBe(1);
  });
});
