// Product page: pictures, price, description; add to cart or buy now (SKU picker → checkout), share with the
// sharer's id.
import { signIn } from '../../../api/auth';
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import { shareQuery, sharePath, track } from '../../../api/share';
import type { ProductDetail } from '../../../api/types';

Component({
  data: {
    productId: 0,
    title: '',
    subtitle: '',
    description: '',
    coverUrl: '',
    price: '',
    original: '',
    sales: 0,
    merchantName: '',
    merchantId: 0,
    picking: false,
    mode: 'buy' as 'buy' | 'cart',
    notice: '',
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.sharer) wx.setStorageSync('lm.sharer', query.sharer);
      this.setData({ productId: Number(query.productId) });
      track('page_view', { productId: Number(query.productId) });
      return this.load();
    },
    async load() {
      try {
        const p = await api<ProductDetail>('GET', `/api/products/${this.data.productId}`);
        const prices = p.skus.filter((s) => s.enabled).map((s) => s.priceFen);
        const originals = p.skus.map((s) => s.originalPriceFen);
        this.setData({
          title: p.title,
          subtitle: p.subtitle,
          description: p.description,
          coverUrl: p.coverUrl ?? '',
          price: prices.length ? yuan(Math.min(...prices)) : '',
          original: originals.length ? yuan(Math.max(...originals)) : '',
          sales: p.sales,
          merchantName: p.merchantName,
          merchantId: p.merchantId,
          error: '',
        });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    openShop() {
      void wx.navigateTo({ url: `/mall/pages/shop/index?merchantId=${this.data.merchantId}` });
    },
    addToCart() {
      this.setData({ picking: true, mode: 'cart' });
    },
    buyNow() {
      this.setData({ picking: true, mode: 'buy' });
    },
    closePicker() {
      this.setData({ picking: false });
    },
    async onPicked(e: WechatMiniprogram.CustomEvent<{ skuId: number; quantity: number }>) {
      this.setData({ picking: false });
      try {
        await signIn();
        if (this.data.mode === 'cart') {
          await api('POST', '/api/cart/items', { body: { skuId: e.detail.skuId, quantity: e.detail.quantity } });
          this.setData({ notice: '已加入购物车' });
          return;
        }
        const items = encodeURIComponent(JSON.stringify([e.detail]));
        void wx.navigateTo({ url: `/mall/pages/checkout/index?items=${items}` });
      } catch (err) {
        this.setData({ notice: errorText(err) });
      }
    },
    onShareAppMessage() {
      track('share', { productId: this.data.productId });
      return {
        title: this.data.title,
        path: sharePath('/mall/pages/product/index', { productId: this.data.productId }),
        imageUrl: this.data.coverUrl,
      };
    },
    onShareTimeline() {
      return { title: this.data.title, query: shareQuery({ productId: this.data.productId }) };
    },
  },
});
