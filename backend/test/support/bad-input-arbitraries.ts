import fc from 'fast-check';
import { fillPath, resolve, type Schema, type SpecOperation } from './openapi-operations';

/**
 * fast-check arbitraries of requests that the API must refuse, derived from the committed OpenAPI spec: every
 * body field, path and query parameter the spec declares gets wrong types, values outside its constraints,
 * oversized and unicode-laden strings, and the request as a whole gets missing, unknown and malformed parts.
 */

/** The parts of a spec schema the generators read beyond `Schema`. */
interface FieldSchema extends Schema {
  example?: unknown;
  default?: unknown;
  minItems?: number;
  maxItems?: number;
}

export interface ErrorEnvelope {
  detail: string;
  error_code: string;
  errors?: { field: string; message: string }[];
}

/** What the API must answer; anything left out only has to be a 4xx in the error envelope. */
export interface Expectation {
  status?: number;
  /** The whole body, where it is fixed (failures of the JSON parser). */
  body?: ErrorEnvelope;
  code?: string;
  /** Fields, as the API names them (`items.0.id`), that the errors must name. */
  fields?: string[];
}

export interface BadRequest {
  /** Path and query string, ready to send. */
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with Content-Type: application/json. */
  raw?: string;
  /** Sent without a body (Content-Length: 0). */
  empty?: boolean;
  expect: Expectation;
}

/** What a test tenant provides for values that must exist: ids by parameter or property name, a future date. */
export interface Fixtures {
  ids: Record<string, string>;
  future: string;
}

export interface Scenario {
  kind: string;
  /**
   * Strict: the input is invalid by the spec, so the answer must be a 4xx and nothing may be written. Otherwise
   * the input may be valid (emoji in a name, null for an optional field): it must only never cause a 5xx.
   */
  strict: boolean;
  requests(fixtures: Fixtures): fc.Arbitrary<BadRequest>;
}

const VALIDATION = { status: 400, code: 'VALIDATION_ERROR' } as const;
const MALFORMED_JSON: ErrorEnvelope = {
  detail: 'The request body is not valid JSON.',
  error_code: 'MALFORMED_JSON',
};
const PAYLOAD_TOO_LARGE: ErrorEnvelope = {
  detail: 'The request body is larger than 100 kB.',
  error_code: 'PAYLOAD_TOO_LARGE',
};
/** The JSON body limit: 100 kB. */
const BODY_LIMIT_BYTES = 100 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What a query value may take of the URL, so that the request line stays well under 16 kB once percent-encoded. */
const URL_BYTES = 1_500;
/** What Number() reads as a plain decimal; other strings (`0x10`, ` `, `1,5`) are not numbers in a query. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * One code point each and none of them whitespace that trimming removes, so N of them are N characters to
 * every length rule. Lone surrogates are low ones only: a high one before them would pair up.
 */
const EDGE_CHARACTERS = [
  '\u0000', // NUL
  '\u0007', // bell
  '\u001B', // escape
  '\u007F', // delete
  '\u200B', // zero-width space
  '\u200C', // zero-width non-joiner
  '\u200D', // zero-width joiner
  '\u2060', // word joiner
  '\u200E', // left-to-right mark
  '\u200F', // right-to-left mark
  '\u202E', // right-to-left override
  '\u2066', // left-to-right isolate
  '\u0301', // combining acute accent
  '\u0336', // combining long stroke overlay
  '\u20DD', // combining enclosing circle
  '\uFFFD', // replacement character
  '\uFFFE', // noncharacter
  '\uFFFF', // noncharacter
  '\uDC00', // lone low surrogate
  '\uDFFF', // lone low surrogate
  '\u{1F600}', // emoji, a surrogate pair
  '\u{10FFFF}', // the last code point
  '\u{E0041}', // tag character
  '\uFDFA', // one code point, a very wide ligature
  '\u0130', // İ: longer once lower-cased
  '\u05D0', // Hebrew alef
];
/** Sequences a person may well type: several code points that render as one character. */
const GRAPHEME_CLUSTERS = [
  '\u{1F469}\u200D\u{1F4BB}',
  '\u{1F1E9}\u{1F1EA}',
  'e\u0301',
  '\u0915\u094D\u0937',
  '\u{1F44D}\u{1F3FD}',
];
/** Characters of an over-long string: ASCII, two-, three- and four-byte UTF-8, invisible ones, a lone surrogate. */
const LONG_STRING_CHARACTERS = ['x', '\u00E9', '\u4E2D', '\u{1F600}', '\u200F', '\u0301', '\uDC00'];

const edgeCharacter = fc.constantFrom(...EDGE_CHARACTERS);

/** Follows `$ref` and the single-entry `allOf` the spec wraps enums and nested objects in. */
function effective(schema: Schema): FieldSchema {
  const resolved = resolve(schema) as FieldSchema;
  const [inner, ...others] = resolved.allOf ?? [];
  if (!inner || others.length > 0) return resolved;
  const outer = { ...resolved };
  delete outer.allOf;
  return { ...effective(inner), ...outer };
}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';

function typeOf(schema: FieldSchema): Kind {
  if (schema.type === 'integer') return 'number';
  if (schema.type === 'object' || schema.properties) return 'object';
  if (schema.type === 'number' || schema.type === 'boolean' || schema.type === 'array') return schema.type;
  return 'string';
}

type Path = (string | number)[];

