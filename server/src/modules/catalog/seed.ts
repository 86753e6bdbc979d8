// Demo catalog: a category tree, and products with SKUs, stock and generated cover images for
// the two demo shops. Idempotent: products are keyed by their SPU code.
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { demoMerchantIds } from '../identity/seed.ts';
import { type DemoProduct, MORE_FASHION, MORE_FRUIT } from './seed-catalogue.ts';
import { transact } from '../../platform/db/transact.ts';
import { coverSvg } from './seed-covers.ts';

const CATEGORIES: Array<[string, string, string[]]> = [
  ['生鲜水果', '热带水果', ['芒果', '菠萝', '榴莲', '火龙果']],
  ['生鲜水果', '时令水果', ['草莓', '樱桃', '柑橘', '柠檬']],
  ['服饰', '女装', ['连衣裙', 'T恤', '外套']],
  ['服饰', '男装', ['T恤', '卫衣', '外套']],
  ['美妆个护', '护肤', ['面膜', '精华']],
];

const yuan = (y: number) => Math.round(y * 100);

const FRUIT: DemoProduct[] = [
  {
    spuCode: 'FR-MANGO',
    title: '海南贵妃芒 当季现摘',
    subtitle: '香甜多汁 产地直发',
    category: ['生鲜水果', '热带水果', '芒果'],
    color: '#f5b700',
    icon: 'mango',
    specs: [{ name: '规格', values: ['2.5kg 中果', '5kg 大果'] }],
    skus: [
      { specValues: ['2.5kg 中果'], priceFen: yuan(39.9), originalPriceFen: yuan(59.9), stock: 300, weightGrams: 2600 },
      { specValues: ['5kg 大果'], priceFen: yuan(69.9), originalPriceFen: yuan(99), stock: 200, weightGrams: 5200 },
    ],
    tags: ['直播爆款', '产地直发'],
    status: 'on_shelf',
    description: '海南三亚果园直发，树上自然成熟，现摘现发。',
  },
  {
    spuCode: 'FR-STRAWBERRY',
    title: '丹东99草莓 礼盒装',
    subtitle: '颗颗饱满 冷链到家',
    category: ['生鲜水果', '时令水果', '草莓'],
    color: '#e63946',
    icon: 'berry',
    specs: [{ name: '规格', values: ['1斤装', '3斤装'] }],
    skus: [
      { specValues: ['1斤装'], priceFen: yuan(49.9), originalPriceFen: yuan(69), stock: 150, weightGrams: 700 },
      { specValues: ['3斤装'], priceFen: yuan(129), originalPriceFen: yuan(179), stock: 80, weightGrams: 1800 },
    ],
    tags: ['冷链', '礼盒'],
    status: 'on_shelf',
    description: '丹东红颜99草莓，冷链配送。',
  },
  {
    spuCode: 'FR-PINEAPPLE',
    title: '徐闻菠萝 香水凤梨',
    subtitle: '无需泡盐水',
    category: ['生鲜水果', '热带水果', '菠萝'],
    color: '#f4a261',
    icon: 'pineapple',
    specs: [],
    skus: [{ specValues: [], priceFen: yuan(29.9), originalPriceFen: yuan(39.9), stock: 500, weightGrams: 2500 }],
    tags: ['产地直发'],
    status: 'on_shelf',
  },
  {
    spuCode: 'FR-ORANGE',
    title: '赣南脐橙 10斤家庭装',
    subtitle: '甜度15+',
    category: ['生鲜水果', '时令水果', '柑橘'],
    color: '#fb8500',
    icon: 'citrus',
    specs: [{ name: '果径', values: ['70-75mm', '75-80mm'] }],
    skus: [
      { specValues: ['70-75mm'], priceFen: yuan(45.8), originalPriceFen: yuan(59.8), stock: 400, weightGrams: 5200 },
      { specValues: ['75-80mm'], priceFen: yuan(55.8), originalPriceFen: yuan(69.8), stock: 260, weightGrams: 5300 },
    ],
    tags: ['直播爆款'],
    status: 'on_shelf',
  },
];

