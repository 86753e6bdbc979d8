// fast-check arbitraries for JSON values read from a JSON Schema (as the OpenAPI document has it):
// values that follow the schema, and, where `mutate` is on, each field may instead be one of the
// inputs servers get wrong — another type, NUL, numbers no column holds, Infinity-like strings,
// very long or odd unicode text, impossible dates, arrays where objects go, missing and extra fields.
import fc from 'fast-check';
import type { Json, Schema } from '../tenancy/requests.ts';

export type { Json, Schema };

/**
 * A number JSON.stringify cannot write (1e400, -0 as text…): the request builder writes the text
 * between the markers into the JSON body as it is.
 */
export const raw = (text: string) => `\u0001RAW:${text}\u0001`;
export const unraw = (json: string) => json.replace(/"\\u0001RAW:([^"\\]+)\\u0001"/g, '$1');
/** In a query string or path a raw number is just its text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the marker is a control character on purpose
export const rawText = (v: string) => v.replace(/^\u0001RAW:(.*)\u0001$/s, '$1');

const LONG = 'x'.repeat(10_000);
const WIDE = '长'.repeat(3_000);
/** Text that has broken servers: NUL, lone surrogates, direction overrides, look-alike digits, injections. */
const BAD_STRINGS: Json[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  LONG,
  WIDE,
  '😀'.repeat(500),
  '\ud800',
  'x\udfffy',
  '\u202e\u200b\ufeff',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e999',
  '-1',
  '0x10',
  ' 1',
  '１２３',
  '1.5',
  'null',
  'true',
  '[]',
  '{}',
  '../../etc/passwd',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '%00',
  '\r\n\t',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  '${7*7}',
  'not-a-date',
  '2026-13-45T99:99:99Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
];
const BAD_NUMBERS: Json[] = [
  raw('1e400'),
  raw('-1e400'),
  raw('1E+999999'),
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  // The largest values an int4 column and the validator take: sums and products of them overflow.
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 31 - 2,
  1_000_000_000,
  -1,
  0,
  0.5,
  -0.0001,
  1e308,
  -1e308,
  1e-320,
  Number.MAX_SAFE_INTEGER,
  99_999_999_999_999,
];
const WRONG_TYPES: Json[] = [null, true, false, 0, 1, 'x', [], {}, [1, 2], { a: 1 }, [[[[[]]]]], [null]];

/** Just outside the schema's own bounds: one past the minimum or maximum, one character or item too many or few. */
function beyondBounds(s: Schema): Json[] {
  const out: Json[] = [];
  if (typeof s.minimum === 'number') out.push(s.minimum - 1);
  if (typeof s.maximum === 'number') out.push(s.maximum + 1);
  if (typeof s.exclusiveMinimum === 'number') out.push(s.exclusiveMinimum);
  if (typeof s.exclusiveMaximum === 'number') out.push(s.exclusiveMaximum);
  if (typeof s.maxLength === 'number') out.push('y'.repeat(s.maxLength + 1), '长'.repeat(s.maxLength + 1));
  if (typeof s.minLength === 'number' && s.minLength > 0) out.push('y'.repeat(s.minLength - 1));
  if (typeof s.maxItems === 'number') out.push(Array.from({ length: s.maxItems + 1 }, (_, i) => i + 1));
  if (typeof s.minItems === 'number' && s.minItems > 0) {
    out.push(Array.from({ length: s.minItems - 1 }, (_, i) => i + 1));
  }
  return out;
}

