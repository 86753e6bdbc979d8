// SKUs are the cartesian product of the product's specs (颜色 × 尺码 …). This turns spec
// definitions into the list of value combinations, each with a display name like "红色 / L".
import { badRequest } from '../../platform/errors.ts';
import type { SpecDef } from './tables.ts';

export const MAX_SKUS_PER_PRODUCT = 600;

export function validateSpecs(specs: SpecDef[]): void {
  const names = new Set<string>();
  for (const s of specs) {
    const name = s.name.trim();
    if (!name) throw badRequest('SPEC_INVALID', 'A spec needs a name');
    if (names.has(name)) throw badRequest('SPEC_INVALID', `Spec "${name}" appears twice`);
    names.add(name);
    if (s.values.length === 0) throw badRequest('SPEC_INVALID', `Spec "${name}" needs at least one value`);
    const values = new Set(s.values.map((v) => v.trim()));
    if (values.size !== s.values.length || values.has(''))
      throw badRequest('SPEC_INVALID', `Spec "${name}" has empty or repeated values`);
  }
  const count = specs.reduce((n, s) => n * s.values.length, 1);
  if (count > MAX_SKUS_PER_PRODUCT)
    throw badRequest('TOO_MANY_SKUS', `The specs make ${count} SKUs; at most ${MAX_SKUS_PER_PRODUCT}`);
}

/** Every combination of spec values, in spec order (first spec varies slowest). */
export function combinations(specs: SpecDef[]): string[][] {
  return specs.reduce<string[][]>(
    (acc, spec) => acc.flatMap((prefix) => spec.values.map((v) => [...prefix, v.trim()])),
    [[]],
  );
}

export const skuName = (values: string[]) => values.join(' / ');
export const comboKey = (values: string[]) => JSON.stringify(values.map((v) => v.trim()));