const sizes = ['S', 'M', 'L', 'XL'];
const FASHION: DemoProduct[] = [
  {
    spuCode: 'FA-TEE',
    title: '重磅纯棉短袖T恤 男女同款',
    subtitle: '260g 不透不变形',
    category: ['服饰', '男装', 'T恤'],
    color: '#264653',
    icon: 'tee',
    specs: [
      { name: '颜色', values: ['白色', '黑色', '雾霾蓝'] },
      { name: '尺码', values: sizes },
    ],
    skus: ['白色', '黑色', '雾霾蓝'].flatMap((c, ci) =>
      sizes.map((s, si) => ({
        specValues: [c, s],
        priceFen: yuan(69),
        originalPriceFen: yuan(129),
        stock: 40 + ci * 10 + si * 5,
        weightGrams: 280 + si * 10,
        code: `FA-TEE-${ci}${s}`,
      })),
    ),
    tags: ['新品', '纯棉'],
    status: 'on_shelf',
    description: '新疆长绒棉，重磅面料，直播间专享价。',
  },
  {
    spuCode: 'FA-DRESS',
    title: '法式碎花连衣裙 夏季新款',
    subtitle: '收腰显瘦',
    category: ['服饰', '女装', '连衣裙'],
    color: '#e76f51',
    icon: 'dress',
    specs: [
      { name: '颜色', values: ['碎花红', '碎花蓝'] },
      { name: '尺码', values: ['S', 'M', 'L'] },
    ],
    skus: ['碎花红', '碎花蓝'].flatMap((c, ci) =>
      ['S', 'M', 'L'].map((s) => ({
        specValues: [c, s],
        priceFen: yuan(159),
        originalPriceFen: yuan(299),
        stock: 30,
        weightGrams: 350,
        code: `FA-DRESS-${ci}${s}`,
      })),
    ),
    tags: ['新品'],
    status: 'on_shelf',
  },
  {
    spuCode: 'FA-HOODIE',
    title: '加绒连帽卫衣 秋冬保暖',
    subtitle: '宽松版型',
    category: ['服饰', '男装', '卫衣'],
    color: '#6d597a',
    icon: 'coat',
    specs: [
      { name: '颜色', values: ['燕麦', '深灰'] },
      { name: '尺码', values: ['M', 'L', 'XL'] },
    ],
    skus: ['燕麦', '深灰'].flatMap((c, ci) =>
      ['M', 'L', 'XL'].map((s) => ({
        specValues: [c, s],
        priceFen: yuan(139),
        originalPriceFen: yuan(239),
        stock: 25,
        weightGrams: 650,
        code: `FA-HOOD-${ci}${s}`,
      })),
    ),
    tags: ['保暖'],
    status: 'on_shelf',
  },
];

export async function seedCatalog(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { db } = ctx;
  // Each path is looked up once per seed, not once per product (a level is one query).
  const categoryIds = new Map<string, number>();
  const ensurePath = async (names: string[]) => {
    const key = names.join('/');
    const id = categoryIds.get(key) ?? (await ctx.services.categories.ensurePath(db, names));
    categoryIds.set(key, id);
    return id;
  };
  for (const [i, [l1, l2, l3s]] of CATEGORIES.entries()) {
    for (const l3 of l3s) await ensurePath([l1, l2, l3]);
    progress.step('categories', i + 1, CATEGORIES.length);
  }
  const merchants = await demoMerchantIds(ctx);
  const all: Array<[number, DemoProduct]> = [
    ...[...FRUIT, ...MORE_FRUIT].map((p) => [merchants.fruit, p] as [number, DemoProduct]),
    ...[...FASHION, ...MORE_FASHION].map((p) => [merchants.fashion, p] as [number, DemoProduct]),
  ];
  for (const [i, [merchantId, p]] of all.entries()) {
    const exists = await db
      .selectFrom('products')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('spu_code', '=', p.spuCode)
      .executeTakeFirst();
    if (!exists) {
      const cover = await ctx.storage.put({
        prefix: `m${merchantId}/images`,
        contentType: 'image/svg+xml',
        body: coverSvg(p),
      });
      const categoryId = await ensurePath(p.category);
      const { category: _c, color: _k, icon: _i, ...input } = p;
      await transact(db, (trx) =>
        ctx.services.products.createIn(
          trx,
          merchantId,
          {
            ...input,
            categoryId,
            coverUrl: cover.url,
            media: [{ type: 'image', url: cover.url }],
            lowStockThreshold: 10,
          },
          null,
        ),
      );
    }
    progress.step('products', i + 1, all.length);
  }
}
