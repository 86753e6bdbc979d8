// What a product must satisfy before it is saved: its SKUs cover the spec matrix exactly once,
// every SKU on sale has a price, and an edit starts from the version that is stored now.
import { AppError, badRequest, conflict } from '../../platform/errors.ts';
import { combinations, comboKey, skuName } from './spec-matrix.ts';
import type { ProductStatus, SpecDef } from './tables.ts';

export interface PricedSku {
  specValues: string[];
  priceFen: number;
  originalPriceFen?: number | undefined;
  enabled?: boolean | undefined;
  skuId?: number;
}

/** Check the SKU list covers every spec combination exactly once, and prices make sense; return it in matrix order. */
export function matchSkus<S extends PricedSku>(specs: SpecDef[], skus: S[]): S[] {
  const combos = combinations(specs);
  const given = new Map<string, S>();
  for (const s of skus) {
    if (s.specValues.length !== specs.length) {
      throw badRequest(
        'SKU_SPEC_MISMATCH',
        `SKU values ${JSON.stringify(s.specValues)} do not match the ${specs.length} specs`,
      );
    }
    const key = comboKey(s.specValues);
    if (given.has(key)) throw badRequest('SKU_SPEC_MISMATCH', `SKU ${skuName(s.specValues)} is listed twice`);
    given.set(key, s);
    if (s.originalPriceFen !== undefined && s.originalPriceFen < s.priceFen) {
      throw badRequest('PRICE_INVALID', `SKU ${skuName(s.specValues)}: the original price is below the price`);
    }
  }
  const missing = combos.filter((c) => !given.has(comboKey(c)));
  if (missing.length) {
    throw badRequest('SKU_SPEC_MISMATCH', `Missing SKUs for: ${missing.map(skuName).join(', ')}`, { missing });
  }
  if (given.size !== combos.length) {
    throw badRequest('SKU_SPEC_MISMATCH', 'Some SKUs use values that are not in the specs');
  }
  return combos.map((c) => given.get(comboKey(c))!);
}

/**
 * An enabled SKU of a product on the shelf sells at its price, so ¥0.00 would give it away (in a
 * live room, at the speed of a flash sale). Drafts and off-shelf products may be saved unpriced.
 */
export function assertPricedForSale(status: ProductStatus, skus: PricedSku[]): void {
  if (status !== 'on_shelf') return;
  const unpriced = skus.filter((s) => (s.enabled ?? true) && s.priceFen <= 0);
  if (unpriced.length === 0) return;
  const names = unpriced.map((s) => skuName(s.specValues) || '默认 default');
  throw badRequest(
    'SKU_PRICE_REQUIRED',
    `A SKU on sale needs a price above ¥0.00: ${names.join(', ')} (give it a price, or disable it)`,
    unpriced.map((s, i) => ({ ...(s.skuId ? { skuId: s.skuId } : {}), specValues: s.specValues, name: names[i] })),
  );
}

/**
 * The product's edit version travels as its ETag: `"7"`. If-Match names the version the editor
 * started from; `*` means "whatever is stored" (scripts that knowingly overwrite).
 */
export const productEtag = (version: number) => `"${version}"`;

export function parseIfMatch(header: string | undefined): number | '*' {
  const value = header?.trim();
  if (!value) {
    throw new AppError(
      428,
      'PRODUCT_VERSION_REQUIRED',
      "Send If-Match with the product's ETag (from GET) so a concurrent edit is not overwritten",
    );
  }
  if (value === '*') return '*';
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!m) {
    throw badRequest(
      'PRODUCT_VERSION_INVALID',
      `If-Match must be the product's ETag, like "3"; got ${value.slice(0, 40)}`,
    );
  }
  return Number(m[1]);
}

export const versionConflict = (current: number, expected: number) =>
  new AppError(
    412,
    'PRODUCT_VERSION_CONFLICT',
    `Someone saved this product after you opened it (version ${current}, yours ${expected}); reload it and edit again`,
    { currentVersion: current, yourVersion: expected },
  );

export function mapUnique(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  if (e?.code === '23505') {
    const where = String(e.constraint ?? e.message);
    if (where.includes('skus_code'))
      return conflict('SKU_CODE_TAKEN', 'Another SKU of this shop already has this code');
    if (where.includes('spu_code'))
      return conflict('SPU_CODE_TAKEN', 'Another product of this shop already has this code');
  }
  return err;
}