interface Field {
  path: Path;
  schema: FieldSchema;
  /** Required by its parent object; an array element always is. */
  required: boolean;
  /** The property name (an array element has its array's). */
  name: string;
  element: boolean;
}

const nameOf = (path: Path): string => path.join('.');

/** How the API names a field in `errors`: an element that is not an object is reported on its array. */
const reportedName = (field: Field): string => nameOf(field.element ? field.path.slice(0, -1) : field.path);

/** Every field of a body, nested ones included: `shared.reason`, `items.0` (an element) and `items.0.id`. */
function fieldsOf(schema: FieldSchema, prefix: Path = []): Field[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, raw]) => {
    const field = effective(raw);
    const path = [...prefix, name];
    const self: Field = {
      path,
      schema: field,
      required: !!schema.required?.includes(name),
      name,
      element: false,
    };
    return [self, ...nestedFields(field, path, name)];
  });
}

function nestedFields(schema: FieldSchema, path: Path, name: string): Field[] {
  if (typeOf(schema) === 'object') return fieldsOf(schema, path);
  if (typeOf(schema) !== 'array' || !schema.items) return [];
  const item = effective(schema.items);
  const elementPath = [...path, 0];
  return [
    { path: elementPath, schema: item, required: true, name, element: true },
    ...nestedFields(item, elementPath, name),
  ];
}

/** A field whose value is a free text to the spec: no enum, format or pattern says which strings are valid. */
function isFreeText(field: Field): boolean {
  const { schema } = field;
  return (
    typeOf(schema) === 'string' &&
    !schema.enum &&
    !schema.format &&
    !schema.pattern &&
    !isTimeZone(field.name)
  );
}

/** The spec types a time zone as a string; the name tells that it is an IANA zone (the example agrees). */
const isTimeZone = (name: string): boolean => name === 'timezone';

function acceptedByIntl(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Valid values: the base a bad request differs from in one respect.

/** Varies per run, so that a valid base (an email to sign up with) is not taken by the previous run. */
type Seed = string;

function validSample(schema: FieldSchema, name: string, fixtures: Fixtures, seed: Seed): unknown {
  if (schema.enum) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'boolean':
      return false;
    case 'number':
      return validNumber(schema);
    case 'array': {
      const item = effective(schema.items ?? {});
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        validSample(item, name, fixtures, seed),
      );
    }
    case 'object':
      return validObject(schema, fixtures, seed);
    case 'string':
      return validString(schema, name, fixtures, seed);
  }
}

function validNumber(schema: FieldSchema): number {
  const { example, minimum = -Infinity, maximum = Infinity } = schema;
  if (typeof example === 'number' && example >= minimum && example <= maximum) return example;
  return Math.min(Math.max(1, minimum), maximum);
}

function validString(schema: FieldSchema, name: string, fixtures: Fixtures, seed: Seed): string {
  if (schema.format === 'date-time') return fixtures.future;
  if (schema.format === 'uuid') return fixtures.ids[name] ?? seed;
  const { example, minLength = 0, maxLength = Infinity } = schema;
  const fits = (value: string) =>
    value.length >= minLength &&
    value.length <= maxLength &&
    (!schema.pattern || new RegExp(schema.pattern).test(value));
  if (typeof example === 'string' && fits(example)) {
    // An email of its own each run: an address a previous run signed up with would answer 409 instead.
    return example.includes('@') ? `${seed.slice(0, 8)}-${example}` : example;
  }
  return 'x'.repeat(Math.max(1, minLength));
}

/** Its required fields, and its optional nested objects (so their fields can be made bad too). */
function validObject(schema: FieldSchema, fixtures: Fixtures, seed: Seed): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .map(([name, raw]) => [name, effective(raw)] as const)
      .filter(([name, field]) => schema.required?.includes(name) || typeOf(field) === 'object')
      .map(([name, field]) => [name, validSample(field, name, fixtures, seed)]),
  );
}

function validQueryValue(schema: FieldSchema, fixtures: Fixtures): string {
  if (typeOf(schema) === 'number') return String(validNumber({ ...schema, example: schema.example ?? 10 }));
  return String(validSample(schema, '', fixtures, 'seed'));
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid values, field by field.

const someNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const someString = fc.oneof(
  fc.string(),
  fc.integer().map(String),
  fc.constantFrom('', 'true', 'false', 'null', '[]', '{}'),
);
const someArray = fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
const someObject = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });

