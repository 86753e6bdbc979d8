// Private rooms over real WebSockets: a guest or a signed-in outsider is refused on every way in
// (join frame, ?roomId=, resume) and never receives a frame of the room; staff and invitees are let
// in; an invitation that is withdrawn or expires stops working, also for a viewer already inside;
// the online count is not public. Across two server processes too when PostgreSQL and Redis are set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildNode, startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { Viewer } from './test-support.ts';

const SECRET_TITLE = '内部选品会 private-title';
const SECRET_CHAT = 'only-for-the-team';

/** Nothing of the room reached this socket: no frame naming it, no title, no chat, no history. */
function expectNothingOf(v: Viewer, roomId: number) {
  const wire = JSON.stringify(v.frames);
  expect(v.frames.filter((f) => f.roomId === roomId || f.type === 'chat' || f.type === 'product.pinned')).toEqual([]);
  expect(wire).not.toContain(SECRET_TITLE);
  expect(wire).not.toContain(SECRET_CHAT);
  expect(v.frames.filter((f) => f.type === 'ack' && f.data.title !== undefined)).toEqual([]);
}

/** An error frame (no ref) with this code, sent when the socket is let out of the room. */
const letOut = (v: Viewer, code: string, roomId: number) => v.next('error', (f) => f.data.code === code && f.data.roomId === roomId);

