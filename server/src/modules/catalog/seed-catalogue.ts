// The demo catalogue beyond the first seven products: enough goods per category that search,
// synonyms and ranking have something to tell apart (bench/search.ts measures it on this data).
import type { ProductInput } from './product-service.ts';
import type { CoverIcon } from './seed-covers.ts';

export type DemoProduct = ProductInput & { spuCode: string; category: string[]; color: string; icon: CoverIcon };

const yuan = (y: number) => Math.round(y * 100);

/** A product sold in one or more sizes, each with its own price and stock. */
function item(
  spuCode: string,
  title: string,
  subtitle: string,
  category: string[],
  look: [color: string, icon: CoverIcon],
  sizes: Array<[name: string, priceYuan: number, stock: number, grams: number]>,
  tags: string[] = [],
): DemoProduct {
  return {
    spuCode,
    title,
    subtitle,
    category,
    color: look[0],
    icon: look[1],
    specs: sizes.length > 1 ? [{ name: '规格', values: sizes.map((s) => s[0]) }] : [],
    skus: sizes.map(([name, price, stock, grams]) => ({
      specValues: sizes.length > 1 ? [name] : [],
      priceFen: yuan(price),
      originalPriceFen: yuan(Math.ceil(price * 1.4)),
      stock,
      weightGrams: grams,
    })),
    tags,
    status: 'on_shelf',
  };
}

const TROPICAL = ['生鲜水果', '热带水果'];
const SEASONAL = ['生鲜水果', '时令水果'];

export const MORE_FRUIT: DemoProduct[] = [
  item(
    'FR-MANGO-TN',
    '广西百色小台芒 香甜软糯',
    '树上熟 现摘现发',
    [...TROPICAL, '芒果'],
    ['#ffb703', 'mango'],
    [
      ['3斤装', 19.9, 400, 1600],
      ['5斤装', 29.9, 300, 2600],
    ],
  ),
  item(
    'FR-MANGO-DRY',
    '芒果干 无添加蔗糖 200g×3袋',
    '厚切果肉 办公室零食',
    [...TROPICAL, '芒果'],
    ['#f4a300', 'mango'],
    [['3袋', 35.9, 500, 700]],
  ),
  item(
    'FR-DURIAN',
    '泰国金枕榴莲 整果',
    '肉厚核小 产地直采',
    [...TROPICAL, '榴莲'],
    ['#c9b458', 'melon'],
    [
      ['3-4斤', 168, 60, 2000],
      ['5-6斤', 258, 40, 3000],
    ],
    ['直播爆款'],
  ),
  item(
    'FR-DURIAN-MSK',
    '马来西亚猫山王榴莲 冷冻果肉 400g',
    '液氮速冻 开盒即食',
    [...TROPICAL, '榴莲'],
    ['#a7a35a', 'melon'],
    [['400g', 199, 0, 500]],
  ),
  item(
    'FR-DRAGON',
    '越南红心火龙果 大果 5个装',
    '清甜多汁',
    [...TROPICAL, '火龙果'],
    ['#d1495b', 'dragonfruit'],
    [['5个装', 39.9, 200, 2500]],
  ),
  item(
    'FR-PINE-GOLD',
    '海南金钻凤梨 2个装',
    '免削皮 甜度18',
    [...TROPICAL, '菠萝'],
    ['#e9c46a', 'pineapple'],
    [['2个装', 36.8, 180, 3000]],
  ),
  item(
    'FR-CHERRY',
    '智利车厘子 JJ级 2斤礼盒',
    '脆甜大果 顺丰冷链',
    [...SEASONAL, '樱桃'],
    ['#9d0208', 'cherry'],
    [['2斤礼盒', 139, 120, 1200]],
    ['冷链', '礼盒'],
  ),
  item(
    'FR-CHERRY-YT',
    '烟台大樱桃 美早 1斤',
    '当季鲜摘',
    [...SEASONAL, '樱桃'],
    ['#ae2012', 'cherry'],
    [['1斤', 59.9, 90, 600]],
    ['冷链'],
  ),
  item(
    'FR-STRAW-YN',
    '云南高山奶油草莓 2斤',
    '香甜软糯 小孩爱吃',
    [...SEASONAL, '草莓'],
    ['#ef476f', 'berry'],
    [['2斤', 45.9, 150, 1100]],
    ['冷链'],
  ),
  item(
    'FR-ORANGE-AY',
    '四川爱媛38号果冻橙 5斤',
    '入口即化 爆汁',
    [...SEASONAL, '柑橘'],
    ['#f77f00', 'citrus'],
    [['5斤', 39.9, 260, 2600]],
  ),
  item(
    'FR-LEMON',
    '安岳黄柠檬 新鲜 5斤装',
    '皮薄多汁 泡水做饮品',
    [...SEASONAL, '柠檬'],
    ['#ffd60a', 'citrus'],
    [['5斤装', 24.9, 300, 2600]],
  ),
];

