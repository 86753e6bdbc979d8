// Chinese really renders: with the bundled font, different characters draw different ink, unlike the
// tofu box (or nothing) that a font without CJK glyphs gives for every one of them.
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { font, posterFonts } from './fonts.ts';
import { renderPoster, wrap, yuan } from './render.ts';

function ink(text: string): { count: number; pixels: Uint8ClampedArray } {
  const c = createCanvas(120, 120);
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, 120, 120);
  g.fillStyle = '#000';
  g.font = font(96);
  g.fillText(text, 10, 100);
  const pixels = g.getImageData(0, 0, 120, 120).data;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) count++;
  return { count, pixels };
}

const differ = (a: Uint8ClampedArray, b: Uint8ClampedArray) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i]! < 128 !== b[i]! < 128) n++;
  return n;
};

describe('poster fonts', () => {
  it('registers the bundled Noto Sans Hans from npm', () => {
    expect(posterFonts().bundled).toMatch(/NotoSansHans-(Regular|Bold)\.otf$/);
  });

  it('draws Chinese glyphs, not tofu: each character its own shape', () => {
    const tofu = ink('\uE000'); // a private-use code point no font draws: the .notdef box or nothing
    const hao = ink('好');
    const huai = ink('坏');
    const zhi = ink('直');
    expect(hao.count).toBeGreaterThan(300);
    expect(differ(hao.pixels, tofu.pixels)).toBeGreaterThan(300);
    expect(differ(hao.pixels, huai.pixels)).toBeGreaterThan(200);
    expect(differ(huai.pixels, zhi.pixels)).toBeGreaterThan(200);
  });

  it('wraps Chinese by character and marks a cut with an ellipsis', () => {
    const g = createCanvas(10, 10).getContext('2d');
    g.font = font(30);
    const lines = wrap(g, '春季新款真丝连衣裙女装修身显瘦气质长裙直播间专享价', 200, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(wrap(g, '短标题', 200, 2)).toEqual(['短标题']);
  });

  it('writes fen as yuan without floats', () => {
    expect([yuan(1990), yuan(5), yuan(100), yuan(0), yuan(123456789)]).toEqual([
      '19.90',
      '0.05',
      '1.00',
      '0.00',
      '1234567.89',
    ]);
  });

  it('gives the same bytes for the same spec', () => {
    const spec = {
      lang: 'zh' as const,
      title: '测试商品',
      subtitle: null,
      priceFen: 990,
      originalPriceFen: 1990,
      shopName: '小店',
      badge: 'live' as const,
      cover: null,
      code: { kind: 'qr' as const, text: 'http://127.0.0.1/shop/product/1?share=abcd' },
    };
    expect(renderPoster(spec).equals(renderPoster(spec))).toBe(true);
  });
});
