// The poster's typeface: Noto Sans Hans (OTF, from the @embedpdf/fonts-sc npm package) so Chinese
// renders on a machine that has only npm, then whatever CJK fonts the system has as a fallback.
// The font is the server's alone: the shop never loads it (posters arrive as PNGs).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

export const POSTER_FAMILY = 'LiveMall Poster Sans';
/** The families the poster asks for, in order (canvas falls back per glyph along this list). */
export const FONT_STACK = `"${POSTER_FAMILY}", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", sans-serif`;

export interface PosterFonts {
  /** Where the bundled font came from, or null when only system fonts are there. */
  bundled: string | null;
  stack: string;
}

let loaded: PosterFonts | null = null;

function bundledDir(): string | null {
  try {
    // The package exports only its JS entry (dist/); the fonts sit beside it.
    const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
    const dir = path.join(path.dirname(entry), '..', 'fonts');
    return fs.existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** Registers the bundled font once per process. */
export function posterFonts(): PosterFonts {
  if (loaded) return loaded;
  const dir = bundledDir();
  let bundled: string | null = null;
  if (dir) {
    for (const weight of ['Regular', 'Bold']) {
      const file = path.join(dir, `NotoSansHans-${weight}.otf`);
      if (fs.existsSync(file) && GlobalFonts.registerFromPath(file, POSTER_FAMILY)) bundled ??= file;
    }
  }
  loaded = { bundled, stack: FONT_STACK };
  return loaded;
}

/** A CSS font shorthand for the canvas. */
export function font(sizePx: number, weight: 'normal' | 'bold' = 'normal'): string {
  return `${weight === 'bold' ? '700' : '400'} ${sizePx}px ${posterFonts().stack}`;
}
