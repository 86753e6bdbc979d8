// The gateway through real sockets: protocol, join/history/resume, presence, bad input, fan-out
// across two server processes sharing PostgreSQL and Redis.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildNode, startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop } from '../../../test/commerce-fixtures.ts';
import { probeFrame, Viewer } from './test-support.ts';
import { CloseCode } from './protocol.ts';

describe.each(APP_BACKENDS)('realtime gateway on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    // Every chat message to every viewer: these tests are about delivery (busy-room.test.ts samples).
    node = await startNode({ db: backend.db, cache: backend.cache, config: { chatDisplayPerSec: 0 } });
    // Real rooms through the live module's API (ids 1 and 2 in this fresh database).
    const shop = await makeShop(node, '网关测试店', '13844440001');
    for (const title of ['one', 'two'])
      await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, { token: shop.owner.token, body: { title } });
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  it('greets guests with a stable guest id and a signed-in user with their identity', async () => {
    const g = await Viewer.connect(node, { guestId: 'g_abcdefghijklmnop' });
    expect(g.frames[0]!.data).toMatchObject({ protocol: 1, guestId: 'g_abcdefghijklmnop', user: null });
    const u = await node.userToken('13800000101');
    const v = await Viewer.connect(node, { token: u.token });
    expect(v.frames[0]!.data.user).toMatchObject({ id: u.userId });
    g.close();
    v.close();
  });

  it('rejects a bad token with close code 4001 and an unknown protocol version with 4000', async () => {
    const bad = await Viewer.connect(node, { token: 'nope' }).catch((e: Error) => e);
    expect(bad).toBeInstanceOf(Error);
    const { default: WebSocket } = await import('ws');
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${node.url.replace('http', 'ws')}/ws?v=9`);
      ws.on('close', (c) => resolve(c));
    });
    expect(code).toBe(CloseCode.unsupportedVersion);
    const code2 = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${node.url.replace('http', 'ws')}/ws?v=1&token=forged`);
      ws.on('close', (c) => resolve(c));
    });
    expect(code2).toBe(CloseCode.unauthorized);
  });

  it('answers malformed frames and unknown types with error frames, then closes a persistent offender', async () => {
    const v = await Viewer.connect(node);
    v.ws.send('not json');
    expect((await v.next('error')).data.code).toBe('MALFORMED_FRAME');
    v.send('teleport');
    expect((await v.next('error', (f) => f.data.code === 'UNKNOWN_TYPE')).data.message).toContain('teleport');
    await expect(v.join(999)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    for (let i = 0; i < 12; i++) v.ws.send('[1,2');
    expect(await v.closed()).toBe(CloseCode.protocolError);
    // An oversize frame is refused by the socket layer (1009), the node keeps serving.
    const big = await Viewer.connect(node);
    big.ws.send(JSON.stringify({ type: 'chat', data: { text: 'x'.repeat(10_000) } }));
    expect(await big.closed()).toBe(CloseCode.tooLarge);
    const ok = await Viewer.connect(node);
    expect((await ok.request('ping')).pong).toBeTypeOf('number');
    ok.close();
  });

  it('counts online viewers once per user, cumulative viewers, and resumes from the last seen seq', async () => {
    const u = await node.userToken('13800000102');
    const a = await Viewer.connect(node, { token: u.token });
    const b = await Viewer.connect(node, { token: u.token });
    const g = await Viewer.connect(node);
    await a.join(2);
    await b.join(2);
    const joined = await g.join(2);
    expect(joined).toMatchObject({ online: 2, cumulative: 2 });
    expect(await node.api('GET', '/api/rooms/2/online').then((r) => r.body)).toEqual({ online: 2, cumulative: 2 });

    const rt = node.app.ctx.services.realtime;
    await rt.publishToRoom(2, probeFrame('product.pinned', { productId: 7 }));
    const pinned = await g.next('product.pinned');
    g.close();
    await rt.publishToRoom(2, probeFrame('product.pinned', { productId: 8 }));
    await rt.publishToRoom(2, probeFrame('coupon.drop', { dropId: 1 }));
    await a.next('coupon.drop');
    // The guest comes back and receives exactly what it missed.
    const back = await Viewer.connect(node, { guestId: g.frames[0]!.data.guestId });
    const resumed = await back.join(2, pinned.seq);
    expect(resumed.resumed).toBe(true);
    expect(resumed.history.map((f: { type: string; data: any }) => [f.type, f.data])).toEqual([
      ['product.pinned', { productId: 8 }],
      ['coupon.drop', { dropId: 1 }],
    ]);
    expect((await node.api('GET', '/api/rooms/2/online')).body).toEqual({ online: 2, cumulative: 2 });
    a.close();
    b.close();
    back.close();
  });

  it('lets a slow viewer lose chat but never commerce frames, and disconnects it past the buffer limit', async () => {
    const rt = node.app.ctx.services.realtime;
    const serverConn = (v: Viewer) => [...rt.hub.localConns(1)].find((c) => c.id === v.frames[0]!.data.connId)!;
    // A viewer that stops reading: its TCP socket is paused, so the kernel buffers fill, then the
    // server's send buffer (bufferedAmount) grows.
    const socketOf = (v: Viewer) => (v.ws as unknown as { _socket: Socket })._socket;
    const fast = await Viewer.connect(node);
    const slow = await Viewer.connect(node);
    await fast.join(1);
    await slow.join(1);
    const conn = serverConn(slow);
    socketOf(slow).pause();

    const pad = 'x'.repeat(16_000);
    let chats = 0;
    let pins = 0;
    const round = async () => {
      for (let i = 0; i < 20; i++)
        await rt.publishToRoom(1, probeFrame('chat', { n: chats++, text: pad }), { kind: 'chat' });
      await rt.publishToRoom(1, probeFrame('product.pinned', { n: pins++ }));
      await new Promise((r) => setTimeout(r, 60)); // one delivery batch
    };
    for (let i = 0; i < 300 && conn.droppedChat === 0; i++) await round();
    expect(conn.droppedChat).toBeGreaterThan(0); // past the soft limit: chat is being skipped
    for (let i = 0; i < 5; i++) await round(); // …while commerce frames keep coming
    expect(conn.closed).toBe(false);

    // The fast viewer got everything; the slow one, once it reads again, every commerce frame in
    // order but not every chat message.
    await fast.next('chat', (f) => f.data.n === chats - 1);
    expect(fast.all('chat').map((f) => f.data.n)).toEqual([...Array(chats).keys()]);
    socketOf(slow).resume();
    await slow.next('product.pinned', (f) => f.data.n === pins - 1);
    expect(slow.all('product.pinned').map((f) => f.data.n)).toEqual([...Array(pins).keys()]);
    expect(slow.all('chat').length).toBeLessThan(chats);
    slow.close();

    // Past the hard limit (commerce frames it cannot take either) the viewer is disconnected.
    const stuck = await Viewer.connect(node);
    await stuck.join(1);
    const stuckConn = serverConn(stuck);
    socketOf(stuck).pause();
    const big = 'y'.repeat(64_000);
    for (let i = 0; i < 400 && !stuckConn.closed; i++) {
      for (let j = 0; j < 4; j++) await rt.publishToRoom(1, probeFrame('bag.updated', { i, j, big }));
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(stuckConn.closeCode).toBe(CloseCode.slowConsumer);
    socketOf(stuck).resume();
    await stuck.closed(10_000);
    // Everyone else is unaffected.
    expect(fast.closeCode).toBeUndefined();
    expect((await fast.request('ping')).pong).toBeTypeOf('number');
    fast.close();
  }, 60_000);
});