/** One wrong value for a place that takes `schema`. */
export function invalidValue(schema: Schema): fc.Arbitrary<Json> {
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const beyond = beyondBounds(schema);
  const picks: Array<fc.WeightedArbitrary<Json>> = [
    ...(beyond.length ? [{ weight: 3, arbitrary: fc.constantFrom(...beyond) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
    { weight: t === 'string' ? 4 : 2, arbitrary: fc.constantFrom(...BAD_STRINGS) },
    { weight: t === 'integer' || t === 'number' ? 4 : 1, arbitrary: fc.constantFrom(...BAD_NUMBERS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom<Json>(1, 'a', null), { minLength: 200, maxLength: 400 }) },
  ];
  if (t === 'object') picks.push({ weight: 2, arbitrary: fc.constant<Json>({ unexpected: 'field', __proto__x: 1 }) });
  return fc.oneof(...picks);
}

export interface ValueOptions {
  /** Resolve a $ref against the document. */
  resolve: (s: Schema) => Schema;
  /**
   * Real values for a named field or parameter (ids of the fuzz shop), if there are any. `parent`
   * is what the name is read with: the object holding the field, or the path segment before it.
   */
  known: (name: string, parent: string) => Json[] | undefined;
  /** On: any field may be wrong, required fields may go missing and unknown ones appear. */
  mutate: boolean;
}

export function fuzzValue(raw0: Schema, name: string, o: ValueOptions, depth = 0, parent = ''): fc.Arbitrary<Json> {
  const good = validValue(raw0, name, o, depth, parent);
  if (!o.mutate) return good;
  return fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: invalidValue(o.resolve(raw0)) });
}

function validValue(raw0: Schema, name: string, o: ValueOptions, depth: number, parent: string): fc.Arbitrary<Json> {
  const s = o.resolve(raw0);
  const variants: Schema[] | undefined = s.anyOf ?? s.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => fuzzValue(v, name, o, depth + 1, parent)));
  if (s.const !== undefined) return fc.constant(s.const as Json);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...(s.enum as Json[]));
  const known = name ? o.known(name, parent) : undefined;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  // Mostly the shop's real ids (so the request gets past "not found" into the service), now and then any value.
  const withKnown = (a: fc.Arbitrary<Json>) =>
    known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: a }) : a;
  switch (type) {
    case 'integer':
      return withKnown(integer(s));
    case 'number':
      return withKnown(number(s));
    case 'boolean':
      return fc.boolean();
    case 'string':
      return withKnown(string(s));
    case 'array':
      return withKnown(array(s, name, o, depth, parent));
    case 'object':
      return object(s, o, depth, name);
    case 'null':
      return fc.constant(null);
    default:
      return fc.oneof(fc.constant<Json>('x'), fc.integer({ min: 0, max: 10 }), fc.constant<Json>(null));
  }
}

function integer(s: Schema): fc.Arbitrary<Json> {
  // Unbounded in the document is bounded by the validator (int4); the fuzz tries the whole safe range.
  const min = Math.max(s.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
  const max = Math.min(s.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const clamp = (n: number) => Math.max(min, Math.min(max, n));
  const edges = [min, max, clamp(1), clamp(0), clamp(2 ** 31 - 1), clamp(-(2 ** 31))];
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.max(Math.min(max, 1000), min) }) },
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
  );
}

const DAY = 86_400_000;
/**
 * Mostly within a month of now (so a sale window can be open), else any time from 1970 to 9999:
 * fast-check's own range reaches years ±275760, which the date-time format refuses (they are in
 * BAD_STRINGS for the fuzz's wrong values instead).
 */
const date = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -30 * DAY, max: 30 * DAY }).map((ms) => new Date(Date.now() + ms)) },
    { weight: 1, arbitrary: fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }) },
  );

function number(s: Schema): fc.Arbitrary<Json> {
  const min = s.minimum ?? -1e12;
  const max = s.maximum ?? 1e12;
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function string(s: Schema): fc.Arbitrary<Json> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? 200, 2_000);
  if (s.format === 'date-time') return date().map((d) => d.toISOString());
  if (s.format === 'date') return date().map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'uri') return fc.webUrl();
  if (s.pattern) {
    try {
      // Length limits are not filtered for (a filter that rarely passes never ends): the service sees both.
      return fc.stringMatching(new RegExp(s.pattern));
    } catch {
      /* a pattern fast-check cannot read: plain strings below */
    }
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, 40) }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, 60), unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ minLength: maxLength, maxLength, unit: 'grapheme-ascii' }) },
  );
}

function array(s: Schema, name: string, o: ValueOptions, depth: number, parent: string): fc.Arbitrary<Json> {
  const minLength = s.minItems ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, depth > 2 ? minLength + 1 : 4));
  // An item is named after its list (`items[]`): a list of ids is filled whole from the known values above.
  return fc.array(fuzzValue(s.items ?? {}, `${name}[]`, o, depth + 1, parent), { minLength, maxLength });
}

function object(s: Schema, o: ValueOptions, depth: number, name: string): fc.Arbitrary<Json> {
  const props = Object.entries<Schema>(s.properties ?? {});
  if (depth > 6 || !props.length) return fc.constant({});
  const required = new Set<string>(s.required ?? []);
  const model = Object.fromEntries(props.map(([k, child]) => [k, fuzzValue(child, k, o, depth + 1, name)]));
  const base = fc.record(model, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
  if (!o.mutate) return base as fc.Arbitrary<Json>;
  // Mutations at the object level: a required field goes missing, an unknown field comes along.
  return fc.tuple(base, fc.nat(props.length + 3), fc.boolean()).map(([value, drop, extra]) => {
    const out: Record<string, Json> = { ...(value as Record<string, Json>) };
    const dropped = [...required][drop];
    if (dropped && drop % 2 === 0) delete out[dropped];
    if (extra) out.unexpectedField = 'x';
    return out;
  });
}