/** JSON values of every type but the field's; null only where the field is required (null may mean "absent"). */
function wrongType(field: Field): fc.Arbitrary<unknown> {
  const others: Record<Kind, fc.Arbitrary<unknown>[]> = {
    string: [someNumber, fc.boolean(), someArray, someObject],
    number: [someString, fc.boolean(), someArray, someObject],
    boolean: [someString, someNumber, someArray, someObject],
    array: [someString, someNumber, fc.boolean(), someObject],
    object: [someString, someNumber, fc.boolean(), someArray],
  };
  const options = others[typeOf(field.schema)];
  return fc.oneof(...options, ...(field.required ? [fc.constant(null)] : []));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

const dateTimeParts = fc.record({
  year: fc.integer({ min: 1970, max: 2100 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  offset: fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00'),
});
type DateTimeParts = typeof dateTimeParts extends fc.Arbitrary<infer T> ? T : never;

function formatDateTime(parts: DateTimeParts, overrides: Partial<Record<keyof DateTimeParts, string>> = {}) {
  const text = {
    year: pad(parts.year, 4),
    month: pad(parts.month),
    day: pad(parts.day),
    hour: pad(parts.hour),
    minute: pad(parts.minute),
    second: pad(parts.second),
    offset: parts.offset,
    ...overrides,
  };
  return `${text.year}-${text.month}-${text.day}T${text.hour}:${text.minute}:${text.second}${text.offset}`;
}

/** Not an RFC 3339 date-time: no such day or time, no offset, a bare date, another notation. */
const invalidDateTime: fc.Arbitrary<string> = fc.oneof(
  dateTimeParts.map((p) => formatDateTime(p, { day: pad(daysIn(p.year, p.month) + 1) })),
  fc
    .tuple(dateTimeParts, fc.integer({ min: 32, max: 99 }))
    .map(([p, day]) => formatDateTime(p, { day: pad(day) })),
  dateTimeParts.map((p) => formatDateTime(p, { day: '00' })),
  fc
    .tuple(dateTimeParts, fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })))
    .map(([p, month]) => formatDateTime(p, { month: pad(month) })),
  fc
    .tuple(dateTimeParts, fc.integer({ min: 24, max: 99 }))
    .map(([p, hour]) => formatDateTime(p, { hour: pad(hour) })),
  fc
    .tuple(dateTimeParts, fc.integer({ min: 60, max: 99 }))
    .map(([p, minute]) => formatDateTime(p, { minute: pad(minute) })),
  fc
    .tuple(dateTimeParts, fc.integer({ min: 61, max: 99 }))
    .map(([p, second]) => formatDateTime(p, { second: pad(second) })),
  fc
    .tuple(dateTimeParts, fc.integer({ min: 24, max: 99 }), fc.constantFrom('+', '-'))
    .map(([p, hours, sign]) => formatDateTime(p, { offset: `${sign}${pad(hours)}:00` })),
  fc
    .tuple(dateTimeParts, fc.integer({ min: 60, max: 99 }))
    .map(([p, minutes]) => formatDateTime(p, { offset: `+01:${pad(minutes)}` })),
  dateTimeParts.map((p) => formatDateTime(p, { offset: '' })),
  dateTimeParts.map((p) => formatDateTime(p).slice(0, 10)),
  dateTimeParts.map((p) => formatDateTime(p).replace('T', ' ')),
  dateTimeParts.map((p) => formatDateTime(p).replace(/[-:]/g, '')),
  fc
    .tuple(dateTimeParts, fc.constantFrom(' ', 'x', '\u0000', 'Z'))
    .map(([p, junk]) => formatDateTime(p) + junk),
  fc.constantFrom(
    '2026-02-30T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '1900-02-29T10:00:00Z',
    'tomorrow',
    'now',
    '',
  ),
);

function notUuid(): fc.Arbitrary<string> {
  const nearMisses = fc
    .uuid()
    .chain((uuid) =>
      fc.constantFrom(
        uuid.slice(1),
        `${uuid}0`,
        uuid.replaceAll('-', ''),
        `{${uuid}}`,
        `urn:uuid:${uuid}`,
        ` ${uuid}`,
        `${uuid}\n`,
        `${uuid.slice(0, 35)}g`,
        uuid.replace('-', '_'),
      ),
    );
  return fc.oneof(nearMisses, fc.string({ minLength: 1 })).filter((value) => !UUID.test(value));
}

function notInEnum(members: unknown[]): fc.Arbitrary<string> {
  const names = members.map(String);
  const variants = fc
    .constantFrom(...names)
    .chain((member) =>
      fc.constantFrom(
        member.toUpperCase(),
        member.toLowerCase(),
        member.charAt(0).toUpperCase() + member.slice(1),
        ` ${member}`,
        `${member} `,
        `${member}s`,
        member.slice(1),
        `${member}\u200B`,
        names.join(','),
      ),
    );
  const wrongWords = fc.constantFrom('everyone', 'all', 'none', 'any', 'true', 'null', '*', 'undefined');
  return fc
    .oneof(variants, wrongWords, fc.string(), fc.string({ unit: 'grapheme', maxLength: 8 }))
    .filter((value) => !names.includes(value));
}

function notMatching(pattern: string, example: unknown): fc.Arbitrary<string> {
  const regex = new RegExp(pattern);
  const sample = typeof example === 'string' ? example : 'x';
  const variants = fc.constantFrom(
    sample.toUpperCase(),
    `-${sample}`,
    `${sample}!`,
    ` ${sample}`,
    `${sample}/..`,
    sample.repeat(40),
  );
  return fc
    .oneof(variants, fc.string(), fc.string({ unit: 'grapheme', maxLength: 10 }))
    .filter((value) => !regex.test(value));
}

/**
 * Not an IANA time zone: made-up names, offsets, and two zones removed from the tz database (2017c, 2020b) that
 * the JavaScript runtime's ICU data still knows but PostgreSQL does not.
 */
const invalidTimeZone: fc.Arbitrary<string> = fc.oneof(
  fc
    .oneof(
      fc.constantFrom(
        'Mars/Olympus_Mons',
        'Europe/Atlantis',
        'America/New York',
        'UTC+25',
        'GMT+25:00',
        '+05:00',
        'Local',
        'Europe/Berlin/Mitte',
        '../../etc/passwd',
        '',
        ' ',
      ),
      fc
        .tuple(
          fc.constantFrom('Africa', 'America', 'Asia', 'Europe', 'Pacific', 'Etc'),
          fc.string({ minLength: 1, maxLength: 12 }),
        )
        .map(([area, place]) => `${area}/${place}`),
      fc.string(),
    )
    .filter((zone) => !acceptedByIntl(zone)),
  fc.constantFrom('US/Pacific-New', 'Canada/East-Saskatchewan'),
);

