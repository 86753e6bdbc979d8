// Bargain (砍价): start one from a campaign or open one from a share; its price, floor and cuts; the owner
// shares it to ask friends to cut, a friend helps cut, and the owner buys at the current price.
import { currentUser, signIn } from '../../../api/auth';
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import { sharePath } from '../../../api/share';
import type { Answer } from '../../../api/types';

type Bargain = Answer<'/api/bargains/{bargainId}', 'get'>;

Component({
  data: {
    bargainId: 0,
    mine: false,
    title: '',
    current: '',
    floor: '',
    start: '',
    helps: 0,
    helpsNeeded: 0,
    status: '',
    skuId: 0,
    cuts: [] as string[],
    notice: '',
    error: '',
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      if (query.sharer) wx.setStorageSync('lm.sharer', query.sharer);
      try {
        await signIn();
        const b = query.campaignId
          ? await api<Bargain>('POST', `/api/bargains/campaigns/${query.campaignId}/start`)
          : await api<Bargain>('GET', `/api/bargains/${query.bargainId}`);
        this.show(b);
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    show(b: Bargain) {
      const cuts = b.cuts.map((c) => `${c.nickname} 砍了 ${yuan(c.cutFen)}`);
      this.setData({
        bargainId: b.id,
        mine: currentUser()?.id === b.userId,
        title: b.title,
        current: yuan(b.currentPriceFen),
        floor: yuan(b.floorPriceFen),
        start: yuan(b.startPriceFen),
        helps: b.helps,
        helpsNeeded: b.helpsNeeded,
        status: b.status,
        skuId: b.skuId,
        cuts,
      });
    },
    async help() {
      try {
        const r = await api<{ cutFen: number; reached: boolean }>('POST', `/api/bargains/${this.data.bargainId}/help`);
        this.setData({ notice: `你帮忙砍了 ${yuan(r.cutFen)}` });
        this.show(await api<Bargain>('GET', `/api/bargains/${this.data.bargainId}`));
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    buy() {
      const items = encodeURIComponent(JSON.stringify([{ skuId: this.data.skuId, quantity: 1 }]));
      const deal = encodeURIComponent(JSON.stringify({ bargainId: this.data.bargainId }));
      void wx.navigateTo({ url: `/mall/pages/checkout/index?items=${items}&deal=${deal}` });
    },
    onShareAppMessage() {
      return {
        title: `帮我砍一刀：${this.data.title}`,
        path: sharePath('/mall/pages/bargain/index', { bargainId: this.data.bargainId }),
      };
    },
  },
});