const WOMEN = ['服饰', '女装'];
const MEN = ['服饰', '男装'];
const SKIN = ['美妆个护', '护肤'];

export const MORE_FASHION: DemoProduct[] = [
  item(
    'FA-TEE-ICE',
    '冰丝速干短袖T恤 男 运动健身',
    '透气不闷汗',
    [...MEN, 'T恤'],
    ['#457b9d', 'tee'],
    [
      ['M', 49, 80, 200],
      ['L', 49, 80, 210],
    ],
  ),
  item(
    'FA-TEE-W',
    '女士纯棉印花T恤 宽松百搭',
    '夏季新款',
    [...WOMEN, 'T恤'],
    ['#f28482', 'blouse'],
    [
      ['S', 59, 60, 200],
      ['M', 59, 60, 210],
    ],
    ['新品', '纯棉'],
  ),
  item(
    'FA-DRESS-CHIFFON',
    '雪纺波点长裙 法式复古',
    '垂感飘逸',
    [...WOMEN, '连衣裙'],
    ['#6d6875', 'dress'],
    [
      ['S', 189, 30, 300],
      ['M', 189, 30, 310],
    ],
  ),
  item(
    'FA-COAT-WOOL',
    '双面羊毛呢大衣 女 中长款',
    '100%羊毛 秋冬',
    [...WOMEN, '外套'],
    ['#8d6e63', 'coat'],
    [
      ['S', 599, 20, 1200],
      ['M', 599, 20, 1250],
    ],
    ['保暖'],
  ),
  item(
    'FA-JACKET',
    '男士工装夹克 春秋外套',
    '多口袋 耐磨',
    [...MEN, '外套'],
    ['#606c38', 'coat'],
    [
      ['L', 219, 40, 800],
      ['XL', 219, 40, 820],
    ],
  ),
  item(
    'FA-DOWN',
    '轻薄羽绒服 白鸭绒 男女同款',
    '90%白鸭绒 可收纳',
    [...MEN, '外套'],
    ['#1d3557', 'coat'],
    [
      ['M', 299, 50, 500],
      ['L', 299, 0, 520],
    ],
    ['保暖'],
  ),
  item(
    'FA-HOODIE-OS',
    '情侣款oversize连帽卫衣',
    '加厚抓绒',
    [...MEN, '卫衣'],
    ['#b5838d', 'coat'],
    [
      ['M', 159, 45, 700],
      ['L', 159, 45, 720],
    ],
    ['保暖'],
  ),
  item(
    'BE-MASK',
    '玻尿酸补水面膜 10片装',
    '深层补水 敏感肌可用',
    [...SKIN, '面膜'],
    ['#90e0ef', 'bottle'],
    [['10片', 69, 300, 400]],
  ),
  item(
    'BE-SERUM',
    '烟酰胺美白精华液 30ml',
    '提亮肤色',
    [...SKIN, '精华'],
    ['#caf0f8', 'bottle'],
    [['30ml', 129, 200, 150]],
    ['新品'],
  ),
  item(
    'BE-SERUM-AGE',
    '玻色因抗老精华 紧致淡纹 50ml',
    '修护屏障',
    [...SKIN, '精华'],
    ['#ade8f4', 'bottle'],
    [['50ml', 239, 0, 180]],
  ),
];
