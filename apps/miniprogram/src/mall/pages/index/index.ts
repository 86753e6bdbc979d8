// The mall (subpackage): products by sales, and search.
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import type { Answer } from '../../../api/types';

type List = Answer<'/api/products', 'get'>;
type Item = List['items'][number] & { price: string };

Component({
  data: { q: '', items: [] as Item[], loading: true, error: '' },
  methods: {
    onLoad() {
      return this.search();
    },
    onInput(e: WechatMiniprogram.Input) {
      this.setData({ q: e.detail.value });
    },
    async search() {
      try {
        const q = this.data.q.trim();
        const r = await api<List>('GET', '/api/products', {
          query: { sort: 'sales', pageSize: 20, ...(q ? { q } : {}) },
        });
        this.setData({ items: r.items.map((p) => ({ ...p, price: yuan(p.minPriceFen) })), loading: false, error: '' });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    open(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/mall/pages/product/index?productId=${e.currentTarget.dataset.id as number}` });
    },
    openCart() {
      void wx.navigateTo({ url: '/mall/pages/cart/index' });
    },
  },
});