const shared = process.env.DATABASE_URL && process.env.REDIS_URL;
describe.runIf(shared)('two server processes sharing PostgreSQL and Redis', () => {
  it('delivers a frame published on one to viewers on the other, and a chat sent on one to viewers on both', async () => {
    const first = await startNode({ db: 'postgres', cache: 'redis' });
    const second = await startChildNode({
      databaseUrl: first.config.databaseUrl!,
      redisPrefix: first.config.redisPrefix,
    });
    try {
      const shop = await makeShop(first, '双节点店', '13844440002');
      const room = (
        await first.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
          token: shop.owner.token,
          body: { title: 'shared' },
        })
      ).body.id as number;
      const user = await first.userToken('13844440003');
      const onFirst = await Viewer.connect(first);
      const onSecond = await Viewer.connect(second.url);
      const chatter = await Viewer.connect(second.url, { token: user.token });
      await onFirst.join(room);
      const j = await onSecond.join(room);
      await chatter.join(room);
      expect(j.online).toBeGreaterThanOrEqual(2);
      await first.app.ctx.services.realtime.publishToRoom(room, probeFrame('flashsale.countdown', { n: 1 }));
      expect((await onSecond.next('flashsale.countdown')).data).toEqual({ n: 1 });
      expect((await onFirst.next('flashsale.countdown')).data).toEqual({ n: 1 });
      await chatter.request('chat', { text: '隔壁进程的你好' });
      expect((await onFirst.next('chat')).data.text).toBe('隔壁进程的你好');
      expect((await onSecond.next('chat')).data.text).toBe('隔壁进程的你好');
      onFirst.close();
      onSecond.close();
      chatter.close();
    } finally {
      await second.kill();
      await first.close();
    }
  }, 90_000);
});
