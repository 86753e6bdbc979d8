// Answers the scripted backend gives for a room, a product, a quote.
export const product = (id: number, extra: Record<string, unknown> = {}) => ({
  id, merchantId: 1, title: `商品${id}`, coverUrl: null, minPriceFen: 1990, maxPriceFen: 2990, originalPriceFen: 3990,
  onShelf: true, stock: 10, sales: 5, ...extra,
});

export const roomDetail = (extra: Record<string, unknown> = {}) => ({
  id: 9, merchantId: 1, merchantName: '好物小店', title: '年货节直播', coverUrl: '/media/cover.jpg', status: 'live',
  isPrivate: false, scheduledAt: null, startedAt: '2026-12-01T10:00:00.000Z', endedAt: null, reminders: 0,
  viewers: { online: 12, cumulative: 30 }, anchorUserId: 2, pinnedProductId: 11, reminded: false,
  play: { flv: '/live/9.flv', hls: '/live/9/index.m3u8' }, replays: [],
  products: [{ ...product(10), explaining: false }, { ...product(11), explaining: true }],
  ...extra,
});

export const productDetail = (id: number) => ({
  id, merchantId: 1, merchantName: '好物小店', title: `商品${id}`, subtitle: '', description: '', coverUrl: null,
  media: [], specs: [{ name: '颜色', values: ['红', '蓝'] }, { name: '尺码', values: ['S', 'M'] }], status: 'on_shelf',
  spuCode: null, sales: 5, version: 1, categoryId: null, categoryPath: [], tags: [], createdAt: '', updatedAt: '',
  skus: [
    { id: 101, specValues: ['红', 'S'], name: '红 S', code: null, priceFen: 1990, originalPriceFen: 3990, weightGrams: 1, enabled: true, stock: 3 },
    { id: 102, specValues: ['红', 'M'], name: '红 M', code: null, priceFen: 2190, originalPriceFen: 3990, weightGrams: 1, enabled: true, stock: 0 },
    { id: 103, specValues: ['蓝', 'S'], name: '蓝 S', code: null, priceFen: 2990, originalPriceFen: 3990, weightGrams: 1, enabled: true, stock: 8 },
  ],
});

export const quote = (skuId: number, quantity: number) => ({
  groups: [{
    merchantId: 1, goodsFen: 1990 * quantity, discountFen: 300, shippingFen: 800, totalFen: 1990 * quantity + 500,
    charges: [{ step: 'shipping', reason: '运费', amountFen: 800 }],
    lines: [{
      lineId: 'l1', skuId, productId: 11, productTitle: '商品11', skuName: '红 S', imageUrl: null, quantity,
      unitPriceFen: 1990, listUnitPriceFen: 1990, originalUnitPriceFen: 3990, payableFen: 1990 * quantity - 300,
      adjustments: [{ step: 'coupon', stage: 'coupon', reason: '直播间券', amountFen: -300 }],
    }],
  }],
  goodsFen: 1990 * quantity, discountFen: 300, shippingFen: 800, totalFen: 1990 * quantity + 500, notes: [],
  undeliverable: [], couponMode: 'auto', appliedCouponIds: [], coupons: [], points: { available: 0, usable: 0, usedFen: 0 },
  quoteToken: 'qt-1', expiresAt: '2026-12-01T11:00:00.000Z',
});

export const signedIn = { user: { id: 7, nickname: '微信用户', phone: null }, tokens: { accessToken: 'at', refreshToken: 'rt' }, created: false };
