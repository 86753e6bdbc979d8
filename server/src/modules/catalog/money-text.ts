import { badRequest } from '../../platform/errors.ts';

/** "12.5" / "12.50" / "12" yuan → fen, exactly (no floating point). */
export function yuanToFen(text: string, field = 'price'): number {
  const t = text.trim().replace(/^¥/, '');
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) throw badRequest('PRICE_INVALID', `${field} must be a yuan amount with at most 2 decimals, got "${text}"`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
