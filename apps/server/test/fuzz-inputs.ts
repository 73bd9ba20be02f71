/**
 * Inputs for the fuzz suite (src/http/fuzz.test.ts), made from the OpenAPI document: a valid
 * example per schema, then variants that each break one thing. Everything comes from a seeded
 * generator, so a failure repeats on every run.
 */

export type Schema = Record<string, unknown>;

/** mulberry32: small, fast and good enough to pick test inputs deterministically. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, values: readonly T[], count: number): T[] {
  const pool = [...values];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0)
    chosen.push(...pool.splice(Math.floor(random() * pool.length), 1));
  return chosen;
}

/** Sent to every field: NUL (PostgreSQL cannot store it), null, a number past bigint, an object. */
export const ALWAYS_HOSTILE: readonly unknown[] = ['a\u0000b', null, 1e20, {}];
/** In the query string every value is text; these are the ones sent to every query parameter. */
export const ALWAYS_HOSTILE_QUERY: readonly string[] = ['\u0000', '99999999999999999999', '-1'];

/** More values that have broken servers before; a seeded few go to each field. */
export const HOSTILE_VALUES: readonly unknown[] = [
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  '',
  '\u0000',
  '\u0007\u001b[2J\u007f',
  'line\nbreak\r\n\ttab',
  'x'.repeat(100_000),
  '𝔘ñí©ødé \u202e\u200b 👩🏽‍⚕️ \ud800',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '00000000-0000-0000-0000-000000000000',
  '99999999999999999999',
  '-1',
  [],
  [null, 'x', 1],
  { __proto__: { admin: true }, constructor: { prototype: {} } },
];

/** Path parameters: bad and traversal ids (URL-encoded by the caller where needed). */
export const HOSTILE_PATH_VALUES: readonly string[] = [
  'not-a-uuid',
  '..',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%E2%80%AE',
  '%ED%A0%80%FF',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'x'.repeat(2000),
  '-1',
  '99999999999999999999',
];

/** A value the schema accepts, as far as a simple generator can tell. */
export function validExample(schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const union of ['anyOf', 'oneOf'] as const) {
    const options = schema[union];
    if (Array.isArray(options))
      return validExample(options.find((o: Schema) => o.type !== 'null') ?? options[0]);
  }
  switch ([schema.type].flat()[0]) {
    case 'string':
      return exampleString(schema);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () =>
        validExample(schema.items as Schema),
      );
    case 'object':
      return exampleObject(schema);
    default:
      return null;
  }
}

function exampleObject(schema: Schema): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, validExample(sub)]));
}

const FORMAT_EXAMPLES: Record<string, string> = {
  uuid: '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b',
  email: 'fuzz@example.nl',
  'date-time': '2030-01-01T00:00:00.000Z',
};

/** Candidates tried against a pattern; the first that fits wins. */
const PATTERN_CANDIDATES = [
  'A'.repeat(43),
  '123456',
  'fuzz-team',
  'example.nl',
  'fuzz@example.nl',
  'AAAA-BBBB-CCCC',
];

function exampleString(schema: Schema): string {
  const format = FORMAT_EXAMPLES[schema.format as string];
  if (format) return format;
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? 64);
  const fits = (value: string) =>
    value.length >= min &&
    value.length <= max &&
    (typeof schema.pattern !== 'string' || new RegExp(schema.pattern, 'u').test(value));
  const sized = 'A'.repeat(Math.min(max, Math.max(min, 43)));
  return [...PATTERN_CANDIDATES, sized, 'x'.repeat(Math.max(min, 1))].find(fits) ?? sized;
}

/** Paths to every property of an object schema (nested objects and the first array item too). */
export function fieldPaths(
  schema: Schema | undefined,
  prefix: (string | number)[] = [],
): (string | number)[][] {
  if (!schema) return [];
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  const chosen = options ? (options.find((o) => o.type !== 'null') ?? options[0]) : schema;
  if (!chosen) return [];
  if (chosen.type === 'array') return fieldPaths(chosen.items as Schema, [...prefix, 0]);
  if (chosen.type !== 'object') return prefix.length > 0 ? [prefix] : [];
  const nested = Object.entries((chosen.properties ?? {}) as Record<string, Schema>).flatMap(([name, sub]) =>
    fieldPaths(sub, [...prefix, name]),
  );
  return prefix.length > 0 ? [prefix, ...nested] : nested;
}

/** A deep copy of `value` with the field at `path` replaced, or removed when `replacement` is `REMOVE`. */
export const REMOVE = Symbol('remove');
export function withField(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return copy;
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined || node === null || typeof node !== 'object') return copy;
  if (replacement === REMOVE) delete node[last];
  else node[last] = replacement;
  return copy;
}
