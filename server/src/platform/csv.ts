// CSV files we hand out (order exports, import error reports, templates). A cell that starts with
// = + - @ (or a tab / carriage return, or their full-width forms some spreadsheets also obey) is
// read as a formula by Excel, WPS and LibreOffice: a shopper's name "=HYPERLINK(...)" would run in
// the merchant's spreadsheet. Such cells get a leading apostrophe (OWASP's CSV injection advice).
// Plain numbers ("-12.50") are not formulas and stay as they are.
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutralizeCell(value: unknown): unknown {
  if (typeof value !== 'string' || !FORMULA_START.test(value) || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

/** Rows as a UTF-8 CSV with a BOM (so Excel reads the Chinese right), every text cell neutralized. */
export function toCsv(rows: unknown[][]): string {
  return `\uFEFF${stringify(rows.map((row) => row.map(neutralizeCell)))}`;
}