function below(minimum: number): fc.Arbitrary<number> {
  return fc
    .oneof(
      fc.double({ max: minimum, maxExcluded: true, noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1_000_000, max: Math.ceil(minimum) - 1 }),
    )
    .filter((value) => value < minimum);
}

function above(maximum: number): fc.Arbitrary<number> {
  return fc
    .oneof(
      fc.double({ min: maximum, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: Math.floor(maximum) + 1, max: Math.max(Math.floor(maximum) + 1, 2 ** 53 - 1) }),
    )
    .filter((value) => value > maximum);
}

/** Values the field's own constraints (enum, format, pattern, bounds, sizes) rule out; undefined when it has none. */
function outsideConstraints(field: Field, fixtures: Fixtures): fc.Arbitrary<unknown> | undefined {
  const { schema, name } = field;
  const options: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) options.push(notInEnum(schema.enum));
  if (schema.format === 'date-time') options.push(invalidDateTime);
  if (schema.format === 'uuid') options.push(notUuid());
  if (schema.pattern) options.push(notMatching(schema.pattern, schema.example));
  if (typeOf(schema) === 'string' && isTimeZone(name)) options.push(invalidTimeZone);
  if (typeOf(schema) === 'string' && schema.minLength)
    options.push(fc.string({ maxLength: schema.minLength - 1 }));
  if (typeOf(schema) === 'number') {
    if (schema.minimum !== undefined) options.push(below(schema.minimum));
    if (schema.maximum !== undefined) options.push(above(schema.maximum));
    if (schema.type === 'integer') {
      const { minimum = -1e6, maximum = 1e6 } = schema;
      options.push(
        fc.double({ min: minimum, max: maximum, noNaN: true }).filter((value) => !Number.isInteger(value)),
      );
    }
  }
  if (typeOf(schema) === 'array') {
    const item = effective(schema.items ?? {});
    if (schema.minItems) options.push(fc.constant([]));
    const { maxItems } = schema;
    if (maxItems !== undefined) {
      options.push(
        fc
          .tuple(fc.integer({ min: maxItems + 1, max: maxItems + 3 }), fc.uuid())
          .map(([count, seed]) =>
            Array.from({ length: count }, () => validSample(item, name, fixtures, seed)),
          ),
      );
    }
  }
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

/**
 * The most characters a valid value can have, as far as the spec tells: its maxLength, or for an enum, a format, a
 * pattern or a time zone a generous 64. Undefined for free text without a maxLength.
 */
function lengthLimit(field: Field): number | undefined {
  const { schema } = field;
  if (typeOf(schema) !== 'string') return undefined;
  if (schema.maxLength !== undefined) return schema.maxLength;
  return isFreeText(field) ? undefined : 64;
}

const utf8Bytes = (character: string) => Buffer.byteLength(JSON.stringify(character)) - 2;

/**
 * Longer than `limit` characters, up to `bytes` of UTF-8: about 90 kB keeps a body under its limit, a few kB a URL
 * under the 16 kB Node.js reads as a request line and headers.
 */
function longerThan(limit: number, bytes = 90_000): fc.Arbitrary<string> {
  return fc.constantFrom(...LONG_STRING_CHARACTERS).chain((character) => {
    const most = Math.max(limit + 1, Math.floor(bytes / utf8Bytes(character)));
    return fc
      .oneof(fc.integer({ min: limit + 1, max: limit + 16 }), fc.integer({ min: limit + 1, max: most }))
      .map((count) => character.repeat(count));
  });
}

/** More than the 100 kB the API reads. */
const overBodyLimit: fc.Arbitrary<string> = fc
  .constantFrom(...LONG_STRING_CHARACTERS)
  .chain((character) =>
    fc
      .integer({ min: 0, max: Math.floor(200_000 / utf8Bytes(character)) })
      .map((extra) => character.repeat(Math.ceil((BODY_LIMIT_BYTES + 1) / utf8Bytes(character)) + extra)),
  );

/** A string made of unicode edge cases that no enum member, uuid, date-time, pattern or time zone matches. */
function unicodeNotMatching(field: Field, fixtures: Fixtures): fc.Arbitrary<string> {
  const valid = String(
    validSample(field.schema, field.name, fixtures, '00000000-0000-4000-8000-000000000000'),
  );
  const edges = fc
    .array(edgeCharacter, { minLength: 1, maxLength: 12 })
    .map((characters) => characters.join(''));
  const inserted = fc
    .tuple(fc.integer({ min: 0, max: valid.length }), edges)
    .map(([at, characters]) => valid.slice(0, at) + characters + valid.slice(at));
  return fc.oneof(edges, inserted).filter((value) => !isValidConstrainedString(field, value));
}

function isValidConstrainedString(field: Field, value: string): boolean {
  const { schema } = field;
  if (schema.enum?.includes(value)) return true;
  if (schema.pattern && new RegExp(schema.pattern).test(value)) return true;
  if (schema.format === 'uuid' && UUID.test(value)) return true;
  return isTimeZone(field.name) && acceptedByIntl(value);
}

