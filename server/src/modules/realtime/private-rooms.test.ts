// Private rooms over real WebSockets: a guest or a signed-in outsider is refused on every way in
// (join frame, ?roomId=, resume) and never receives a frame of the room; staff and invitees are let
// in; an invitation that is withdrawn or expires stops working, also for a viewer already inside;
// the online count is not public. Across two server processes too when PostgreSQL and Redis are set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildNode, startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { probeFrame, Viewer, type Frame } from './test-support.ts';

const SECRET_TITLE = '内部选品会 private-title';
const SECRET_CHAT = 'only-for-the-team';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const roomFrames = (frames: Frame[], roomId: number) =>
  frames.filter((f) => f.roomId === roomId || f.type === 'chat' || f.type === 'product.pinned');

/** Nothing of the room reached this socket: no frame naming it, no title, no chat, no history. */
function expectNothingOf(v: Viewer, roomId: number) {
  const wire = JSON.stringify(v.frames);
  expect(roomFrames(v.frames, roomId)).toEqual([]);
  expect(wire).not.toContain(SECRET_TITLE);
  expect(wire).not.toContain(SECRET_CHAT);
  expect(v.frames.filter((f) => f.type === 'ack' && f.data.title !== undefined)).toEqual([]);
}

/** The error frame (no ref) a socket gets when it is let out of the room. */
const letOut = (v: Viewer, code: string, roomId: number) =>
  v.next('error', (f) => f.data.code === code && f.data.roomId === roomId);

/** REST helpers for one shop's owner. */
function shopApi(node: TestNode | { api: TestNode['api'] }, shop: ShopFixture) {
  const call = (method: string, path: string, body?: unknown) =>
    node.api(method, `/api/merchants/${shop.merchantId}${path}`, { token: shop.owner.token, body });
  return {
    call,
    createRoom: async (body: Record<string, unknown>) => (await call('POST', '/rooms', body)).body.id as number,
    invite: async (roomId: number, ttlSec = 600): Promise<{ inviteId: number; token: string; pageUrl: string }> =>
      (await call('POST', `/rooms/${roomId}/invite`, { ttlSec })).body,
    revoke: (roomId: number, inviteId: number) => call('DELETE', `/rooms/${roomId}/invites/${inviteId}`),
  };
}

