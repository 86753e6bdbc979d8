// What goes on each kind of poster, read through the owners' services (catalog, live, identity):
// a product or room the viewer may see, or a shop a promoter shares. Nothing here reads their tables.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import type { PosterBadge, PosterLang } from './render.ts';

export type PosterKind = 'product' | 'room' | 'promoter';

/** Everything drawn, except the code: hashed with the code's input for the cache key. */
export interface PosterContent {
  kind: PosterKind;
  merchantId: number;
  title: string;
  subtitle: string | null;
  priceFen: number | null;
  originalPriceFen: number | null;
  shopName: string;
  badge: PosterBadge;
  coverUrl: string | null;
  /** The shop's H5 path the code opens (under /shop), and the mini-program page and scene prefix. */
  h5Path: string;
  wxaPage: string;
  scenePrefix: string;
}

function when(d: Date | string | null, lang: PosterLang): string | null {
  if (!d) return null;
  const t = new Date(d);
  // Posters are for shoppers in China: times in Beijing time whatever the server's zone is.
  const f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return lang === 'zh' ? `${f.format(t)} 开播` : `Live ${f.format(t)} (Beijing)`;
}

export async function productContent(ctx: AppContext, productId: number): Promise<PosterContent> {
  const p = await ctx.services.catalog.publicDetail(productId);
  const skus = p.skus.filter((s) => s.enabled);
  const cheapest = skus.reduce<(typeof skus)[number] | null>((m, s) => (!m || s.priceFen < m.priceFen ? s : m), null);
  return {
    kind: 'product',
    merchantId: p.merchantId,
    title: p.title,
    subtitle: p.subtitle || null,
    priceFen: cheapest?.priceFen ?? null,
    originalPriceFen: cheapest?.originalPriceFen ?? null,
    shopName: p.merchantName,
    badge: null,
    coverUrl: p.coverUrl,
    h5Path: `/product/${p.id}`,
    wxaPage: 'mall/pages/product/index',
    scenePrefix: `p${p.id}`,
  };
}

export async function roomContent(
  ctx: AppContext,
  roomId: number,
  actor: Actor | undefined,
  lang: PosterLang,
): Promise<PosterContent> {
  // RoomAccess decides: a private room's poster is for those who may enter it.
  const r = await ctx.services.liveQueries.detail(roomId, { actor });
  const badge: PosterBadge = r.status === 'live' ? 'live' : r.status === 'ended' ? 'replay' : 'upcoming';
  return {
    kind: 'room',
    merchantId: r.merchantId,
    title: r.title,
    subtitle: badge === 'upcoming' ? when(r.scheduledAt, lang) : null,
    priceFen: null,
    originalPriceFen: null,
    shopName: r.merchantName,
    badge,
    coverUrl: r.coverUrl,
    h5Path: `/room/${r.id}`,
    wxaPage: 'pages/room/index',
    scenePrefix: `r${r.id}`,
  };
}

/**
 * The share token a poster's code carries, checked with growth: a token of another shop is refused
 * (SHARE_TARGET_INVALID), an unknown one is SHARE_NOT_FOUND; `mine` also wants the caller's own share.
 */
export async function checkedShare(
  ctx: AppContext,
  token: string | null,
  merchantId: number,
  mine?: number,
): Promise<string | null> {
  if (!token) return null;
  const s = await ctx.services.growth.shareByToken(token);
  if (s.merchantId !== merchantId || (mine !== undefined && s.sharerUserId !== mine))
    throw badRequest('SHARE_TARGET_INVALID', 'The share is not of this shop (or not yours)');
  return s.token;
}

/** An approved promoter's own link token for the shop: the one asked for when it is theirs, else made now. */
export async function promoterShare(ctx: AppContext, actor: Actor, merchantId: number, token: string | null) {
  const p = await ctx.services.promoters.requireMine(ctx.db, merchantId, actor.userId);
  if (p.status !== 'approved') throw new AppError(409, 'PROMOTER_STATE', 'Only an approved promoter has a poster');
  const given = await checkedShare(ctx, token, merchantId, actor.userId);
  if (given) return given;
  return (await ctx.services.growth.createShare(actor, { targetKind: 'promoter', targetId: actor.userId, merchantId }))
    .token;
}

/** A promoter's poster for the shop they promote: their name, the shop's logo and name. */
export async function promoterContent(
  ctx: AppContext,
  merchantId: number,
  userId: number,
  lang: PosterLang,
): Promise<PosterContent> {
  const [shop, names] = await Promise.all([
    ctx.services.directory.merchantBrief(merchantId),
    ctx.services.directory.nicknames([userId]),
  ]);
  if (!shop || !(await ctx.services.merchants.isPublic(merchantId))) throw notFound('Shop', 'MERCHANT_NOT_FOUND');
  const name = names.get(userId) ?? '';
  const title =
    lang === 'zh' ? `${name || '好友'} 邀你逛「${shop.name}」` : `${name || 'A friend'} invites you to ${shop.name}`;
  return {
    kind: 'promoter',
    merchantId,
    title,
    subtitle: lang === 'zh' ? '好物直播 · 扫码进店' : 'Live deals · scan to visit the shop',
    priceFen: null,
    originalPriceFen: null,
    shopName: shop.name,
    badge: 'promoter',
    coverUrl: shop.logoUrl,
    h5Path: '/',
    wxaPage: 'pages/home/index',
    scenePrefix: `m${merchantId}`,
  };
}