/** A lone surrogate somewhere in an otherwise valid string: not Unicode, so no text a server can store. */
function withLoneSurrogate(field: Field, fixtures: Fixtures): fc.Arbitrary<string> {
  return fc
    .tuple(fc.uuid(), fc.nat(), fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF'))
    .map(([seed, position, surrogate]) => {
      const valid = String(validSample(field.schema, field.name, fixtures, seed));
      const at = position % (valid.length + 1);
      return valid.slice(0, at) + surrogate + valid.slice(at);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Whole requests.

function clone<T>(value: T): T {
  return structuredClone(value);
}

function setAt(body: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = clone(body);
  let container = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) container = container[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  // A computed key, so that `__proto__` becomes a property of its own rather than the prototype.
  Object.defineProperty(container, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function deleteAt(body: Record<string, unknown>, path: Path): Record<string, unknown> {
  const copy = clone(body);
  let container: unknown = copy;
  for (const key of path.slice(0, -1)) {
    container = (container as Record<string | number, unknown> | undefined)?.[key];
  }
  if (container && typeof container === 'object')
    delete (container as Record<string | number, unknown>)[path[path.length - 1]];
  return copy;
}

/** Prints a counterexample without its 100 kB strings. */
function summarize(request: BadRequest): string {
  return JSON.stringify(request, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 120
      ? `${value.slice(0, 40)}…(${value.length} characters of ${JSON.stringify(value.slice(-1))})`
      : value,
  );
}

function badRequest(request: BadRequest): BadRequest {
  return Object.defineProperty(request, fc.toStringMethod, {
    value: () => summarize(request),
    enumerable: false,
  });
}

/** Bytes a URL may carry as they are: unreserved characters; everything else is percent-encoded as UTF-8. */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const character = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(character)
        ? character
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function queryString(pairs: [string, string][]): string {
  return pairs.length === 0
    ? ''
    : `?${pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&')}`;
}

interface OperationShape {
  operation: SpecOperation;
  fields: Field[];
  /** The path filled with ids that exist. */
  url: (fixtures: Fixtures) => string;
  base: (fixtures: Fixtures) => fc.Arbitrary<Record<string, unknown>>;
}

function shapeOf(operation: SpecOperation): OperationShape {
  const body = operation.body && effective(operation.body);
  return {
    operation,
    fields: body ? fieldsOf(body) : [],
    url: (fixtures) => filledPath(operation, fixtures, {}),
    base: (fixtures) => fc.uuid().map((seed) => (body ? validObject(body, fixtures, seed) : {})),
  };
}

function filledPath(operation: SpecOperation, fixtures: Fixtures, overrides: Record<string, string>): string {
  const values = Object.fromEntries(
    operation.pathParams.map((parameter) => [
      parameter.name,
      overrides[parameter.name] ?? fixtures.ids[parameter.name] ?? '00000000-0000-4000-8000-000000000000',
    ]),
  );
  return fillPath(operation.path, values);
}

/** One field of the base replaced by what `values` generates for it. */
function withFieldValue(
  shape: OperationShape,
  fields: Field[],
  fixtures: Fixtures,
  values: (field: Field) => fc.Arbitrary<unknown>,
  expect: (field: Field) => Expectation = (field) => ({ ...VALIDATION, fields: [reportedName(field)] }),
): fc.Arbitrary<BadRequest> {
  return fc
    .constantFrom(...fields)
    .chain((field) => fc.tuple(fc.constant(field), values(field), shape.base(fixtures)))
    .map(([field, value, base]) =>
      badRequest({ url: shape.url(fixtures), body: setAt(base, field.path, value), expect: expect(field) }),
    );
}

/** Not JSON, or JSON but not an object or array (the parser takes only those). */
function malformedJson(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  const parsesToObject = (text: string) => {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null;
    } catch {
      return false;
    }
  };
  const truncated = fc.tuple(base, fc.nat()).map(([body, cut]) => {
    const text = JSON.stringify(body);
    return text.slice(0, 1 + (cut % (text.length - 1)));
  });
  const corrupted = fc
    .tuple(
      base,
      fc.nat(),
      fc.constantFrom('', '"', "'", ',', ':', '{', '}', ']', '\\', '\u0001', 'NaN', 'undefined'),
    )
    .map(([body, at, junk]) => {
      const text = JSON.stringify(body);
      const position = at % text.length;
      return text.slice(0, position) + junk + text.slice(position + 1);
    });
  const classics = fc.constantFrom(
    '{',
    '}',
    '{"name": ',
    '{name: "Acme"}',
    "{'name': 'Acme'}",
    '{"name": "Acme",}',
    '[1, 2,]',
    '{"value": NaN}',
    '{"value": Infinity}',
    '{"value": 01}',
    '{"value": 0x10}',
    '{"name": "\\x41"}',
    '{"name": "\u0001"}',
    '{"name": "Acme"} {}',
    '/* comment */ {}',
    '{"name": "Acme"} // comment',
    'null',
    'true',
    '42',
    '"Acme"',
    ' ',
    'undefined',
    '<xml/>',
  );
  return (
    fc
      .oneof(
        truncated,
        corrupted,
        classics,
        fc.string({ minLength: 1 }),
        fc.string({ unit: 'binary', minLength: 1 }),
      )
      // The parser drops a byte order mark, so text that is JSON after one is JSON to it.
      .filter((text) => text.length > 0 && !parsesToObject(text.replace(/^\uFEFF/, '')))
  );
}

function isUnder(path: string, ancestors: string[]): boolean {
  return ancestors.some((ancestor) => path.startsWith(`${ancestor}.`));
}

const FORBIDDEN_FIELD_NAMES = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'id',
  'tenant_id',
  'owner',
  'version',
  'role',
  'is_admin',
  'password_hash',
  'created_at',
  'deleted',
);

function unknownKeys(known: string[]): fc.Arbitrary<string[]> {
  const key = fc
    .oneof(
      FORBIDDEN_FIELD_NAMES,
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
    )
    .filter((name) => !known.includes(name));
  return fc.uniqueArray(key, { minLength: 1, maxLength: 2 });
}

/** Enough to tell which generators apply, before the test tenant exists. */
const NO_FIXTURES: Fixtures = { ids: {}, future: '' };

/** fc.oneof over the arbitraries that apply; undefined when none does. */
function oneOfPresent<T>(...options: (fc.Arbitrary<T> | false)[]): fc.Arbitrary<T> | undefined {
  const present = options.filter((option): option is fc.Arbitrary<T> => option !== false);
  return present.length > 0 ? fc.oneof(...present) : undefined;
}

/** A field per run, made bad by `values`; false when no field qualifies. */
function someField(
  shape: OperationShape,
  fields: Field[],
  fixtures: Fixtures,
  values: (field: Field) => fc.Arbitrary<unknown>,
  expect?: (field: Field) => Expectation,
): fc.Arbitrary<BadRequest> | false {
  return fields.length > 0 && withFieldValue(shape, fields, fixtures, values, expect);
}

function bodyScenarios(shape: OperationShape): Scenario[] {
  const { fields, operation } = shape;
  if (!operation.body) return [];
  const strings = fields.filter((field) => typeOf(field.schema) === 'string');
  const constrained = fields.filter((field) => outsideConstraints(field, NO_FIXTURES) !== undefined);
  const bounded = fields.filter((field) => lengthLimit(field) !== undefined);
  const boundedText = strings.filter((field) => isFreeText(field) && field.schema.maxLength !== undefined);
  const required = fields.filter((field) => field.required && !field.element);
  const optional = fields.filter((field) => !field.required);
  const containers: { path: Path; schema: FieldSchema }[] = [
    { path: [], schema: effective(operation.body) },
    ...fields.filter((field) => typeOf(field.schema) === 'object'),
  ];

  const candidates: {
    kind: string;
    strict: boolean;
    requests: (fixtures: Fixtures) => fc.Arbitrary<BadRequest> | undefined;
  }[] = [
    {
      kind: 'wrong types (numbers for strings, strings for numbers, arrays, objects, null, booleans) and values outside the enum, format, pattern or bounds',
      strict: true,
      requests: (fixtures) =>
        oneOfPresent(
          someField(shape, fields, fixtures, wrongType),
          someField(shape, constrained, fixtures, (field) => outsideConstraints(field, fixtures)!),
        ),
    },
    {
      kind: 'huge strings: over maxLength up to 90 kB (400), a body over 100 kB (413)',
      strict: true,
      requests: (fixtures) =>
        oneOfPresent(
          someField(shape, bounded, fixtures, (field) => longerThan(lengthLimit(field)!)),
          fc
            .tuple(
              fc.constantFrom<Path>(['padding'], ...fields.map((field) => field.path)),
              overBodyLimit,
              shape.base(fixtures),
            )
            .map(([path, value, base]) =>
              badRequest({
                url: shape.url(fixtures),
                raw: JSON.stringify(setAt(base, path, value)),
                expect: { status: 413, body: PAYLOAD_TOO_LARGE },
              }),
            ),
        ),
    },
    {
      kind: 'unicode edge cases (NUL, lone surrogates, RTL and zero-width marks, emoji, combining marks) where no valid value has them',
      strict: true,
      requests: (fixtures) =>
        oneOfPresent(
          someField(
            shape,
            strings.filter((field) => !isFreeText(field)),
            fixtures,
            (field) => unicodeNotMatching(field, fixtures),
          ),
          someField(shape, boundedText, fixtures, (field) =>
            fc
              .array(edgeCharacter, {
                minLength: field.schema.maxLength! + 1,
                maxLength: field.schema.maxLength! + 40,
              })
              .map((characters) => characters.join('')),
          ),
          someField(shape, strings, fixtures, (field) => withLoneSurrogate(field, fixtures)),
        ),
    },
    {
      kind: 'missing required fields, or no body at all',
      strict: true,
      requests: (fixtures) => (required.length > 0 ? missingFields(shape, required, fixtures) : undefined),
    },
    {
      kind: 'unknown fields, nested ones too',
      strict: true,
      requests: (fixtures) =>
        fc
          .constantFrom(...containers)
          .chain((container) =>
            fc.tuple(
              fc.constant(container),
              unknownKeys(Object.keys(container.schema.properties ?? {})),
              fc.jsonValue({ maxDepth: 2 }),
              shape.base(fixtures),
            ),
          )
          .map(([container, keys, value, base]) =>
            badRequest({
              url: shape.url(fixtures),
              body: keys.reduce((body, key) => setAt(body, [...container.path, key], value), base),
              expect: { ...VALIDATION, fields: keys.map((key) => nameOf([...container.path, key])) },
            }),
          ),
    },
    {
      kind: 'malformed JSON sent as application/json',
      strict: true,
      requests: (fixtures) =>
        malformedJson(shape.base(fixtures)).map((raw) =>
          badRequest({ url: shape.url(fixtures), raw, expect: { status: 400, body: MALFORMED_JSON } }),
        ),
    },
    {
      kind: 'values that may be valid: unicode edge cases in free text, null for an optional field',
      strict: false,
      requests: (fixtures) =>
        oneOfPresent(
          someField(shape, strings.filter(isFreeText), fixtures, (field) =>
            unicodeText(field.schema.maxLength),
          ),
          someField(shape, optional, fixtures, () => fc.constant(null)),
        ),
    },
  ];
  return candidates
    .filter((candidate) => candidate.requests(NO_FIXTURES) !== undefined)
    .map(({ kind, strict, requests }) => ({ kind, strict, requests: (fixtures) => requests(fixtures)! }));
}

/** Some required fields left out (the API names each), or the whole body (it names the top-level ones). */
function missingFields(
  shape: OperationShape,
  required: Field[],
  fixtures: Fixtures,
): fc.Arbitrary<BadRequest> {
  const topLevel = required.filter((field) => field.path.length === 1).map((field) => nameOf(field.path));
  return fc.oneof(
    fc.tuple(fc.subarray(required, { minLength: 1 }), shape.base(fixtures)).map(([missing, base]) => {
      const names = missing.map((field) => nameOf(field.path));
      return badRequest({
        url: shape.url(fixtures),
        body: missing.reduce((body, field) => deleteAt(body, field.path), base),
        expect: { ...VALIDATION, fields: names.filter((name) => !isUnder(name, names)) },
      });
    }),
    fc
      .constant(null)
      .map(() =>
        badRequest({ url: shape.url(fixtures), empty: true, expect: { ...VALIDATION, fields: topLevel } }),
      ),
  );
}

/** Text of edge cases and clusters a person may type, no longer than `maxLength` code points. */
function unicodeText(maxLength = 40): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(edgeCharacter, fc.constantFrom(...GRAPHEME_CLUSTERS), fc.string({ maxLength: 3 })), {
      minLength: 1,
      maxLength: Math.min(maxLength, 40),
    })
    .map((parts) => parts.join(''));
}

interface QueryParameter {
  name: string;
  schema: FieldSchema;
}

/** A value the parameter's schema rules out, as the query string carries it. */
function invalidQueryValue(parameter: QueryParameter): fc.Arbitrary<string> | undefined {
  const { schema, name } = parameter;
  if (schema.enum) return notInEnum(schema.enum);
  if (schema.format === 'date-time') return invalidDateTime;
  if (name === 'cursor') return garbageCursor(schema.maxLength);
  if (typeOf(schema) === 'number') {
    const { minimum = -Infinity, maximum = Infinity } = schema;
    const valid = (text: string) => {
      if (!DECIMAL.test(text)) return false;
      const value = Number(text);
      return value >= minimum && value <= maximum && (schema.type !== 'integer' || Number.isInteger(value));
    };
    return fc
      .oneof(
        Number.isFinite(minimum) ? below(minimum).map(String) : fc.constant('-1e400'),
        Number.isFinite(maximum) ? above(maximum).map(String) : fc.constant('1e400'),
        fc.constantFrom(
          '0',
          '-1',
          '1e9',
          'abc',
          'NaN',
          'Infinity',
          '-Infinity',
          '0x10',
          '0b1',
          '1,5',
          ' ',
          '5 ',
          '\u0665',
          '\uFF15',
          '1e400',
          '5abc',
          '--5',
        ),
        fc.string({ minLength: 1 }),
      )
      .filter((text) => text !== '' && !valid(text));
  }
  if (schema.maxLength !== undefined) return longerThan(schema.maxLength, URL_BYTES);
  return undefined;
}

/** Anything but a position from a Link header: random text, base64url of other JSON, and over-long ones. */
function garbageCursor(maxLength: number | undefined): fc.Arbitrary<string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.jsonValue({ maxDepth: 2 }).map(encode),
    fc
      .record({ o: fc.string(), v: fc.oneof(fc.string(), fc.double(), fc.constant(null)), id: fc.uuid() })
      .map(encode),
    fc
      .record({
        o: fc.constantFrom('due', 'next_action_at', 'at', 'events'),
        v: fc.string(),
        id: fc.string(),
      })
      .map(encode),
    fc.constantFrom('%%%', '====', 'eyJ9', 'null', '..', '\u0000'),
    longerThan(maxLength ?? 512, URL_BYTES),
  );
}