describe.each(APP_BACKENDS)('private rooms on the WebSocket on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let owner: ReturnType<typeof shopApi>;
  let staff: Viewer;
  let room: number;
  let anchorToken: string;
  /** Publish a commerce frame and a chat message (kept in history); wait until staff have both. */
  const traffic = async (n: number) => {
    const rt = node.app.ctx.services.realtime;
    await rt.publishToRoom(room, probeFrame('product.pinned', { n }));
    const chat = probeFrame('chat', { nickname: 'staff', text: `${SECRET_CHAT} ${n}` });
    await rt.publishToRoom(room, chat, { kind: 'chat' });
    await staff.next('product.pinned', (f) => f.data.n === n);
    await staff.next('chat', (f) => f.data.text === `${SECRET_CHAT} ${n}`);
  };

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '私密直播店', '13855550001');
    owner = shopApi(node, shop);
    anchorToken = (await node.userToken('13855550002')).token;
    await owner.call('POST', '/staff', { phone: '13855550002', role: 'anchor' });
    room = await owner.createRoom({ title: SECRET_TITLE, visibility: 'private' });
    staff = await Viewer.connect(node, { token: shop.owner.token });
    await staff.join(room);
    await traffic(0); // history for whoever joins next
  }, 60_000);
  afterAll(async () => {
    staff?.close();
    await node?.close();
  });

  it('refuses a guest by join frame, by ?roomId= and by resume, and sends it nothing of the room', async () => {
    const byFrame = await Viewer.connect(node);
    await expect(byFrame.join(room)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    const byQuery = await Viewer.connect(node, { roomId: room });
    expect((await byQuery.next('error')).data.code).toBe('ROOM_NOT_FOUND');
    const byResume = await Viewer.connect(node, { roomId: room, resumeFrom: 0 });
    expect((await byResume.next('error')).data.code).toBe('ROOM_NOT_FOUND');
    const resumeFrame = await Viewer.connect(node);
    await expect(resumeFrame.join(room, 0)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await traffic(1);
    await pause(150); // past a delivery batch
    for (const v of [byFrame, byQuery, byResume, resumeFrame]) {
      expectNothingOf(v, room);
      v.close();
    }
  });

  it("refuses a signed-in outsider, another shop's owner and forged invitations, and none of them chats", async () => {
    const outsider = await node.userToken('13855550003');
    const otherShop = await makeShop(node, '别家店', '13855550004');
    // The old, unrevocable kind of invitation (no row id): correctly signed, still refused.
    const rowless = await node.app.ctx.tokens.signPayload({ r: room }, 'room-invite', 600);
    for (const token of [outsider.token, otherShop.owner.token]) {
      const v = await Viewer.connect(node, { token });
      await expect(v.join(room)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(v.request('chat', { text: 'let me in' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(v.request('like', {})).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(v.join(room, 0)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      for (const invite of [rowless, 'garbage']) {
        await expect(v.request('join', { roomId: room, invite })).rejects.toMatchObject({ code: 'INVITE_INVALID' });
      }
      await traffic(2);
      expectNothingOf(v, room);
      v.close();
    }
    const log = await owner.call('GET', `/rooms/${room}/chat`);
    expect(log.body.map((m: { text: string }) => m.text)).not.toContain('let me in');
  });

  it('lets staff and invitees in (join frame, ?roomId=&invite=, resume), with the history; invitees chat', async () => {
    const anchor = await Viewer.connect(node, { token: anchorToken });
    expect((await anchor.join(room)).title).toBe(SECRET_TITLE);
    const { token, pageUrl } = await owner.invite(room);
    expect(pageUrl).toBe(`${node.config.publicUrl}/shop/room/${room}?invite=${token}`); // what the shop sends out
    const guest = await Viewer.connect(node);
    const joined = await guest.request('join', { roomId: room, invite: token });
    expect(joined.title).toBe(SECRET_TITLE);
    expect(joined.history.map((h: Frame) => h.data.text)).toContain(`${SECRET_CHAT} 0`);
    const resumer = await Viewer.connect(node);
    const resumed = await resumer.request('join', { roomId: room, invite: token, resumeFrom: 0 });
    expect(resumed).toMatchObject({ resumed: true, title: SECRET_TITLE });
    expect(resumed.history.length).toBeGreaterThan(0);
    const member = await node.userToken('13855550005');
    const byQuery = await Viewer.connect(node, { token: member.token, roomId: room, invite: token });
    await byQuery.next('likes'); // sent only to a socket admitted to the room
    await byQuery.request('chat', { text: '受邀观众你好' });
    expect((await staff.next('chat', (f) => f.data.text === '受邀观众你好')).data.userId).toBe(member.userId);
    await traffic(3);
    await guest.next('product.pinned', (f) => f.data.n === 3);
    for (const v of [anchor, guest, resumer, byQuery]) v.close();
  });

  it('lets the holders of a withdrawn invitation out at once, and the invitation opens nothing any more', async () => {
    const { inviteId, token } = await owner.invite(room);
    const guest = await Viewer.connect(node);
    await guest.request('join', { roomId: room, invite: token });
    expect((await owner.revoke(room, inviteId)).status).toBe(200);
    await letOut(guest, 'INVITE_REVOKED', room);
    const seen = guest.frames.length;
    await traffic(4);
    await pause(150);
    expect(roomFrames(guest.frames.slice(seen), room)).toEqual([]);
    const again = guest.request('join', { roomId: room, invite: token });
    await expect(again).rejects.toMatchObject({ code: 'INVITE_REVOKED' });
    expect((await node.api('GET', `/api/rooms/${room}?invite=${token}`)).body.error.code).toBe('INVITE_REVOKED');
    const list: Array<{ id: number; revokedAt: string | null }> = (await owner.call('GET', `/rooms/${room}/invites`))
      .body;
    expect(list.find((i) => i.id === inviteId)?.revokedAt).not.toBeNull();
    guest.close();
  });

  it('lets a viewer out when its invitation expires, and refuses chat from then on', async () => {
    const actor = { userId: shop.owner.userId, sessionId: 'test', isPlatformAdmin: false };
    const short = await node.app.ctx.services.roomInvites.create(actor, shop.merchantId, room, 2);
    const member = await node.userToken('13855550006');
    const v = await Viewer.connect(node, { token: member.token });
    await v.request('join', { roomId: room, invite: short.token });
    await v.request('chat', { text: 'still valid' });
    await pause(2200);
    await expect(v.request('chat', { text: 'after expiry' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    await letOut(v, 'INVITE_EXPIRED', room);
    // No frame type any module registered acts in the room any more (a new one is covered by itself).
    const builtIn = ['ping', 'auth', 'join', 'leave'];
    // support.* act on the sender's own customer-service conversations, not on a room (support's tests cover them).
    const types = node.app.ctx.services.realtime.gateway
      .frameTypes()
      .filter((t) => !builtIn.includes(t) && !t.startsWith('support.'));
    expect(types).toEqual(expect.arrayContaining(['chat', 'like', 'gift', 'report']));
    const anything = { text: 'x', count: 1, giftId: 1, quantity: 1, seq: 1 };
    for (const type of types) await expect(v.request(type, anything)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    const again = v.request('join', { roomId: room, invite: short.token });
    await expect(again).rejects.toMatchObject({ code: 'INVITE_EXPIRED' });
    expect((await node.api('GET', `/api/rooms/${room}?invite=${short.token}`)).body.error.code).toBe('INVITE_EXPIRED');
    v.close();
  });

  it('keeps the online count of a private room to staff and invitees', async () => {
    const outsider = await node.userToken('13855550007');
    const online = (query = '', token?: string) =>
      node.api('GET', `/api/rooms/${room}/online${query}`, token ? { token } : {});
    expect((await online()).body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await online('', outsider.token)).status).toBe(404);
    // Staff may read it (their own sockets are not counted in it: they are not audience).
    expect((await online('', shop.owner.token)).body.online).toEqual(expect.any(Number));
    expect((await online(`?invite=${(await owner.invite(room)).token}`)).status).toBe(200);
    expect((await node.api('GET', '/api/rooms/999999/online')).status).toBe(404);
  });

  it("keeps a private room's coupon drops and lucky bags to staff and invitees", async () => {
    await node.app.ctx.services.live.goLive(room); // lucky bags run during a show
    const coupon = { title: '会员专享', kind: 'fixed', amountFen: 300, validDays: 3, totalQuantity: 100 };
    const templateId = (await owner.call('POST', '/coupons', { ...coupon, channels: ['room_drop'] })).body.id as number;
    const drop = (await owner.call('POST', `/rooms/${room}/coupon-drops`, { templateId, quantity: 5, minutes: 5 }))
      .body;
    const prize = { kind: 'other', description: '签名照' };
    const bagBody = { title: '关注福袋', prize, winners: 1, condition: { kind: 'follow' }, minutes: 5 };
    const bag = (await owner.call('POST', `/rooms/${room}/lucky-bags`, bagBody)).body;
    const outsider = await node.userToken('13855550009');
    await node.api('PUT', `/api/me/follows/${shop.merchantId}`, { token: outsider.token }); // meets the condition
    const claim = (q = '') => node.api('POST', `/api/coupon-drops/${drop.dropId}/claim${q}`, { token: outsider.token });
    const enter = (q = '') => node.api('POST', `/api/lucky-bags/${bag.bagId}/enter${q}`, { token: outsider.token });
    expect((await claim()).body.error.code).toBe('DROP_NOT_FOUND');
    expect((await enter()).body.error.code).toBe('LUCKY_BAG_NOT_FOUND');
    expect((await node.api('GET', `/api/coupon-drops/${drop.dropId}`)).status).toBe(404);
    expect((await node.api('GET', `/api/lucky-bags/${bag.bagId}`)).status).toBe(404);
    const { token } = await owner.invite(room);
    expect((await claim(`?invite=${token}`)).status).toBe(201);
    expect((await enter(`?invite=${token}`)).body).toEqual({ entered: true });
    expect((await node.api('GET', `/api/lucky-bags/${bag.bagId}?invite=${token}`)).body.entrants).toBe(1);
    const seen = await node.api('GET', `/api/coupon-drops/${drop.dropId}`, { token: shop.owner.token });
    expect(seen.body.remaining).toBe(4);
  });

  it('lets viewers without an invitation out when a public room is made private', async () => {
    const open = await owner.createRoom({ title: 'soon private' });
    const guest = await Viewer.connect(node);
    await guest.join(open);
    expect((await node.api('GET', `/api/rooms/${open}/online`)).status).toBe(200);
    await owner.call('PATCH', `/rooms/${open}`, { visibility: 'private' });
    await letOut(guest, 'ROOM_NOT_FOUND', open);
    const seen = guest.frames.length;
    await node.app.ctx.services.realtime.publishToRoom(open, probeFrame('product.pinned', { after: true }));
    await pause(200);
    expect(guest.frames.slice(seen).filter((f) => f.type === 'product.pinned')).toEqual([]);
    guest.close();
  });

  it("lets a removed staff member out of the shop's private room", async () => {
    const user = await node.userToken('13855550008');
    await owner.call('POST', '/staff', { phone: '13855550008', role: 'merchant_staff' });
    const v = await Viewer.connect(node, { token: user.token });
    await v.join(room);
    await owner.call('DELETE', `/staff/${user.userId}`);
    await letOut(v, 'ROOM_NOT_FOUND', room);
    v.close();
  });
});

const shared = process.env.DATABASE_URL && process.env.REDIS_URL;
describe.runIf(shared)('private rooms across two server processes', () => {
  it('refuses outsiders on the other node, admits invitees there, and lets them out when withdrawn', async () => {
    const first = await startNode({ db: 'postgres', cache: 'redis' });
    const { databaseUrl, redisPrefix } = first.config;
    const second = await startChildNode({ databaseUrl: databaseUrl!, redisPrefix });
    try {
      const shop = await makeShop(first, '双节点私密店', '13855550011');
      const owner = shopApi(first, shop);
      const room = await owner.createRoom({ title: SECRET_TITLE, visibility: 'private' });
      const inv = await owner.invite(room);
      const staff = await Viewer.connect(first, { token: shop.owner.token });
      await staff.join(room);
      const outsider = await Viewer.connect(second.url, { roomId: room });
      expect((await outsider.next('error')).data.code).toBe('ROOM_NOT_FOUND');
      const invitee = await Viewer.connect(second.url);
      expect((await invitee.request('join', { roomId: room, invite: inv.token })).title).toBe(SECRET_TITLE);
      expect((await second.api('GET', `/api/rooms/${room}/online`)).status).toBe(404);

      await staff.request('chat', { text: `${SECRET_CHAT} across` });
      await invitee.next('chat', (f) => f.data.text === `${SECRET_CHAT} across`);
      await owner.revoke(room, inv.inviteId);
      await letOut(invitee, 'INVITE_REVOKED', room);
      const seen = invitee.frames.length;
      await first.app.ctx.services.realtime.publishToRoom(room, probeFrame('product.pinned', { n: 'after' }));
      await staff.next('product.pinned', (f) => f.data.n === 'after');
      await pause(200);
      expect(roomFrames(invitee.frames.slice(seen), room)).toEqual([]);
      expectNothingOf(outsider, room);

      // A ban issued through one node closes the viewer's socket on the other (protocol close 4003).
      const troll = await first.userToken('13855550012');
      const open = await owner.createRoom({ title: 'public, across' });
      const trollSocket = await Viewer.connect(second.url, { token: troll.token });
      await trollSocket.join(open);
      await owner.call('POST', `/rooms/${open}/sanctions`, { userId: troll.userId, kind: 'ban' });
      expect(await trollSocket.closed()).toBe(4003);
      for (const v of [staff, outsider, invitee]) v.close();
    } finally {
      await second.kill();
      await first.close();
    }
  }, 90_000);
});
