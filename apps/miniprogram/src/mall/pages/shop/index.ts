// A shop's page: its live show or trailers, its products, and follow.
import { signIn } from '../../../api/auth';
import { yuan } from '../../../api/format';
import { api, errorText } from '../../../api/http';
import type { Answer, RoomCard } from '../../../api/types';

type List = Answer<'/api/products', 'get'>;

Component({
  data: {
    merchantId: 0,
    name: '',
    following: false,
    followers: 0,
    rooms: [] as RoomCard[],
    products: [] as Array<List['items'][number] & { price: string }>,
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ merchantId: Number(query.merchantId), name: query.name ? decodeURIComponent(query.name) : '' });
      return this.load();
    },
    async load() {
      const id = this.data.merchantId;
      try {
        const [live, upcoming, products, follow] = await Promise.all([
          api<RoomCard[]>('GET', '/api/rooms', { query: { kind: 'live', merchantId: id } }),
          api<RoomCard[]>('GET', '/api/rooms', { query: { kind: 'upcoming', merchantId: id } }),
          api<List>('GET', '/api/products', { query: { merchantId: id, sort: 'sales', pageSize: 20 } }),
          api<{ followers: number; following: boolean }>('GET', `/api/merchants/${id}/followers`),
        ]);
        const rooms = [...live, ...upcoming];
        this.setData({
          rooms,
          name: this.data.name || rooms[0]?.merchantName || '',
          products: products.items.map((p) => ({ ...p, price: yuan(p.minPriceFen) })),
          following: follow.following,
          followers: follow.followers,
          error: '',
        });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    async toggleFollow() {
      try {
        await signIn();
        const on = !this.data.following;
        await api(on ? 'PUT' : 'DELETE', `/api/me/follows/${this.data.merchantId}`);
        this.setData({ following: on, followers: this.data.followers + (on ? 1 : -1) });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    openRoom(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/pages/room/index?roomId=${e.currentTarget.dataset.id as number}` });
    },
    openProduct(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: `/mall/pages/product/index?productId=${e.currentTarget.dataset.id as number}` });
    },
  },
});
