// Draws a share poster (750 × 1200 PNG): the cover on top, then title, price and shop on the left and
// the code on the right. Pure: the same spec gives the same bytes, which is what the cache relies on.
import { type Image, type SKRSContext2D, createCanvas } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import { font } from './fonts.ts';

export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1200;
const COVER = 750;
const PAD = 40;
const CODE = 240;
const TEXT_WIDTH = POSTER_WIDTH - PAD * 3 - CODE;

export type PosterLang = 'zh' | 'en';
export type PosterBadge = 'live' | 'upcoming' | 'replay' | 'promoter' | null;

export interface PosterSpec {
  lang: PosterLang;
  title: string;
  /** A second line under the title (a room's start time, a promoter's invitation). */
  subtitle: string | null;
  priceFen: number | null;
  originalPriceFen: number | null;
  shopName: string;
  badge: PosterBadge;
  cover: Image | null;
  code: { kind: 'qr'; text: string } | { kind: 'wxa'; image: Image };
}

const TEXT = {
  zh: {
    live: '直播中',
    upcoming: '直播预告',
    replay: '精彩回放',
    promoter: '推广员推荐',
    qr: '长按识别二维码',
    wxa: '长按识别小程序码',
    shop: '店铺',
  },
  en: {
    live: 'LIVE',
    upcoming: 'Coming up',
    replay: 'Replay',
    promoter: 'Recommended',
    qr: 'Scan the QR code',
    wxa: 'Scan the mini-program code',
    shop: 'Shop',
  },
} as const;

/** ¥ amount of integer fen, without floats. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Breaks text into at most `maxLines` lines of `width` px, character by character (Chinese has no spaces). */
export function wrap(g: SKRSContext2D, text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  for (let i = 0; i < chars.length; i++) {
    const next = line + chars[i];
    if (g.measureText(next).width <= width || line === '') {
      line = next;
      continue;
    }
    if (lines.length === maxLines - 1) {
      while (line && g.measureText(`${line}…`).width > width) line = line.slice(0, -1);
      lines.push(`${line}…`);
      return lines;
    }
    lines.push(line);
    line = chars[i]!;
  }
  if (line) lines.push(line);
  return lines;
}

function drawCover(g: SKRSContext2D, spec: PosterSpec): void {
  if (spec.cover && spec.cover.width > 0 && spec.cover.height > 0) {
    // Cover-fit: crop the longer side so the square is filled.
    const { width: w, height: h } = spec.cover;
    const s = Math.min(w, h);
    g.drawImage(spec.cover, (w - s) / 2, (h - s) / 2, s, s, 0, 0, COVER, COVER);
  } else {
    const grad = g.createLinearGradient(0, 0, COVER, COVER);
    grad.addColorStop(0, '#ff6034');
    grad.addColorStop(1, '#ee0a24');
    g.fillStyle = grad;
    g.fillRect(0, 0, COVER, COVER);
    g.fillStyle = '#ffffff';
    g.font = font(64, 'bold');
    g.textAlign = 'center';
    wrap(g, spec.shopName || spec.title, COVER - PAD * 4, 2).forEach((l, i) => {
      g.fillText(l, COVER / 2, COVER / 2 + i * 84);
    });
    g.textAlign = 'left';
  }
  if (spec.badge) {
    const label = TEXT[spec.lang][spec.badge];
    g.font = font(28, 'bold');
    const w = g.measureText(label).width + 40;
    g.fillStyle = spec.badge === 'live' ? '#ee0a24' : 'rgba(0,0,0,0.6)';
    g.beginPath();
    g.roundRect(PAD, PAD, w, 52, 26);
    g.fill();
    g.fillStyle = '#ffffff';
    g.fillText(label, PAD + 20, PAD + 36);
  }
}

function drawQr(g: SKRSContext2D, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const margin = 2;
  const cell = size / (n + margin * 2);
  g.fillStyle = '#ffffff';
  g.fillRect(x, y, size, size);
  g.fillStyle = '#000000';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) {
        // Whole-pixel edges so neighbouring modules meet without seams.
        const x0 = Math.floor(x + (c + margin) * cell);
        const y0 = Math.floor(y + (r + margin) * cell);
        g.fillRect(x0, y0, Math.ceil(x + (c + margin + 1) * cell) - x0, Math.ceil(y + (r + margin + 1) * cell) - y0);
      }
    }
  }
}

export function renderPoster(spec: PosterSpec): Buffer {
  const canvas = createCanvas(POSTER_WIDTH, POSTER_HEIGHT);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT);
  drawCover(g, spec);
  const t = TEXT[spec.lang];

  let y = COVER + PAD + 40;
  g.fillStyle = '#323233';
  g.font = font(36, 'bold');
  for (const line of wrap(g, spec.title, TEXT_WIDTH, 3)) {
    g.fillText(line, PAD, y);
    y += 50;
  }
  if (spec.subtitle) {
    g.fillStyle = '#646566';
    g.font = font(26);
    for (const line of wrap(g, spec.subtitle, TEXT_WIDTH, 2)) {
      g.fillText(line, PAD, y);
      y += 38;
    }
  }
  if (spec.priceFen !== null) {
    y += 30;
    g.fillStyle = '#ee0a24';
    g.font = font(32, 'bold');
    g.fillText('¥', PAD, y);
    const sym = g.measureText('¥').width + 4;
    g.font = font(56, 'bold');
    const amount = yuan(spec.priceFen);
    g.fillText(amount, PAD + sym, y);
    if (spec.originalPriceFen !== null && spec.originalPriceFen > spec.priceFen) {
      const x = PAD + sym + g.measureText(amount).width + 16;
      g.fillStyle = '#969799';
      g.font = font(26);
      const was = `¥${yuan(spec.originalPriceFen)}`;
      g.fillText(was, x, y);
      g.fillRect(x, y - 9, g.measureText(was).width, 2);
    }
  }
  g.fillStyle = '#969799';
  g.font = font(26);
  const shop = wrap(g, `${t.shop} · ${spec.shopName}`, TEXT_WIDTH, 1)[0] ?? '';
  g.fillText(shop, PAD, POSTER_HEIGHT - PAD - 10);

  const cx = POSTER_WIDTH - PAD - CODE;
  const cy = COVER + PAD;
  if (spec.code.kind === 'qr') drawQr(g, spec.code.text, cx, cy, CODE);
  else g.drawImage(spec.code.image, cx, cy, CODE, CODE);
  g.fillStyle = '#969799';
  g.font = font(22);
  g.textAlign = 'center';
  g.fillText(t[spec.code.kind], cx + CODE / 2, cy + CODE + 36);
  g.textAlign = 'left';
  return canvas.toBuffer('image/png');
}
