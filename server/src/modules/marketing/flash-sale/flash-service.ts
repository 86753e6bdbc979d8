// Flash sales (秒杀). Who gets a unit is decided atomically in the cache (stock-scripts.ts: Lua on
// Redis, shared by every node), before any SQL, so the losers of a 2,000-buyer race cost one cache
// call each. The winner's take is an attempt with a lease; its order then settles the unit in the
// database (flash_attempts, flash_items.sold guarded by a check, a flash_orders row). An attempt
// that does not become an order — refused, or its node died — gives the unit back (attempts.ts),
// and so do unpaid or cancelled orders, once.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/types.ts';
import { AppError, badRequest, conflict, notFound } from '../../../platform/errors.ts';
import { transact } from '../../../platform/db/transact.ts';
import { FlashAttempts } from './attempts.ts';
import { FlashCounters } from './counters.ts';
import { flashUnitsCheck } from './reconcile.ts';
import { assertDealVisible, DEAL_WRITERS, listedShops, type DealAudience } from '../shop-visibility.ts';
import {
  flashKeys,
  NOT_LOADED,
  OVER_LIMIT,
  SOLD_OUT,
  STALE_TOKEN,
  TAKE_FLASH_STOCK,
  takeKeys,
  TOKEN_USED,
} from './stock-scripts.ts';
import '../tables.ts';

const TOKEN_TTL_SEC = 120;

/** What a purchase token carries: user, item, the counters' generation it was issued for, a nonce. */
interface FlashClaims {
  u: number;
  i: number;
  g: number;
  n: string;
}

/** One token buys at most once: its attempt id is derived from it, on every node alike. */
export const attemptIdOf = (token: string) =>
  crypto.createHash('sha256').update(token).digest('base64url').slice(0, 24);

/** The claims of a token this request's take() already verified (read again without the clock). */
function claimsOf(token: string): FlashClaims {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as FlashClaims;
}

const attemptExpired = () =>
  conflict(
    'FLASH_ATTEMPT_EXPIRED',
    'This purchase took too long and its unit went back on sale; get a new token and try again',
  );
const tokenInvalid = () =>
  new AppError(403, 'FLASH_TOKEN_INVALID', 'Get a flash-sale token first (it opens when the sale starts)');
const tokenStale = () => conflict('FLASH_TOKEN_STALE', 'The flash sale was reloaded; get a new token');
const flashNotFound = () => notFound('Flash sale', 'FLASH_NOT_FOUND');

type FlashItemRow = NonNullable<Awaited<ReturnType<FlashSaleService['itemRow']>>>;

export interface SessionInput {
  title: string;
  startsAt: string;
  endsAt: string;
  roomId?: number | null | undefined;
  items: Array<{ skuId: number; flashPriceFen: number; stock: number; perUserLimit?: number | undefined }>;
}

const RETURN_JOB = 'marketing.flash_return_order';

export class FlashSaleService {
  /** Deployments plug a captcha check in here (e.g. a slider service); null: no captcha. */
  captcha: ((userId: number, answer: string | undefined) => Promise<boolean>) | null = null;

  readonly counters: FlashCounters;
  readonly attempts: FlashAttempts;

  constructor(private readonly ctx: AppContext) {
    this.counters = new FlashCounters(ctx);
    this.attempts = new FlashAttempts(ctx, this.counters);
  }

