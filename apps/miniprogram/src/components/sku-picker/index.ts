// SKU picker: one value per spec (颜色, 尺码…), the SKU those values name, its price and stock, the quantity;
// "buy" hands { skuId, quantity } to the page (event `picked`).
import { yuan } from '../../api/format';
import { api, errorText } from '../../api/http';
import type { ProductDetail } from '../../api/types';

type Sku = ProductDetail['skus'][number];
interface SpecView {
  name: string;
  values: Array<{ value: string; chosen: boolean }>;
}

Component({
  properties: { productId: { type: Number, value: 0 } },
  data: {
    title: '',
    coverUrl: '',
    specs: [] as SpecView[],
    chosen: [] as string[],
    skuId: 0,
    price: '',
    stock: 0,
    quantity: 1,
    error: '',
    ready: false,
  },
  observers: {
    productId(id: number) {
      if (id) void this.load(id);
    },
  },
  methods: {
    async load(id: number) {
      try {
        const p = await api<ProductDetail>('GET', `/api/products/${id}`);
        const skus = p.skus.filter((s) => s.enabled);
        (this as unknown as { _skus: Sku[] })._skus = skus;
        const first = skus.find((s) => s.stock > 0) ?? skus[0];
        this.setData({ title: p.title, coverUrl: p.coverUrl ?? '', ready: true, error: '' });
        this.show(p.specs, first ? first.specValues : []);
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    show(specs: Array<{ name: string; values: string[] }>, chosen: string[]) {
      const skus = (this as unknown as { _skus: Sku[] })._skus;
      const sku = skus.find((s) => s.specValues.every((v, i) => v === chosen[i])) ?? null;
      this.setData({
        chosen,
        specs: specs.map((s, i) => ({
          name: s.name,
          values: s.values.map((v) => ({ value: v, chosen: chosen[i] === v })),
        })),
        skuId: sku?.id ?? 0,
        price: sku ? yuan(sku.priceFen) : '',
        stock: sku?.stock ?? 0,
        quantity: Math.max(1, Math.min(this.data.quantity, sku?.stock ?? 1)),
      });
    },
    choose(e: WechatMiniprogram.TouchEvent) {
      const { spec, value } = e.currentTarget.dataset as { spec: number; value: string };
      const chosen = [...this.data.chosen];
      chosen[spec] = value;
      this.show(
        this.data.specs.map((s) => ({ name: s.name, values: s.values.map((v) => v.value) })),
        chosen,
      );
    },
    minus() {
      if (this.data.quantity > 1) this.setData({ quantity: this.data.quantity - 1 });
    },
    plus() {
      if (this.data.quantity < this.data.stock) this.setData({ quantity: this.data.quantity + 1 });
    },
    confirm() {
      if (!this.data.skuId || this.data.stock <= 0) return;
      this.triggerEvent('picked', { skuId: this.data.skuId, quantity: this.data.quantity });
    },
    close() {
      this.triggerEvent('close', {});
    },
  },
});
