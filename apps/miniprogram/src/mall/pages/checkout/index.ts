// Checkout as a page (from the cart, the product page, a group-buy or a bargain): the checkout sheet with the
// items and deal from the query; once paid, on to the orders.
Component({
  data: { items: [] as Array<{ skuId: number; quantity: number }>, roomId: 0, deal: {} as Record<string, unknown> },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const parse = <T>(s: string | undefined, d: T): T => {
        try {
          return s ? (JSON.parse(decodeURIComponent(s)) as T) : d;
        } catch {
          return d;
        }
      };
      this.setData({ items: parse(query.items, []), roomId: Number(query.roomId ?? 0), deal: parse(query.deal, {}) });
    },
    onPaid() {
      void wx.redirectTo({ url: '/mall/pages/orders/index' });
    },
    onClose() {
      void wx.navigateBack();
    },
  },
});
