// Address book (shoppers), shipping templates (merchants), and parcel records.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { normalizePhone } from '../identity/passwords.ts';
import type { FeeTemplate } from './shipping-fee.ts';
import type { ShippingRule } from './tables.ts';
import './tables.ts';
import { afterCommit, transact } from '../../platform/db/transact.ts';
import { type NearCache, nodeNearCache } from '../../platform/cache/near-cache.ts';
import { checkRegion } from './regions.ts';

export interface AddressInput {
  name: string;
  phone: string;
  province: string;
  city: string;
  district?: string | undefined;
  /** The district's GB/T 2260 code from the picker; the names must be the code's. */
  districtCode?: string | undefined;
  detail: string;
  postalCode?: string | undefined;
  isDefault?: boolean | undefined;
}
export interface AddressView {
  id: number;
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  /** Null on addresses saved before division codes (their names still work). */
  districtCode: string | null;
  provinceCode: string | null;
  cityCode: string | null;
  detail: string;
  postalCode: string | null;
  isDefault: boolean;
}
export interface TemplateInput {
  name: string;
  chargeBy: 'weight' | 'pieces';
  rules: ShippingRule[];
  freeOverFen?: number | null | undefined;
  excludedRegions?: string[] | undefined;
  isDefault?: boolean | undefined;
}

export const MAX_ADDRESSES = 30;

/** A copy missed by a lost pub/sub message (a Redis reconnect) lives at most this long. */
const SHOWN_TEMPLATE_TTL_MS = 5_000;
/** A template saved in a transaction whose commit we cannot see: read fresh this long. */
const SHOWN_TEMPLATE_HOLD_MS = 5_000;

export class ShippingService {
  /** Each shop's default template as this node keeps it for quotes (see shownTemplateFor). */
  private readonly shownTemplates: NearCache<number, { template: FeeTemplate | null }>;

  constructor(private readonly ctx: AppContext) {
    this.shownTemplates = nodeNearCache(ctx, {
      name: 'shipping:default-template',
      ttlMs: SHOWN_TEMPLATE_TTL_MS,
      max: 10_000,
      what: 'shipping template copies',
    });
  }
  start = () => this.shownTemplates.start();
  stop = () => this.shownTemplates.stop();

  // ---- addresses ----
  async listAddresses(userId: number): Promise<AddressView[]> {
    const rows = await this.ctx.db
      .selectFrom('addresses')
      .selectAll()
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .orderBy('is_default', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toAddress);
  }

  async getAddress(db: Db, userId: number, id: number): Promise<AddressView> {
    const row = await db
      .selectFrom('addresses')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('Address', 'ADDRESS_NOT_FOUND');
    return toAddress(row);
  }

  async saveAddress(userId: number, input: AddressInput, id?: number): Promise<AddressView> {
    const phone = normalizePhone(input.phone);
    if (!phone) throw badRequest('PHONE_INVALID', 'Phone must be a mainland mobile number');
    if (input.districtCode !== undefined) checkRegion({ ...input, districtCode: input.districtCode });
    return transact(this.ctx.db, async (trx) => {
      const count = await trx
        .selectFrom('addresses')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (!id && count.n >= MAX_ADDRESSES) throw badRequest('ADDRESS_BOOK_FULL', `At most ${MAX_ADDRESSES} addresses`);
      const makeDefault = input.isDefault ?? count.n === 0;
      if (makeDefault)
        await trx.updateTable('addresses').set({ is_default: false }).where('user_id', '=', userId).execute();
      const values = {
        name: input.name.trim(),
        phone,
        province: input.province.trim(),
        city: input.city.trim(),
        district: input.district?.trim() ?? '',
        district_code: input.districtCode ?? null,
        detail: input.detail.trim(),
        postal_code: input.postalCode ?? null,
        is_default: makeDefault,
      };
      const row = id
        ? await trx
            .updateTable('addresses')
            .set(values)
            .where('id', '=', id)
            .where('user_id', '=', userId)
            .where('deleted_at', 'is', null)
            .returningAll()
            .executeTakeFirst()
        : await trx
            .insertInto('addresses')
            .values({ ...values, user_id: userId })
            .returningAll()
            .executeTakeFirst();
      if (!row) throw notFound('Address', 'ADDRESS_NOT_FOUND');
      return toAddress(row);
    });
  }

  async deleteAddress(userId: number, id: number): Promise<void> {
    const res = await this.ctx.db
      .updateTable('addresses')
      .set({ deleted_at: sql`now()`, is_default: false })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('Address', 'ADDRESS_NOT_FOUND');
  }

  // ---- templates ----
  async templateFor(db: Db, merchantId: number): Promise<FeeTemplate | null> {
    const t = await db
      .selectFrom('shipping_templates')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('is_default', '=', true)
      .executeTakeFirst();
    return t
      ? { chargeBy: t.charge_by, rules: t.rules, freeOverFen: t.free_over_fen, excludedRegions: t.excluded_regions }
      : null;
  }

