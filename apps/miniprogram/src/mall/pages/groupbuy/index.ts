// Group-buy (拼团): the deal, its open groups and how many each is missing; open a group or join one, and
// share the group to a chat to invite friends (the share carries the group and the sharer).
import { signIn } from '../../../api/auth';
import { countdown, yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import { sharePath } from '../../../api/share';
import type { Answer } from '../../../api/types';

type Deal = Answer<'/api/group-buys/{dealId}', 'get'>;
interface GroupView {
  id: number;
  missing: number;
  leader: string;
  left: string;
}

Component({
  data: {
    dealId: 0,
    groupId: 0,
    title: '',
    price: '',
    size: 0,
    skuId: 0,
    groups: [] as GroupView[],
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.sharer) wx.setStorageSync('lm.sharer', query.sharer);
      this.setData({ dealId: Number(query.dealId), groupId: Number(query.groupId ?? 0) });
      return this.load();
    },
    async load() {
      try {
        const d = await api<Deal>('GET', `/api/group-buys/${this.data.dealId}`);
        this.setData({
          title: d.title,
          price: yuan(d.groupPriceFen),
          size: d.groupSize,
          skuId: d.skuId,
          groups: d.openGroups.map((g) => ({
            id: g.id,
            missing: g.missing,
            leader: g.members.find((m) => m.leader)?.nickname ?? '',
            left: countdown(g.expiresAt),
          })),
        });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    async go(groupId: number | null) {
      try {
        await signIn();
        const items = encodeURIComponent(JSON.stringify([{ skuId: this.data.skuId, quantity: 1 }]));
        const deal = encodeURIComponent(JSON.stringify({ groupBuy: { dealId: this.data.dealId, groupId } }));
        void wx.navigateTo({ url: `/mall/pages/checkout/index?items=${items}&deal=${deal}` });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    open() {
      return this.go(null);
    },
    join(e: WechatMiniprogram.TouchEvent) {
      return this.go(e.currentTarget.dataset.id as number);
    },
    onShareAppMessage(o: { target?: { dataset?: { id?: number } } }) {
      const groupId = o.target?.dataset?.id ?? this.data.groupId;
      return {
        title: `${this.data.price} 拼 ${this.data.title}，就差你了`,
        path: sharePath('/mall/pages/groupbuy/index', { dealId: this.data.dealId, ...(groupId ? { groupId } : {}) }),
      };
    },
  },
});
