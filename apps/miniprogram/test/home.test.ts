// Home page: live now, trailers with remind-me, replays, rendered through miniprogram-simulate.
import { beforeAll, describe, expect, it } from 'vitest';
import { all, ensureBuilt, render, scriptedWx, tap, text, until, type Call, logged } from './wx.ts';

const room = (id: number, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  merchantId: 1,
  merchantName: '好物小店',
  title: `场次${id}`,
  coverUrl: null,
  status,
  isPrivate: false,
  scheduledAt: '2026-12-24T20:00:00.000Z',
  startedAt: null,
  endedAt: null,
  reminders: 3,
  viewers: { online: 42, cumulative: 100 },
  ...extra,
});

beforeAll(() => ensureBuilt());

describe('home page', () => {
  it('shows the shows live now, the trailers and the replays, and reminds me of a trailer', async () => {
    const reminded: Call[] = [];
    const env = scriptedWx([
      (c) => (c.path === '/api/rooms?kind=live' ? { data: [room(1, 'live')] } : undefined),
      (c) => (c.path === '/api/rooms?kind=upcoming' ? { data: [room(2, 'scheduled')] } : undefined),
      (c) => (c.path === '/api/rooms?kind=replays' ? { data: [room(3, 'ended')] } : undefined),
      (c) =>
        c.path === '/api/auth/wechat'
          ? { data: { user: { id: 7, nickname: 'w' }, tokens: { accessToken: 'a', refreshToken: 'r' }, created: true } }
          : undefined,
      // This deployment has no subscribe-message template: the room reminder is used.
      (c) =>
        c.path === '/api/wechat/config'
          ? { data: { sandbox: true, templates: { liveStart: null, orderShipped: null } } }
          : undefined,
      (c) =>
        c.method === 'PUT' && c.path === '/api/rooms/2/remind'
          ? logged(reminded, c, { data: { reminded: true, subscribers: 4 } })
          : undefined,
    ]);
    const page = render('pages/home/index');
    page.instance.onLoad({});
    await until(() => all(page, '.live').length === 1, 'live rooms');
    expect(text(page, '.live')).toContain('场次1');
    expect(text(page, '.live .online')).toBe('42 人在看');
    expect(text(page, '.trailer')).toContain('提醒我 · 3');
    expect(text(page, '.replay')).toContain('场次3');

    await tap(page, '.remind');
    await until(() => text(page, '.reminded'), 'reminded');
    expect(text(page, '.reminded')).toBe('已预约 · 4');
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.headers.authorization).toBe('Bearer a');

    await tap(page, '.live');
    expect(env.navigations).toContain('/pages/room/index?roomId=1');
  });

  it('asks for the 开播提醒 subscribe message where the deployment has its template', async () => {
    const subs: Call[] = [];
    scriptedWx([
      (c) => (c.path.startsWith('/api/rooms?kind=upcoming') ? { data: [room(5, 'scheduled')] } : undefined),
      (c) => (c.path.startsWith('/api/rooms?') ? { data: [] } : undefined),
      (c) =>
        c.path === '/api/auth/wechat'
          ? { data: { user: { id: 7, nickname: 'w' }, tokens: { accessToken: 'a', refreshToken: 'r' }, created: true } }
          : undefined,
      (c) =>
        c.path === '/api/wechat/config'
          ? { data: { sandbox: true, templates: { liveStart: 'tmpl-live', orderShipped: null } } }
          : undefined,
      (c) =>
        c.path === '/api/wechat/subscriptions' ? logged(subs, c, { data: { grants: [], reminded: true } }) : undefined,
    ]);
    const page = render('pages/home/index');
    page.instance.onLoad({});
    await until(() => text(page, '#no-live'), 'empty live list');
    await tap(page, '.remind');
    await until(() => text(page, '.reminded'), 'reminded');
    expect(subs[0]!.body).toEqual({ results: { 'tmpl-live': 'accept' }, roomId: 5 });
  });

  it('says why when the rooms cannot be loaded, in Chinese, never the server message', async () => {
    scriptedWx([() => ({ status: 503, data: { error: { code: 'NO_SUCH_CODE', message: 'Service unavailable' } } })]);
    const page = render('pages/home/index');
    page.instance.onLoad({});
    expect(await until(() => text(page, '#error'), 'error')).toBe('操作没有成功，请稍后再试');
  });
});
