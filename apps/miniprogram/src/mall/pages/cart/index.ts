// Cart: lines per shop, quantity steps, select, remove, and check out the selected lines.
import { signIn } from '../../../api/auth';
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import type { Answer } from '../../../api/types';

type Cart = Answer<'/api/cart', 'get'>;
type Line = Cart['groups'][number]['lines'][number];
interface LineView {
  skuId: number;
  title: string;
  sku: string;
  quantity: number;
  selected: boolean;
  price: string;
  available: boolean;
}
interface GroupView {
  merchantId: number;
  merchantName: string;
  lines: LineView[];
}

const view = (c: Cart) => ({
  groups: c.groups.map(
    (g): GroupView => ({
      merchantId: g.merchantId,
      merchantName: g.merchantName,
      lines: g.lines.map((l: Line) => ({
        skuId: l.skuId,
        title: l.productTitle,
        sku: l.skuName,
        quantity: l.quantity,
        selected: l.selected,
        price: yuan(l.priceFen),
        available: l.available > 0,
      })),
    }),
  ),
  total: yuan(c.selectedTotalFen),
  count: c.count,
});

Component({
  data: { groups: [] as GroupView[], total: '', count: 0, loading: true, error: '' },
  methods: {
    async onLoad() {
      await signIn().catch(() => undefined);
      return this.load();
    },
    onShow() {
      if (!this.data.loading) void this.load();
    },
    async load() {
      try {
        this.setData({ ...view(await api<Cart>('GET', '/api/cart')), loading: false, error: '' });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    line(e: WechatMiniprogram.TouchEvent): LineView | undefined {
      const skuId = e.currentTarget.dataset.sku as number;
      return this.data.groups.flatMap((g) => g.lines).find((l) => l.skuId === skuId);
    },
    async patch(skuId: number, body: Record<string, unknown>) {
      try {
        this.setData(view(await api<Cart>('PATCH', `/api/cart/items/${skuId}`, { body })));
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    plus(e: WechatMiniprogram.TouchEvent) {
      const l = this.line(e);
      if (l) void this.patch(l.skuId, { quantity: l.quantity + 1 });
    },
    minus(e: WechatMiniprogram.TouchEvent) {
      const l = this.line(e);
      if (l && l.quantity > 1) void this.patch(l.skuId, { quantity: l.quantity - 1 });
    },
    toggle(e: WechatMiniprogram.TouchEvent) {
      const l = this.line(e);
      if (l) void this.patch(l.skuId, { selected: !l.selected });
    },
    async remove(e: WechatMiniprogram.TouchEvent) {
      const l = this.line(e);
      if (!l) return;
      try {
        await api('DELETE', `/api/cart/items/${l.skuId}`);
        await this.load();
      } catch (err) {
        this.setData({ error: errorText(err) });
      }
    },
    checkout() {
      const items = this.data.groups
        .flatMap((g) => g.lines)
        .filter((l) => l.selected && l.available)
        .map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
      if (!items.length) return;
      void wx.navigateTo({ url: `/mall/pages/checkout/index?items=${encodeURIComponent(JSON.stringify(items))}` });
    },
  },
});