const RANGES: [string, string][] = [
  ['from', 'until'],
  ['min_value', 'max_value'],
];

function queryScenarios(shape: OperationShape): Scenario[] {
  const parameters: QueryParameter[] = shape.operation.queryParams.map((parameter) => ({
    name: parameter.name,
    schema: effective(parameter.schema),
  }));
  if (parameters.length === 0) return [];
  const names = parameters.map((parameter) => parameter.name);
  const constrained = parameters.filter((parameter) => invalidQueryValue(parameter) !== undefined);
  const ranges = RANGES.filter(([low, high]) => names.includes(low) && names.includes(high));
  const query = (fixtures: Fixtures, pairs: [string, string][], fields: string[]) =>
    badRequest({ url: shape.url(fixtures) + queryString(pairs), expect: { ...VALIDATION, fields } });
  return [
    {
      kind: 'invalid values: limit=0, -1, 1e9, abc, cursor garbage, scope=everyone, bad dates, from > until',
      strict: true,
      requests: (fixtures) =>
        oneOfPresent(
          constrained.length > 0 &&
            fc
              .constantFrom(...constrained)
              .chain((parameter) => fc.tuple(fc.constant(parameter), invalidQueryValue(parameter)!))
              .map(([parameter, value]) => query(fixtures, [[parameter.name, value]], [parameter.name])),
          ranges.length > 0 &&
            fc
              .tuple(
                fc.constantFrom(...ranges),
                fc.integer({ min: 1, max: 10_000 }),
                fc.integer({ min: 1, max: 10_000 }),
              )
              .map(([[low, high], start, length]) => {
                const [lowValue, highValue] = [start + length, start].map((offset) =>
                  low === 'from'
                    ? new Date(Date.parse(fixtures.future) + offset * 60_000).toISOString()
                    : String(offset),
                );
                return query(
                  fixtures,
                  [
                    [low, lowValue],
                    [high, highValue],
                  ],
                  [high],
                );
              }),
        )!,
    },
    {
      kind: 'a parameter given twice, and unknown parameters',
      strict: true,
      requests: (fixtures) =>
        fc.oneof(
          fc.constantFrom(...parameters).map((parameter) => {
            const value = validQueryValue(parameter.schema, fixtures);
            return query(
              fixtures,
              [
                [parameter.name, value],
                [parameter.name, value],
              ],
              [parameter.name],
            );
          }),
          fc
            .tuple(
              unknownKeys([...names, '']).filter((keys) => keys.every((key) => !LONE_SURROGATE.test(key))),
              fc.string(),
            )
            .map(([keys, value]) =>
              query(
                fixtures,
                keys.map((key) => [key, value]),
                keys,
              ),
            ),
        ),
    },
  ];
}