  /**
   * The default template a quote shows, from this node's copy (no query when warm; dropped on every node when
   * the shop saves a template). Placement reads the row itself (templateFor in its transaction).
   */
  async shownTemplateFor(merchantId: number): Promise<FeeTemplate | null> {
    const load = async () => ({ template: await this.templateFor(this.ctx.db, merchantId) });
    return (await this.shownTemplates.get(merchantId, load))?.template ?? null;
  }

  async listTemplates(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('shipping_templates')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .execute();
    return rows.map(toTemplate);
  }

  async saveTemplate(actor: Actor, merchantId: number, input: TemplateInput, id?: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    return this.saveTemplateIn(this.ctx.db, merchantId, input, id);
  }

  async saveTemplateIn(db: Db, merchantId: number, input: TemplateInput, id?: number) {
    if (!input.rules.some((r) => r.regions.includes('*')) && input.rules.length === 0)
      throw badRequest('TEMPLATE_INVALID', 'A template needs at least one rule');
    for (const r of input.rules) {
      if (r.firstUnits <= 0 || r.extraUnits < 0 || r.firstFeeFen < 0 || r.extraFeeFen < 0)
        throw badRequest('TEMPLATE_INVALID', 'Units and fees must be positive');
    }
    const run = async (trx: Db) => {
      if (input.isDefault) {
        // One default per shop (a partial unique index): two requests moving it at once would both
        // clear the old one and the second would fail on the index (a 500). The shop's lock orders them.
        await sql`select pg_advisory_xact_lock(hashtextextended(${`shipping-templates:${merchantId}`}, 0))`.execute(
          trx,
        );
        await trx
          .updateTable('shipping_templates')
          .set({ is_default: false })
          .where('merchant_id', '=', merchantId)
          .execute();
      }
      const values = {
        name: input.name,
        charge_by: input.chargeBy,
        rules: JSON.stringify(input.rules),
        free_over_fen: input.freeOverFen ?? null,
        excluded_regions: JSON.stringify(input.excludedRegions ?? []),
        is_default: input.isDefault ?? false,
        updated_at: sql<Date>`now()`,
      };
      const row = id
        ? await trx
            .updateTable('shipping_templates')
            .set(values)
            .where('id', '=', id)
            .where('merchant_id', '=', merchantId)
            .returningAll()
            .executeTakeFirst()
        : await trx
            .insertInto('shipping_templates')
            .values({ ...values, merchant_id: merchantId })
            .returningAll()
            .executeTakeFirst();
      if (!row) throw notFound('Shipping template');
      return toTemplate(row);
    };
    const saved = await transact(db, run);
    const forget = () => this.shownTemplates.invalidate([merchantId]);
    if (!afterCommit(db, forget)) this.shownTemplates.hold([merchantId], SHOWN_TEMPLATE_HOLD_MS);
    return saved;
  }

  // ---- parcels ----
  async recordShipment(
    db: Db,
    input: {
      orderId: number;
      merchantId: number;
      carrier: string;
      trackingNo: string;
      items: Array<{ lineId: number; quantity: number }>;
    },
  ) {
    try {
      return await db
        .insertInto('shipments')
        .values({
          order_id: input.orderId,
          merchant_id: input.merchantId,
          carrier: input.carrier.trim(),
          tracking_no: input.trackingNo.trim(),
          items: JSON.stringify(input.items),
        })
        .returning(['id', 'shipped_at'])
        .executeTakeFirstOrThrow();
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw conflict('TRACKING_NUMBER_USED', 'This tracking number is already used');
      throw err;
    }
  }

  async shipmentsOf(db: Db, orderId: number) {
    const rows = await db.selectFrom('shipments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      carrier: r.carrier,
      trackingNo: r.tracking_no,
      items: r.items,
      shippedAt: r.shipped_at,
    }));
  }
}

function toAddress(r: {
  id: number;
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  district_code: string | null;
  detail: string;
  postal_code: string | null;
  is_default: boolean;
}): AddressView {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    province: r.province,
    city: r.city,
    district: r.district,
    districtCode: r.district_code,
    provinceCode: r.district_code ? `${r.district_code.slice(0, 2)}0000` : null,
    cityCode: r.district_code ? `${r.district_code.slice(0, 4)}00` : null,
    detail: r.detail,
    postalCode: r.postal_code,
    isDefault: r.is_default,
  };
}

function toTemplate(r: {
  id: number;
  name: string;
  charge_by: 'weight' | 'pieces';
  rules: ShippingRule[];
  free_over_fen: number | null;
  excluded_regions: string[];
  is_default: boolean;
}) {
  return {
    id: r.id,
    name: r.name,
    chargeBy: r.charge_by,
    rules: r.rules,
    freeOverFen: r.free_over_fen,
    excludedRegions: r.excluded_regions,
    isDefault: r.is_default,
  };
}
