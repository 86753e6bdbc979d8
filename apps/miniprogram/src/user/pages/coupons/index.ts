// My coupons, by status.
import { signIn } from '../../../api/auth';
import { api, errorText } from '../../../api/http';
import { couponStatus } from '../../../api/labels';
import type { Answer } from '../../../api/types';

type Coupon = Answer<'/api/me/coupons', 'get'>[number];

Component({
  data: {
    tab: 'available',
    coupons: [] as Array<Coupon & { statusText: string; until: string }>,
    loading: true,
    error: '',
  },
  methods: {
    async onLoad() {
      await signIn().catch(() => undefined);
      return this.load();
    },
    async load() {
      try {
        const list = await api<Coupon[]>('GET', '/api/me/coupons', { query: { status: this.data.tab } });
        this.setData({
          coupons: list.map((c) => ({ ...c, statusText: couponStatus(c.status), until: c.validUntil.slice(0, 10) })),
          loading: false,
          error: '',
        });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    setTab(e: WechatMiniprogram.TouchEvent) {
      this.setData({ tab: e.currentTarget.dataset.tab as string });
      return this.load();
    },
  },
});
