// Home: the shows live now, the trailers (remind me: a 开播提醒 subscribe message where the deployment has
// the template, else the room reminder), and the replays. Built with Component() so the page renders in
// miniprogram-simulate like any component.
import { signIn } from '../../api/auth';
import { api, errorText } from '../../api/http';
import type { RoomCard } from '../../api/types';

type Card = RoomCard & { when: string; reminded?: boolean };
const when = (iso: string | null) => (iso ? iso.slice(5, 16).replace('T', ' ') : '');
const card = (r: RoomCard): Card => ({ ...r, when: when(r.scheduledAt ?? r.startedAt) });

interface WechatConfig {
  sandbox: boolean;
  templates: { liveStart: string | null; orderShipped: string | null };
}

function subscribe(tmplId: string): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: [tmplId],
      // The answer is { [tmplId]: "accept" | …, errMsg }: only the template ids go to the server.
      success: (r) => {
        const { errMsg: _msg, ...results } = r as unknown as Record<string, string>;
        resolve(results);
      },
      fail: () => resolve({}),
    });
  });
}

Component({
  data: { live: [] as Card[], upcoming: [] as Card[], replays: [] as Card[], loading: true, error: '' },
  methods: {
    onLoad() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      try {
        const [live, upcoming, replays] = await Promise.all(
          (['live', 'upcoming', 'replays'] as const).map((kind) =>
            api<RoomCard[]>('GET', '/api/rooms', { query: { kind } }),
          ),
        );
        this.setData({
          live: live!.map(card),
          upcoming: upcoming!.map(card),
          replays: replays!.map(card),
          loading: false,
          error: '',
        });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },
    openRoom(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/pages/room/index?roomId=${e.currentTarget.dataset.id as number}` });
    },
    openMall() {
      void wx.navigateTo({ url: '/mall/pages/index/index' });
    },
    openMe() {
      void wx.navigateTo({ url: '/user/pages/me/index' });
    },
    async remind(e: WechatMiniprogram.TouchEvent) {
      const roomId = e.currentTarget.dataset.id as number;
      try {
        await signIn();
        const cfg = await api<WechatConfig>('GET', '/api/wechat/config').catch(() => null);
        const tmpl = cfg?.templates.liveStart;
        let reminders: number | null = null;
        if (tmpl) {
          const results = await subscribe(tmpl);
          const r = await api<{ reminded: boolean }>('POST', '/api/wechat/subscriptions', {
            body: { results, roomId },
          });
          if (!r.reminded) return;
        } else {
          reminders = (await api<{ subscribers: number }>('PUT', `/api/rooms/${roomId}/remind`)).subscribers;
        }
        const upcoming = this.data.upcoming.map((r) =>
          r.id === roomId ? { ...r, reminded: true, reminders: reminders ?? r.reminders + 1 } : r,
        );
        this.setData({ upcoming });
        void wx.showToast({ title: '开播会提醒你', icon: 'success' });
      } catch (err) {
        void wx.showToast({ title: errorText(err), icon: 'none' });
      }
    },
  },
});
