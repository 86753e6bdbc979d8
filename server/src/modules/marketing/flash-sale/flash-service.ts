// Flash sales (秒杀). Who gets a unit is decided atomically in the cache (stock-scripts.ts: Lua on
// Redis, shared by every node), before any SQL, so the losers of a 2,000-buyer race cost one cache
// call each. The winner's order then settles the unit in the database (flash_items.sold, guarded
// by a check, and a flash_orders row). Unpaid or cancelled orders give the unit back, once.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { CacheScript } from '../../../platform/cache/cache.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/types.ts';
import { AppError, badRequest, conflict, notFound } from '../../../platform/errors.ts';
import { flashKeys, NOT_LOADED, OVER_LIMIT, RETURN_FLASH_STOCK, SOLD_OUT, TAKE_FLASH_STOCK } from './stock-scripts.ts';
import '../tables.ts';
import { transact } from '../../../platform/db/transact.ts';

const TOKEN_TTL_SEC = 120;

/** Loads an item's stock and per-user counts into the cache if absent (first use, cache restart). */
const LOAD_FLASH_STOCK: CacheScript<number> = {
  name: 'flash_load',
  lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1`,
  local: (store, keys, args) => {
    if (store.get(keys[0]!) !== null) return 0;
    store.set(keys[0]!, String(args[0]));
    for (let i = 1; i < args.length; i += 2) store.hSet(keys[1]!, args[i]!, args[i + 1]!);
    return 1;
  },
};

type FlashItemRow = NonNullable<Awaited<ReturnType<FlashSaleService['itemRow']>>>;

export interface SessionInput { title: string; startsAt: string; endsAt: string; roomId?: number | null | undefined; items: Array<{ skuId: number; flashPriceFen: number; stock: number; perUserLimit?: number | undefined }> }

export class FlashSaleService {
  /** Deployments plug a captcha check in here (e.g. a slider service); null: no captcha. */
  captcha: ((userId: number, answer: string | undefined) => Promise<boolean>) | null = null;

  constructor(private readonly ctx: AppContext) {}

  async createSession(actor: Actor, merchantId: number, input: SessionInput) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    if (new Date(input.endsAt) <= new Date(input.startsAt)) throw badRequest('FLASH_SESSION_INVALID', 'endsAt must be after startsAt');
    const skus = await this.ctx.services.catalog.getSkusForCheckout(this.ctx.db, input.items.map((i) => i.skuId));
    for (const i of input.items) {
      const s = skus.find((x) => x.skuId === i.skuId);
      if (!s || s.merchantId !== merchantId) throw badRequest('PRODUCT_NOT_IN_SHOP', `SKU ${i.skuId} is not this shop's`);
      if (i.flashPriceFen >= s.priceFen) throw badRequest('FLASH_SESSION_INVALID', `The flash price of SKU ${i.skuId} must be below its price`);
    }
    const id = await transact(this.ctx.db, async (trx) => {
      const s = await trx.insertInto('flash_sessions').values({ merchant_id: merchantId, title: input.title, starts_at: input.startsAt, ends_at: input.endsAt, room_id: input.roomId ?? null }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('flash_items').values(input.items.map((i) => ({
        session_id: s.id, merchant_id: merchantId, sku_id: i.skuId, product_id: skus.find((x) => x.skuId === i.skuId)!.productId, flash_price_fen: i.flashPriceFen, stock: i.stock, per_user_limit: i.perUserLimit ?? 1, cache_key: crypto.randomUUID(),
      }))).execute();
      return s.id;
    });
    if (input.roomId) this.scheduleCountdown(id).catch((err: unknown) => this.ctx.log.warn({ err }, 'flash countdown failed'));
    return this.session(id);
  }

  async session(id: number) {
    const s = await this.ctx.db.selectFrom('flash_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound('Flash sale', 'FLASH_NOT_FOUND');
    const items = await this.ctx.db.selectFrom('flash_items').selectAll().where('session_id', '=', id).orderBy('id').execute();
    const products = await this.ctx.services.catalog.getProductSummaries(items.map((i) => i.product_id));
    const remaining = await Promise.all(items.map((i) => this.remaining(i)));
    const now = Date.now();
    const state: 'cancelled' | 'upcoming' | 'ended' | 'running' = s.status === 'cancelled' ? 'cancelled' : now < new Date(s.starts_at).getTime() ? 'upcoming' : now >= new Date(s.ends_at).getTime() ? 'ended' : 'running';
    return {
      id: s.id, merchantId: s.merchant_id, title: s.title, startsAt: new Date(s.starts_at), endsAt: new Date(s.ends_at), roomId: s.room_id, state,
      items: items.map((i, n) => ({ id: i.id, skuId: i.sku_id, productId: i.product_id, title: products.find((p) => p.id === i.product_id)?.title ?? '', coverUrl: products.find((p) => p.id === i.product_id)?.coverUrl ?? null, originalPriceFen: products.find((p) => p.id === i.product_id)?.minPriceFen ?? 0, flashPriceFen: i.flash_price_fen, stock: i.stock, sold: i.sold, remaining: remaining[n]!, perUserLimit: i.per_user_limit })),
    };
  }

  /** Sessions running now and coming up (the flash-sale page), optionally one shop's. */
  async list(merchantId?: number) {
    let q = this.ctx.db.selectFrom('flash_sessions').select('id').where('status', '=', 'active').where('ends_at', '>', new Date()).orderBy('starts_at').limit(50);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    return Promise.all((await q.execute()).map((s) => this.session(s.id)));
  }

  private async remaining(item: { cache_key: string; stock: number; sold: number }): Promise<number> {
    const v = await this.ctx.cache.get(flashKeys(item.cache_key).stock);
    return v === null ? item.stock - item.sold : Math.max(0, Number(v));
  }

  private async ensureLoaded(itemId: number): Promise<void> {
    const item = await this.ctx.db.selectFrom('flash_items').select(['stock', 'cache_key']).where('id', '=', itemId).executeTakeFirstOrThrow();
    const held = await this.ctx.db.selectFrom('flash_orders').select(['user_id', sql<number>`sum(quantity)`.as('n')]).where('item_id', '=', itemId).where('status', '!=', 'returned').groupBy('user_id').execute();
    const taken = held.reduce((s, h) => s + Number(h.n), 0);
    const k = flashKeys(item.cache_key);
    await this.ctx.cache.run(LOAD_FLASH_STOCK, [k.stock, k.bought], [item.stock - taken, ...held.flatMap((h) => [String(h.user_id), String(h.n)])]);
  }

  /** The per-user purchase token: only once the session has started, rate-limited, captcha when configured. */
  async token(userId: number, itemId: number, captchaAnswer?: string) {
    const limit = await this.ctx.cache.rateLimit(`flash:rl:${userId}`, 10, 10_000);
    if (!limit.allowed) throw new AppError(429, 'RATE_LIMITED', 'Too many attempts; wait a moment', { retryAfterMs: limit.resetMs });
    const item = await this.activeItem(this.ctx.db, itemId);
    if (this.captcha && !(await this.captcha(userId, captchaAnswer))) throw new AppError(403, 'CAPTCHA_REQUIRED', 'Solve the captcha first');
    const token = await this.ctx.tokens.signPayload({ u: userId, i: itemId }, 'flash', TOKEN_TTL_SEC);
    return { token, itemId, flashPriceFen: item.flash_price_fen, expiresAt: new Date(Date.now() + TOKEN_TTL_SEC * 1000) };
  }

  /** The item and its session, read at most once a second per node on the hot path (take). */
  private readonly itemMemo = new Map<number, { at: number; row: Promise<FlashItemRow | undefined> }>();

  private itemRow(db: Db, itemId: number) {
    return db.selectFrom('flash_items as i').innerJoin('flash_sessions as s', 's.id', 'i.session_id')
      .select(['i.id', 'i.sku_id', 'i.flash_price_fen', 'i.per_user_limit', 'i.stock', 'i.sold', 'i.cache_key', 's.starts_at', 's.ends_at', 's.status', 's.title']).where('i.id', '=', itemId).executeTakeFirst();
  }

  async activeItem(db: Db, itemId: number, opts: { memo?: boolean } = {}) {
    let pending: Promise<FlashItemRow | undefined>;
    const hit = this.itemMemo.get(itemId);
    if (opts.memo && hit && Date.now() - hit.at < 1000) pending = hit.row;
    else {
      pending = this.itemRow(db, itemId);
      if (opts.memo) { this.itemMemo.set(itemId, { at: Date.now(), row: pending }); if (this.itemMemo.size > 1000) this.itemMemo.delete(this.itemMemo.keys().next().value!); }
    }
    const item = await pending;
    return this.checkActive(item);
  }

  private checkActive(item: FlashItemRow | undefined) {
    if (!item) throw notFound('Flash sale item', 'FLASH_NOT_FOUND');
    const now = Date.now();
    if (item.status !== 'active' || now >= new Date(item.ends_at).getTime()) throw conflict('FLASH_ENDED', 'This flash sale has ended');
    if (now < new Date(item.starts_at).getTime()) throw conflict('FLASH_NOT_STARTED', 'This flash sale has not started', { startsAt: new Date(item.starts_at) });
    return item;
  }

  /** Before the order transaction: verify the token and take the unit in the cache. */
  async take(userId: number, itemId: number, quantity: number, token: string | undefined): Promise<() => Promise<void>> {
    const claims = token ? await this.ctx.tokens.verifyPayload<{ u: number; i: number }>(token, 'flash') : null;
    if (!claims || claims === 'expired' || claims.u !== userId || claims.i !== itemId) throw new AppError(403, 'FLASH_TOKEN_INVALID', 'Get a flash-sale token first (it opens when the sale starts)');
    const item = await this.activeItem(this.ctx.db, itemId, { memo: true });
    const k = flashKeys(item.cache_key);
    let r = await this.ctx.cache.run(TAKE_FLASH_STOCK, [k.stock, k.bought], [String(userId), quantity, item.per_user_limit]);
    if (r === NOT_LOADED) { await this.ensureLoaded(itemId); r = await this.ctx.cache.run(TAKE_FLASH_STOCK, [k.stock, k.bought], [String(userId), quantity, item.per_user_limit]); }
    if (r === SOLD_OUT) throw conflict('FLASH_SOLD_OUT', 'Sold out');
    if (r === OVER_LIMIT) throw conflict('FLASH_LIMIT_REACHED', `At most ${item.per_user_limit} per person`);
    const attempt = `attempt:${crypto.randomUUID()}`;
    return async () => { await this.ctx.cache.run(RETURN_FLASH_STOCK, [k.stock, k.bought, k.returned], [String(userId), quantity, attempt]); };
  }

  /** Inside the order transaction: the database's guard and the settlement row. */
  async settle(db: Db, orderId: number, userId: number, itemId: number, quantity: number): Promise<void> {
    const ok = await db.updateTable('flash_items').set({ sold: sql`sold + ${quantity}` }).where('id', '=', itemId).where(sql<boolean>`sold + ${quantity} <= stock`).executeTakeFirst();
    if (Number(ok.numUpdatedRows) === 0) throw conflict('FLASH_SOLD_OUT', 'Sold out');
    await db.insertInto('flash_orders').values({ order_id: orderId, item_id: itemId, user_id: userId, quantity }).execute();
  }

  subscribe(): void {
    this.ctx.events.subscribe<{ orderId: number }>({
      name: 'marketing.flash_on_cancel', events: ['order.cancelled'],
      handle: async (e, db) => {
        const f = await db.updateTable('flash_orders').set({ status: 'returned' }).where('order_id', '=', e.payload.orderId).where('status', '=', 'held').returningAll().executeTakeFirst();
        if (!f) return;
        const item = await db.updateTable('flash_items').set({ sold: sql`sold - ${f.quantity}` }).where('id', '=', f.item_id).returning('cache_key').executeTakeFirstOrThrow();
        const k = flashKeys(item.cache_key);
        // Idempotent per order in the cache too (a redelivery after a crash cannot return twice).
        await this.ctx.cache.run(RETURN_FLASH_STOCK, [k.stock, k.bought, k.returned], [String(f.user_id), f.quantity, `order:${e.payload.orderId}`]);
      },
    });
    this.ctx.events.subscribe<{ orderId: number }>({
      name: 'marketing.flash_on_paid', events: ['order.paid'],
      handle: async (e, db) => { await db.updateTable('flash_orders').set({ status: 'paid' }).where('order_id', '=', e.payload.orderId).where('status', '=', 'held').execute(); },
    });
  }

  /** A session tied to a live room pushes countdown frames (10 s before start) and the start. */
  private async scheduleCountdown(sessionId: number): Promise<void> {
    const s = await this.session(sessionId);
    if (!s.roomId) return;
    const frame = (phase: string) => this.ctx.services.realtime.publishToRoom(s.roomId!, { type: 'flashsale.countdown', data: { sessionId, phase, startsAt: s.startsAt, endsAt: s.endsAt, items: s.items.map((i) => ({ id: i.id, title: i.title, flashPriceFen: i.flashPriceFen, remaining: i.remaining })) } }, { kind: 'commerce' });
    await frame('announced');
    const wait = s.startsAt.getTime() - Date.now();
    if (wait > 0 && wait < 3600_000) setTimeout(() => void frame('started').catch(() => undefined), wait).unref();
  }
}
