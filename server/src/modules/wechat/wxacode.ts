// 小程序码 without a limit on how many (wxacode.getUnlimited): the code carries a short `scene` and
// opens `page`, which reads it from the launch options (decodeURIComponent(query.scene)).
//   POST /wxa/getwxacodeunlimit?access_token=  { scene, page, check_path, env_version, width, auto_color,
//        line_color, is_hyaline }
// WeChat answers the image bytes (image/jpeg, or image/png when is_hyaline) on success, and JSON with
// errcode/errmsg (HTTP 200) on failure. The sandbox draws a stand-in code locally.
import crypto from 'node:crypto';
import { createCanvas } from '@napi-rs/canvas';
import { AppError, badRequest } from '../../platform/errors.ts';

export interface WxaCodeRequest {
  /** At most 32 visible characters from WeChat's set: letters, digits and !#$&'()*+,/:;=?@-._~ */
  scene: string;
  /** A published page without a leading slash or query, e.g. pages/room/index. */
  page: string;
  /** 280–1280 px; WeChat's default is 430. */
  width?: number;
  envVersion?: 'release' | 'trial' | 'develop';
}

export interface WxaCodeImage {
  contentType: 'image/jpeg' | 'image/png';
  body: Buffer;
}

const SCENE = /^[A-Za-z0-9!#$&'()*+,/:;=?@._~-]{1,32}$/;
const PAGE = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/i;

/** Refuses what WeChat would refuse (40129 invalid scene, 41030 invalid page) before asking it. */
export function checkWxaCode(req: WxaCodeRequest): void {
  if (!SCENE.test(req.scene))
    throw badRequest('WXACODE_SCENE_INVALID', 'A mini-program code scene is 1-32 URL-safe characters');
  if (!PAGE.test(req.page))
    throw badRequest('WXACODE_PAGE_INVALID', 'A mini-program code page is a path like pages/room/index');
  if (req.width !== undefined && (req.width < 280 || req.width > 1280))
    throw badRequest('WXACODE_WIDTH_INVALID', 'A mini-program code is 280 to 1280 px wide');
}

/** The request body exactly as WeChat documents it. */
export function wxaCodeBody(req: WxaCodeRequest) {
  return {
    scene: req.scene,
    page: req.page,
    // Codes for pages not yet published (trial builds) need check_path off.
    check_path: (req.envVersion ?? 'release') === 'release',
    env_version: req.envVersion ?? 'release',
    width: req.width ?? 430,
    auto_color: false,
    line_color: { r: 0, g: 0, b: 0 },
    is_hyaline: false,
  };
}

/** Turns WeChat's answer into the image, or the error it explains. */
export async function readWxaCodeAnswer(
  res: Response,
): Promise<{ errcode?: number; errmsg?: string; image?: WxaCodeImage }> {
  const type = res.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await res.arrayBuffer());
  if (type.includes('json') || bytes[0] === 0x7b) {
    const body = JSON.parse(bytes.toString('utf8')) as { errcode?: number; errmsg?: string };
    return { errcode: body.errcode ?? -1, errmsg: body.errmsg ?? 'no image' };
  }
  const png = bytes[0] === 0x89 && bytes[1] === 0x50;
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!png && !jpeg) return { errcode: -1, errmsg: `not an image (${type})` };
  return { image: { contentType: png ? 'image/png' : 'image/jpeg', body: bytes } };
}

/** What an errcode of getwxacodeunlimit means for the caller. */
export function wxaCodeError(errcode: number, errmsg: string): AppError {
  if (errcode === 40129 || errcode === 40097)
    return badRequest('WXACODE_SCENE_INVALID', `WeChat refused the scene (${errcode})`);
  if (errcode === 41030) return badRequest('WXACODE_PAGE_INVALID', 'WeChat does not know this page (not published?)');
  if (errcode === 45009 || errcode === 45011)
    return new AppError(429, 'WECHAT_RATE_LIMITED', 'WeChat rate limit reached; try again shortly');
  return new AppError(502, 'WECHAT_ERROR', `WeChat error ${errcode}: ${errmsg}`);
}

/**
 * The sandbox's stand-in: a round badge with a pattern derived from scene and page (same inputs,
 * same bytes), so posters look like the real thing and tests can tell codes apart.
 */
export function sandboxWxaCode(req: WxaCodeRequest): WxaCodeImage {
  const size = req.width ?? 430;
  const canvas = createCanvas(size, size);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, size, size);
  const c = size / 2;
  const seed = crypto.createHash('sha256').update(`${req.page}\n${req.scene}`).digest();
  g.fillStyle = '#000000';
  // Three rings of dots, on or off by the hash's bits, around a plain centre (where WeChat puts the logo).
  for (let ring = 0; ring < 3; ring++) {
    const r = size * (0.24 + ring * 0.08);
    const dots = 24 + ring * 8;
    for (let i = 0; i < dots; i++) {
      const bit = ring * 40 + i;
      if (!((seed[bit >> 3]! >> (bit & 7)) & 1)) continue;
      const a = (i / dots) * Math.PI * 2;
      g.beginPath();
      g.arc(c + Math.cos(a) * r, c + Math.sin(a) * r, size * 0.022, 0, Math.PI * 2);
      g.fill();
    }
  }
  // The three "eyes" of a sun code.
  for (const [x, y] of [
    [0.22, 0.22],
    [0.78, 0.22],
    [0.22, 0.78],
  ] as const) {
    g.beginPath();
    g.arc(size * x, size * y, size * 0.08, 0, Math.PI * 2);
    g.lineWidth = size * 0.03;
    g.stroke();
    g.beginPath();
    g.arc(size * x, size * y, size * 0.035, 0, Math.PI * 2);
    g.fill();
  }
  g.beginPath();
  g.arc(c, c, size * 0.14, 0, Math.PI * 2);
  g.fillStyle = '#07c160';
  g.fill();
  return { contentType: 'image/png', body: canvas.toBuffer('image/png') };
}