/** Stands in for a segment that must reach the server without encoding. */
const RAW_SEGMENT = 'RAW-SEGMENT';

/** Path segments the router cannot decode, dot segments, and encoded separators: sent without encoding. */
const undecodableSegment: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '%',
      '%%',
      '%Z',
      '%ZZ',
      '%E0%A4%A',
      '%C0%AF',
      '%ED%A0%80',
      '%FF',
      '%00',
      '..',
      '.',
      '%2e%2e',
      '..%2F',
      '%2F',
      '..%5C..%5C',
      '%25',
      '%u0041',
      '%20',
      ';',
      ':id',
      '%3F',
      '%23',
    ),
    fc
      .tuple(
        fc.string({ unit: fc.constantFrom(...'abcdef0123456789-.'.split('')), maxLength: 8 }),
        fc.constantFrom('%', '%0', '%G1', '%E2%82', '%F0%9F%98', '%C3', '%2e'),
        fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789-._~'.split('')), maxLength: 8 }),
      )
      .map(([before, junk, after]) => before + junk + after),
  )
  .filter((segment) => !UUID.test(safeDecode(segment)));

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Literal segments of the spec's paths (`due`, `bulk`): an id equal to one could reach another route. */
export function routeWords(paths: string[]): Set<string> {
  return new Set(
    paths.flatMap((path) => path.split('/')).filter((segment) => segment && !segment.startsWith('{')),
  );
}