  async createSession(actor: Actor, merchantId: number, input: SessionInput) {
    // A suspended or rejected shop starts no new deal (a pending one may prepare them, unseen).
    await this.ctx.services.merchants.requireOperating(actor, merchantId, [...DEAL_WRITERS], 'build');
    if (new Date(input.endsAt) <= new Date(input.startsAt))
      throw badRequest('FLASH_SESSION_INVALID', 'endsAt must be after startsAt');
    // Its SKUs, and the room whose viewers get the countdown, are the shop's own.
    const skuIds = input.items.map((i) => i.skuId);
    // One price and allotment per SKU (the items' unique key): a second listing is the merchant's mistake, a 400.
    if (new Set(skuIds).size !== skuIds.length) throw badRequest('FLASH_SESSION_INVALID', 'A SKU is listed twice');
    const skus = await this.ctx.services.catalog.requireOwnSkus(this.ctx.db, merchantId, skuIds);
    if (input.roomId) await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, input.roomId);
    for (const i of input.items) {
      const s = skus.find((x) => x.skuId === i.skuId)!;
      if (i.flashPriceFen >= s.priceFen)
        throw badRequest('FLASH_SESSION_INVALID', `The flash price of SKU ${i.skuId} must be below its price`);
    }
    const id = await transact(this.ctx.db, async (trx) => {
      const s = await trx
        .insertInto('flash_sessions')
        .values({
          merchant_id: merchantId,
          title: input.title,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          room_id: input.roomId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('flash_items')
        .values(
          input.items.map((i) => ({
            session_id: s.id,
            merchant_id: merchantId,
            sku_id: i.skuId,
            product_id: skus.find((x) => x.skuId === i.skuId)!.productId,
            flash_price_fen: i.flashPriceFen,
            stock: i.stock,
            per_user_limit: i.perUserLimit ?? 1,
            cache_key: crypto.randomUUID(),
          })),
        )
        .execute();
      return s.id;
    });
    // Counters in the cache before the first token, so no token is issued for a load about to happen.
    const items = await this.ctx.db.selectFrom('flash_items').select('id').where('session_id', '=', id).execute();
    await Promise.all(items.map((i) => this.counters.ensureLoaded(i.id))).catch((err: unknown) => {
      this.ctx.log.warn({ err, sessionId: id }, 'flash-sale counters not loaded yet; the reconciler will');
    });
    if (input.roomId)
      this.scheduleCountdown(id).catch((err: unknown) => this.ctx.log.warn({ err }, 'flash countdown failed'));
    return this.session(id, 'shop');
  }

  /** One session; shoppers get FLASH_NOT_FOUND for a shop they may not see (shop-visibility.ts). */
  async session(id: number, audience: DealAudience = 'shoppers') {
    const s = await this.ctx.db.selectFrom('flash_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw flashNotFound();
    await assertDealVisible(this.ctx, s.merchant_id, audience, flashNotFound);
    const items = await this.ctx.db
      .selectFrom('flash_items')
      .selectAll()
      .where('session_id', '=', id)
      .orderBy('id')
      .execute();
    const products = await this.ctx.services.catalog.getProductSummaries(items.map((i) => i.product_id));
    const remaining = await Promise.all(items.map((i) => this.remaining(i)));
    const now = Date.now();
    const state: 'cancelled' | 'upcoming' | 'ended' | 'running' =
      s.status === 'cancelled'
        ? 'cancelled'
        : now < new Date(s.starts_at).getTime()
          ? 'upcoming'
          : now >= new Date(s.ends_at).getTime()
            ? 'ended'
            : 'running';
    return {
      id: s.id,
      merchantId: s.merchant_id,
      title: s.title,
      startsAt: new Date(s.starts_at),
      endsAt: new Date(s.ends_at),
      roomId: s.room_id,
      state,
      items: items.map((i, n) => ({
        id: i.id,
        skuId: i.sku_id,
        productId: i.product_id,
        title: products.find((p) => p.id === i.product_id)?.title ?? '',
        coverUrl: products.find((p) => p.id === i.product_id)?.coverUrl ?? null,
        originalPriceFen: products.find((p) => p.id === i.product_id)?.minPriceFen ?? 0,
        flashPriceFen: i.flash_price_fen,
        stock: i.stock,
        sold: i.sold,
        remaining: remaining[n]!,
        perUserLimit: i.per_user_limit,
      })),
    };
  }

  /** Sessions running now and coming up (the flash-sale page), optionally one shop's. */
  async list(merchantId?: number, audience: DealAudience = 'shoppers') {
    let q = this.ctx.db
      .selectFrom('flash_sessions')
      .select('id')
      .where('status', '=', 'active')
      .where('ends_at', '>', new Date())
      .orderBy('starts_at')
      .limit(50);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    if (audience === 'shoppers') q = q.where('merchant_id', 'in', listedShops(this.ctx));
    return Promise.all((await q.execute()).map((s) => this.session(s.id, 'shop')));
  }

  private async remaining(item: { cache_key: string; stock: number; sold: number }): Promise<number> {
    const v = await this.ctx.cache.get(flashKeys(item.cache_key).stock);
    return v === null ? item.stock - item.sold : Math.max(0, Number(v));
  }

  /** The per-user purchase token: only once the session has started, rate-limited, captcha when configured. */
  async token(userId: number, itemId: number, captchaAnswer?: string) {
    const limit = await this.ctx.cache.rateLimit(`flash:rl:${userId}`, 10, 10_000);
    if (!limit.allowed)
      throw new AppError(429, 'RATE_LIMITED', 'Too many attempts; wait a moment', { retryAfterMs: limit.resetMs });
    const item = await this.activeItem(this.ctx.db, itemId);
    // No token for a shop shoppers may not see; one issued before a suspension is refused at
    // placement, where the catalog finds the shop's SKUs not purchasable (SKU_NOT_PURCHASABLE).
    await assertDealVisible(this.ctx, item.merchant_id, 'shoppers', flashNotFound);
    if (this.captcha && !(await this.captcha(userId, captchaAnswer)))
      throw new AppError(403, 'CAPTCHA_REQUIRED', 'Solve the captcha first');
    const gen = await this.loadedGen(item.id, item.cache_key, item.cache_gen);
    const claims: FlashClaims = { u: userId, i: itemId, g: gen, n: crypto.randomBytes(9).toString('base64url') };
    const token = await this.ctx.tokens.signPayload({ ...claims }, 'flash', TOKEN_TTL_SEC);
    return {
      token,
      itemId,
      flashPriceFen: item.flash_price_fen,
      expiresAt: new Date(Date.now() + TOKEN_TTL_SEC * 1000),
    };
  }

  /** The item and its session, read at most once a second per node on the hot path (take). */
  private readonly itemMemo = new Map<number, { at: number; row: Promise<FlashItemRow | undefined> }>();

  private itemRow(db: Db, itemId: number) {
    return db
      .selectFrom('flash_items as i')
      .innerJoin('flash_sessions as s', 's.id', 'i.session_id')
      .select([
        'i.id',
        'i.merchant_id',
        'i.sku_id',
        'i.flash_price_fen',
        'i.per_user_limit',
        'i.stock',
        'i.sold',
        'i.cache_key',
        'i.cache_gen',
        's.starts_at',
        's.ends_at',
        's.status',
        's.title',
      ])
      .where('i.id', '=', itemId)
      .executeTakeFirst();
  }

  async activeItem(db: Db, itemId: number, opts: { memo?: boolean } = {}) {
    let pending: Promise<FlashItemRow | undefined>;
    const hit = this.itemMemo.get(itemId);
    if (opts.memo && hit && Date.now() - hit.at < 1000) pending = hit.row;
    else {
      pending = this.itemRow(db, itemId);
      if (opts.memo) {
        this.itemMemo.set(itemId, { at: Date.now(), row: pending });
        if (this.itemMemo.size > 1000) this.itemMemo.delete(this.itemMemo.keys().next().value!);
      }
    }
    const item = await pending;
    return this.checkActive(item);
  }

  private checkActive(item: FlashItemRow | undefined) {
    if (!item) throw flashNotFound();
    const now = Date.now();
    if (item.status !== 'active' || now >= new Date(item.ends_at).getTime())
      throw conflict('FLASH_ENDED', 'This flash sale has ended');
    if (now < new Date(item.starts_at).getTime())
      throw conflict('FLASH_NOT_STARTED', 'This flash sale has not started', { startsAt: new Date(item.starts_at) });
    return item;
  }

  /** The generation of the item's counters in the cache, (re)loading them first unless it is the database's. */
  private async loadedGen(itemId: number, cacheKey: string, dbGen: number): Promise<number> {
    const k = flashKeys(cacheKey);
    let gen = await this.ctx.cache.get(k.gen);
    if (gen === null || Number(gen) !== dbGen) {
      await this.counters.ensureLoaded(itemId);
      gen = await this.ctx.cache.get(k.gen);
    }
    if (gen === null) throw new AppError(503, 'FLASH_BUSY', 'The flash sale is loading; try again in a moment');
    return Number(gen);
  }

  /**
   * Before the order transaction: verify the token and take the unit in the cache, recorded as an
   * attempt with a lease. Returns the undo, run when the order is not made.
   */
  async take(
    userId: number,
    itemId: number,
    quantity: number,
    token: string | undefined,
  ): Promise<() => Promise<void>> {
    const claims = token ? await this.ctx.tokens.verifyPayload<FlashClaims>(token, 'flash') : null;
    if (!token || !claims || claims === 'expired' || claims.u !== userId || claims.i !== itemId) throw tokenInvalid();
    const item = await this.activeItem(this.ctx.db, itemId, { memo: true });
    const k = flashKeys(item.cache_key);
    const attemptId = attemptIdOf(token);
    const r = await this.ctx.cache.run(TAKE_FLASH_STOCK, takeKeys(k), [
      String(userId),
      quantity,
      item.per_user_limit,
      String(claims.g),
      attemptId,
      this.ctx.config.flashSale.leaseMs,
    ]);
    if (r === NOT_LOADED) {
      // The cache lost the counters: rebuild them for everyone; this token belonged to the lost ones.
      await this.counters.ensureLoaded(itemId);
      throw tokenStale();
    }
    if (r === STALE_TOKEN) throw tokenStale();
    if (r === SOLD_OUT) throw conflict('FLASH_SOLD_OUT', 'Sold out');
    if (r === OVER_LIMIT) throw conflict('FLASH_LIMIT_REACHED', `At most ${item.per_user_limit} per person`);
    if (r === TOKEN_USED) throw conflict('FLASH_TOKEN_USED', 'This token has been used; get a new one');
    return async () => {
      await this.attempts.resolve({ id: itemId, cacheKey: item.cache_key }, [{ attemptId, userId, quantity }]);
    };
  }

  /**
   * Inside the order transaction: the attempt becomes this order, unless the reconciler gave its
   * unit back first (FLASH_ATTEMPT_EXPIRED); then the database's guard and the settlement row.
   */
  async settle(db: Db, orderId: number, userId: number, itemId: number, quantity: number, token: string | undefined) {
    if (!token) throw tokenInvalid();
    const claimed = await db
      .insertInto('flash_attempts')
      .values({
        attempt_id: attemptIdOf(token),
        item_id: itemId,
        user_id: userId,
        quantity,
        outcome: 'settled',
        order_id: orderId,
      })
      .onConflict((oc) => oc.column('attempt_id').doNothing())
      .returning('attempt_id')
      .executeTakeFirst();
    if (!claimed) throw attemptExpired();
    const ok = await db
      .updateTable('flash_items')
      .set({ sold: sql`sold + ${quantity}` })
      .where('id', '=', itemId)
      .where('cache_gen', '=', claimsOf(token).g)
      .where(sql<boolean>`sold + ${quantity} <= stock`)
      .executeTakeFirst();
    if (Number(ok.numUpdatedRows) === 0) {
      const item = await db
        .selectFrom('flash_items')
        .select('cache_gen')
        .where('id', '=', itemId)
        .executeTakeFirstOrThrow();
      // Taken from counters that were lost and rebuilt since: the rebuild could not count it.
      if (item.cache_gen !== claimsOf(token).g) throw attemptExpired();
      throw conflict('FLASH_SOLD_OUT', 'Sold out');
    }
    await db
      .insertInto('flash_orders')
      .values({ order_id: orderId, item_id: itemId, user_id: userId, quantity })
      .execute();
  }

  /** Event handlers, the reconciler's jobs and the reconciliation check. */
  register(): void {
    this.attempts.registerJobs();
    this.ctx.reconcile.register(flashUnitsCheck());
    // The return runs as a job after the delivery commits: the cache (network) hears of it only
    // once the database has it.
    this.ctx.events.subscribe({
      name: 'marketing.flash_on_cancel',
      events: ['order.cancelled'],
      handle: async (e, db) => {
        const { orderId } = e.payload;
        // 'returned' too: a return whose cache step did not run yet is told again (the cache ignores repeats).
        const flash = await db
          .selectFrom('flash_orders')
          .select('order_id')
          .where('order_id', '=', orderId)
          .where('status', 'in', ['held', 'returned'])
          .executeTakeFirst();
        const job = { type: RETURN_JOB, payload: { orderId }, uniqueKey: `flash-return:${orderId}` };
        if (flash) await this.ctx.jobs.schedule(db, job);
      },
    });
    this.ctx.jobs.register<{ orderId: number }>({
      type: RETURN_JOB,
      transactional: false,
      run: async (job) => {
        await this.attempts.returnOrder(job.payload.orderId);
      },
    });
    this.ctx.events.subscribe({
      name: 'marketing.flash_on_paid',
      events: ['order.paid'],
      handle: async (e, db) => {
        await db
          .updateTable('flash_orders')
          .set({ status: 'paid' })
          .where('order_id', '=', e.payload.orderId)
          .where('status', '=', 'held')
          .execute();
      },
    });
  }

  /** A session tied to a live room pushes countdown frames (10 s before start) and the start. */
  private async scheduleCountdown(sessionId: number): Promise<void> {
    const s = await this.session(sessionId, 'shop');
    if (!s.roomId) return;
    const frame = (phase: 'announced' | 'started') =>
      this.ctx.services.realtime.publishToRoom(
        s.roomId!,
        {
          type: 'flashsale.countdown',
          data: {
            sessionId,
            phase,
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            items: s.items.map((i) => ({
              id: i.id,
              title: i.title,
              flashPriceFen: i.flashPriceFen,
              remaining: i.remaining,
            })),
          },
        },
        { kind: 'commerce' },
      );
    await frame('announced');
    const wait = s.startsAt.getTime() - Date.now();
    if (wait > 0 && wait < 3600_000) setTimeout(() => void frame('started').catch(() => undefined), wait).unref();
  }
}