describe.each(APP_BACKENDS)('private rooms on the WebSocket on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let staff: Viewer;
  let room: number;
  let anchorToken: string;
  const invite = async (ttlSec = 600) => (await node.api('POST', `/api/merchants/${shop.merchantId}/rooms/${room}/invite`,
    { token: shop.owner.token, body: { ttlSec } })).body as { inviteId: number; token: string };
  /** Publish a commerce frame and a chat message (kept in history), and wait until staff have both. */
  const traffic = async (n: number) => {
    const rt = node.app.ctx.services.realtime;
    await rt.publishToRoom(room, { type: 'product.pinned', data: { n } });
    await rt.publishToRoom(room, { type: 'chat', data: { nickname: 'staff', text: `${SECRET_CHAT} ${n}` } }, { kind: 'chat' });
    await staff.next('product.pinned', (f) => f.data.n === n);
    await staff.next('chat', (f) => f.data.text === `${SECRET_CHAT} ${n}`);
  };

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '私密直播店', '13855550001');
    const anchor = await node.userToken('13855550002');
    anchorToken = anchor.token;
    await node.api('POST', `/api/merchants/${shop.merchantId}/staff`, { token: shop.owner.token, body: { phone: '13855550002', role: 'anchor' } });
    room = (await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, { token: shop.owner.token, body: { title: SECRET_TITLE, visibility: 'private' } })).body.id;
    staff = await Viewer.connect(node, { token: shop.owner.token });
    await staff.join(room);
    await traffic(0); // history for whoever joins next
  }, 60_000);
  afterAll(async () => { staff?.close(); await node?.close(); });

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
    await new Promise((r) => setTimeout(r, 150)); // past a delivery batch
    for (const v of [byFrame, byQuery, byResume, resumeFrame]) { expectNothingOf(v, room); v.close(); }
  });

  it('refuses a signed-in outsider, another shop\'s owner and a forged invitation, and lets none of them chat', async () => {
    const outsider = await node.userToken('13855550003');
    const otherShop = await makeShop(node, '别家店', '13855550004');
    for (const token of [outsider.token, otherShop.owner.token]) {
      const v = await Viewer.connect(node, { token });
      await expect(v.join(room)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(v.request('chat', { text: 'let me in' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(v.request('like', {})).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(v.join(room, 0)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      const forged = await node.app.ctx.tokens.signPayload({ r: room }, 'room-invite', 600); // the old, unrevocable kind
      await expect(v.request('join', { roomId: room, invite: forged })).rejects.toMatchObject({ code: 'INVITE_INVALID' });
      await expect(v.request('join', { roomId: room, invite: 'garbage' })).rejects.toMatchObject({ code: 'INVITE_INVALID' });
      await traffic(2);
      expectNothingOf(v, room);
      v.close();
    }
    const log = await node.api('GET', `/api/merchants/${shop.merchantId}/rooms/${room}/chat`, { token: shop.owner.token });
    expect(log.body.map((m: { text: string }) => m.text)).not.toContain('let me in');
  });

  it('lets staff and invitees in (join frame, ?roomId=&invite=, resume), with the history, and invitees chat', async () => {
    const anchor = await Viewer.connect(node, { token: anchorToken });
    expect((await anchor.join(room)).title).toBe(SECRET_TITLE);
    const { token } = await invite();
    const guest = await Viewer.connect(node);
    const joined = await guest.request('join', { roomId: room, invite: token });
    expect(joined.title).toBe(SECRET_TITLE);
    expect(joined.history.map((h: { data: { text: string } }) => h.data.text)).toContain(`${SECRET_CHAT} 0`);
    const resumed = await (await Viewer.connect(node)).request('join', { roomId: room, invite: token, resumeFrom: 0 });
    expect(resumed).toMatchObject({ resumed: true, title: SECRET_TITLE });
    expect(resumed.history.length).toBeGreaterThan(0);
    const member = await node.userToken('13855550005');
    const byQuery = await Viewer.connect(node, { token: member.token, roomId: room, invite: token });
    await byQuery.next('likes'); // sent only to a socket admitted to the room
    await byQuery.request('chat', { text: '受邀观众你好' });
    expect((await staff.next('chat', (f) => f.data.text === '受邀观众你好')).data.userId).toBe(member.userId);
    await traffic(3);
    await guest.next('product.pinned', (f) => f.data.n === 3);
    anchor.close(); guest.close(); byQuery.close();
  });

  it('lets the holders of a withdrawn invitation out at once, and the invitation opens nothing any more', async () => {
    const { inviteId, token } = await invite();
    const guest = await Viewer.connect(node);
    await guest.request('join', { roomId: room, invite: token });
    const revoked = await node.api('DELETE', `/api/merchants/${shop.merchantId}/rooms/${room}/invites/${inviteId}`, { token: shop.owner.token });
    expect(revoked.status).toBe(200);
    await letOut(guest, 'INVITE_REVOKED', room);
    const seen = guest.frames.length;
    await traffic(4);
    await new Promise((r) => setTimeout(r, 150));
    expect(guest.frames.slice(seen).filter((f) => f.roomId === room || f.type === 'chat' || f.type === 'product.pinned')).toEqual([]);
    await expect(guest.request('join', { roomId: room, invite: token })).rejects.toMatchObject({ code: 'INVITE_REVOKED' });
    expect((await node.api('GET', `/api/rooms/${room}?invite=${token}`)).body.error.code).toBe('INVITE_REVOKED');
    const list = (await node.api('GET', `/api/merchants/${shop.merchantId}/rooms/${room}/invites`, { token: shop.owner.token })).body;
    expect(list.find((i: { id: number }) => i.id === inviteId).revokedAt).not.toBeNull();
    guest.close();
  });

  it('lets a viewer out when its invitation expires, and refuses chat from then on', async () => {
    const owner = { userId: shop.owner.userId, sessionId: 'test', isPlatformAdmin: false };
    const short = await node.app.ctx.services.roomInvites.create(owner, shop.merchantId, room, 2);
    const member = await node.userToken('13855550006');
    const v = await Viewer.connect(node, { token: member.token });
    await v.request('join', { roomId: room, invite: short.token });
    await v.request('chat', { text: 'still valid' });
    await new Promise((r) => setTimeout(r, 2200));
    await expect(v.request('chat', { text: 'after expiry' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    await letOut(v, 'INVITE_EXPIRED', room);
    await expect(v.request('join', { roomId: room, invite: short.token })).rejects.toMatchObject({ code: 'INVITE_EXPIRED' });
    expect((await node.api('GET', `/api/rooms/${room}?invite=${short.token}`)).body.error.code).toBe('INVITE_EXPIRED');
    v.close();
  });

  it('keeps the online count of a private room to staff and invitees', async () => {
    const outsider = await node.userToken('13855550007');
    expect((await node.api('GET', `/api/rooms/${room}/online`)).body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await node.api('GET', `/api/rooms/${room}/online`, { token: outsider.token })).status).toBe(404);
    expect((await node.api('GET', `/api/rooms/${room}/online`, { token: shop.owner.token })).body.online).toBeGreaterThanOrEqual(1);
    const { token } = await invite();
    expect((await node.api('GET', `/api/rooms/${room}/online?invite=${token}`)).status).toBe(200);
    expect((await node.api('GET', '/api/rooms/999999/online')).status).toBe(404);
  });

  it('lets viewers without an invitation out when a public room is made private', async () => {
    const open = (await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, { token: shop.owner.token, body: { title: 'soon private' } })).body.id as number;
    const guest = await Viewer.connect(node);
    await guest.join(open);
    expect((await node.api('GET', `/api/rooms/${open}/online`)).status).toBe(200);
    await node.api('PATCH', `/api/merchants/${shop.merchantId}/rooms/${open}`, { token: shop.owner.token, body: { visibility: 'private' } });
    await letOut(guest, 'ROOM_NOT_FOUND', open);
    const seen = guest.frames.length;
    await node.app.ctx.services.realtime.publishToRoom(open, { type: 'product.pinned', data: { after: true } });
    await new Promise((r) => setTimeout(r, 200));
    expect(guest.frames.slice(seen).filter((f) => f.type === 'product.pinned')).toEqual([]);
    guest.close();
  });

  it('lets a removed staff member out of the shop\'s private room', async () => {
    const phone = '13855550008';
    const user = await node.userToken(phone);
    await node.api('POST', `/api/merchants/${shop.merchantId}/staff`, { token: shop.owner.token, body: { phone, role: 'merchant_staff' } });
    const v = await Viewer.connect(node, { token: user.token });
    await v.join(room);
    await node.api('DELETE', `/api/merchants/${shop.merchantId}/staff/${user.userId}`, { token: shop.owner.token });
    await letOut(v, 'ROOM_NOT_FOUND', room);
    v.close();
  });
});

const shared = process.env.DATABASE_URL && process.env.REDIS_URL;
describe.runIf(shared)('private rooms across two server processes', () => {
  it('refuses outsiders on the other node, admits invitees there, and lets them out when the invite is withdrawn', async () => {
    const first = await startNode({ db: 'postgres', cache: 'redis' });
    const second = await startChildNode({ databaseUrl: first.config.databaseUrl!, redisPrefix: first.config.redisPrefix });
    try {
      const shop = await makeShop(first, '双节点私密店', '13855550011');
      const room = (await first.api('POST', `/api/merchants/${shop.merchantId}/rooms`, { token: shop.owner.token, body: { title: SECRET_TITLE, visibility: 'private' } })).body.id as number;
      const inv = (await first.api('POST', `/api/merchants/${shop.merchantId}/rooms/${room}/invite`, { token: shop.owner.token, body: { ttlSec: 600 } })).body;
      const staff = await Viewer.connect(first, { token: shop.owner.token });
      await staff.join(room);
      const outsider = await Viewer.connect(second.url, { roomId: room });
      expect((await outsider.next('error')).data.code).toBe('ROOM_NOT_FOUND');
      const invitee = await Viewer.connect(second.url);
      expect((await invitee.request('join', { roomId: room, invite: inv.token })).title).toBe(SECRET_TITLE);
      expect((await second.api('GET', `/api/rooms/${room}/online`)).status).toBe(404);

      await staff.request('chat', { text: `${SECRET_CHAT} across` });
      await invitee.next('chat', (f) => f.data.text === `${SECRET_CHAT} across`);
      await first.api('DELETE', `/api/merchants/${shop.merchantId}/rooms/${room}/invites/${inv.inviteId}`, { token: shop.owner.token });
      await letOut(invitee, 'INVITE_REVOKED', room);
      const seen = invitee.frames.length;
      await first.app.ctx.services.realtime.publishToRoom(room, { type: 'product.pinned', data: { n: 'after' } });
      await staff.next('product.pinned', (f) => f.data.n === 'after');
      await new Promise((r) => setTimeout(r, 200));
      expect(invitee.frames.slice(seen).filter((f) => f.type === 'product.pinned' || f.type === 'chat')).toEqual([]);
      expectNothingOf(outsider, room);
      staff.close(); outsider.close(); invitee.close();
    } finally {
      await second.kill();
      await first.close();
    }
  }, 90_000);
});