function pathScenarios(shape: OperationShape, words: Set<string>): Scenario[] {
  const parameters = shape.operation.pathParams.filter(
    (parameter) => resolve(parameter.schema).format === 'uuid',
  );
  if (parameters.length === 0) return [];
  const body = (base: Record<string, unknown>) => (shape.operation.body ? { body: base } : {});
  const notAnId = fc
    .oneof(notUuid(), fc.constantFrom('../', '../../etc/passwd', '..\\..', "1' OR '1'='1", '%00', 'null'))
    .filter((id) => id !== '.' && id !== '..' && !words.has(id) && !LONE_SURROGATE.test(id));
  return [
    {
      kind: 'ids that are not UUIDs (random text, near misses, ../, unicode), and segments that do not decode (%E0%A4%A, %ZZ)',
      strict: true,
      requests: (fixtures) =>
        fc.oneof(
          fc
            .tuple(fc.constantFrom(...parameters), notAnId, shape.base(fixtures))
            .map(([parameter, id, base]) =>
              badRequest({
                url: filledPath(shape.operation, fixtures, { [parameter.name]: id }),
                ...body(base),
                expect: { ...VALIDATION, fields: [parameter.name] },
              }),
            ),
          // Sent as they are: the answer is a 400 (undecodable, or not a UUID) or a 404 (a dot segment), in the envelope.
          fc
            .tuple(fc.constantFrom(...parameters), undecodableSegment, shape.base(fixtures))
            .map(([parameter, segment, base]) =>
              badRequest({
                url: filledPath(shape.operation, fixtures, { [parameter.name]: RAW_SEGMENT }).replace(
                  RAW_SEGMENT,
                  segment,
                ),
                ...body(base),
                expect: {},
              }),
            ),
        ),
    },
  ];
}

/** Every way the generators know to make a request to `operation` bad, each with its arbitrary. */
export function scenariosFor(operation: SpecOperation, words: Set<string>): Scenario[] {
  const shape = shapeOf(operation);
  return [...pathScenarios(shape, words), ...queryScenarios(shape), ...bodyScenarios(shape)];
}
