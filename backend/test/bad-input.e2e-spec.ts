import fc from 'fast-check';
import type { Response } from 'supertest';
import { migrateDatabase } from '../src/database/migrate';
import {
  routeWords,
  scenariosFor,
  type BadRequest,
  type ErrorEnvelope,
  type Expectation,
  type Fixtures,
} from './support/bad-input-arbitraries';
import { operations, type SpecOperation } from './support/openapi-operations';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const NOW = '2026-07-15T12:00:00.000Z';
/** Per operation and kind of bad input: random each run, and the seed is printed when one fails. */
const RUNS = 25;
/** Inputs that may be valid go deeper (sign-ups hash passwords): fewer of them. */
const MAY_BE_VALID_RUNS = 15;
/**
 * Every table a request could write to, but rate_limits and auth_events: a refused sign-in is counted and
 * logged there on purpose.
 */
const TABLES = [
  'opportunities',
  'opportunity_actions',
  'users',
  'memberships',
  'tenants',
  'refresh_tokens',
  'invitations',
  'audit_events',
] as const;

/** What must never reach a client: stack frames, driver or ORM names, SQL. */
const INTERNALS = [
  /\n\s+at /,
  /node_modules/,
  /\.ts:\d+/,
  /QueryFailedError/,
  /typeorm/i,
  /\bSELECT\b/,
  /\bINSERT\b/,
];

function describeResponse(response: Response): string {
  const text = response.text.length > 500 ? `${response.text.slice(0, 500)}…` : response.text;
  return `${response.status} ${response.get('Content-Type') ?? '(no content type)'} ${text}`;
}

/** Never a 5xx, and any error in the envelope, as JSON. */
function expectNoServerError(response: Response): void {
  if (response.status >= 500) throw new Error(`answered ${describeResponse(response)}`);
  if (response.status >= 400) expectEnvelope(response);
}

function expectEnvelope(response: Response): ErrorEnvelope {
  const problems: string[] = [];
  if (!/^application\/json/.test(response.get('Content-Type') ?? ''))
    problems.push('the content type is not JSON');
  const body = response.body as Partial<ErrorEnvelope> & Record<string, unknown>;
  const { detail, error_code, errors, ...rest } = body ?? {};
  if (typeof detail !== 'string' || detail === '') problems.push('detail is not a text');
  if (typeof error_code !== 'string' || !/^[A-Z_]+$/.test(error_code))
    problems.push('error_code is not a code');
  if (Object.keys(rest).length > 0) problems.push(`other keys: ${Object.keys(rest).join(', ')}`);
  const wellFormed = (error: unknown) =>
    typeof error === 'object' &&
    error !== null &&
    Object.keys(error).sort().join() === 'field,message' &&
    typeof (error as Record<string, unknown>).field === 'string' &&
    typeof (error as Record<string, unknown>).message === 'string';
  if (errors !== undefined && !(Array.isArray(errors) && errors.every(wellFormed))) {
    problems.push('errors is not a list of { field, message }');
  }
  for (const internal of INTERNALS) if (internal.test(response.text)) problems.push(`it shows ${internal}`);
  if (problems.length > 0) throw new Error(`${problems.join('; ')}: ${describeResponse(response)}`);
  return body as ErrorEnvelope;
}

/** A 4xx in the envelope, with the status, code, body or named fields the request expects. */
function expectRefused(response: Response, expected: Expectation): void {
  if (response.status < 400 || response.status >= 500) {
    throw new Error(`expected a 4xx, answered ${describeResponse(response)}`);
  }
  const body = expectEnvelope(response);
  const problems: string[] = [];
  if (expected.status !== undefined && response.status !== expected.status) {
    problems.push(`expected status ${expected.status}`);
  }
  if (expected.code !== undefined && body.error_code !== expected.code)
    problems.push(`expected ${expected.code}`);
  if (expected.body !== undefined && JSON.stringify(body) !== JSON.stringify(expected.body)) {
    problems.push(`expected the body ${JSON.stringify(expected.body)}`);
  }
  const named = (body.errors ?? []).map((error) => error.field);
  for (const field of expected.fields ?? []) {
    if (!named.some((name) => name === field || name.startsWith(`${field}.`))) {
      problems.push(`expected an error for ${JSON.stringify(field)}`);
    }
  }
  if (problems.length > 0) throw new Error(`${problems.join('; ')}: answered ${describeResponse(response)}`);
}

describe('bad input to every operation of the spec', () => {
  let database: TestDatabase;
  let t: TestApp;
  let tenant: string;
  let fixtures: Fixtures;

  beforeAll(async () => {
    // A database of its own: the row counts below must not see what other test files write meanwhile.
    database = await createTestDatabase();
    await migrateDatabase(database.url);
    const shared = process.env.NAT_TEST_DATABASE_URL;
    process.env.NAT_TEST_DATABASE_URL = database.url;
    try {
      t = await createTestApp(NOW);
    } finally {
      process.env.NAT_TEST_DATABASE_URL = shared;
    }
    // One listening server for every request, instead of supertest binding a port for each one.
    await t.app.listen(0, '127.0.0.1');
    tenant = await t.createTenant();
    const member = await t.addMember(tenant, 'rep');
    const created = await t.http().post('/api/v1/opportunities').set(t.headersFor(tenant)).send({
      name: 'Acme Corp Deal',
      value: 50000,
      stage: 'Proposal',
      next_action_at: '2026-07-20T10:00:00Z',
      next_action_details: 'Send the proposal',
    });
    expect(created.status).toBe(201);
    fixtures = {
      ids: { id: (created.body as { id: string }).id, user_id: member.id, owner_id: t.ownerOf(tenant).id },
      future: '2026-09-01T09:00:00Z',
    };
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const [counts] = await t.dataSource.query<Record<string, number>[]>(
      `SELECT ${TABLES.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(', ')}`,
    );
    return counts;
  }

  const changedTables = (before: Record<string, number>, after: Record<string, number>) =>
    TABLES.filter((table) => after[table] !== before[table]);

  /** Sends the request, and tells which tables it changed the row count of. */
  async function sendCounting(operation: SpecOperation, request: BadRequest) {
    const before = await rowCounts();
    const response = await send(operation, request);
    return { response, written: changedTables(before, await rowCounts()) };
  }

  function expectNoWrites(response: Response, written: string[]): void {
    if (written.length > 0)
      throw new Error(`refused with ${response.status}, yet wrote to ${written.join(', ')}`);
  }

  function headersOf(operation: SpecOperation): Record<string, string> {
    if (!operation.authenticated) return {};
    const headers = t.headersFor(tenant);
    return operation.tenantScoped ? headers : { Authorization: headers.Authorization };
  }

  function send(operation: SpecOperation, request: BadRequest) {
    const call = t.http()[operation.method](request.url).set(headersOf(operation));
    if (request.raw !== undefined) return call.set('Content-Type', 'application/json').send(request.raw);
    if (request.empty) return call.set('Content-Length', '0');
    return request.body === undefined ? call : call.send(request.body as object);
  }

  const words = routeWords(operations.map((operation) => operation.path));

  const checked = operations
    .map((operation) => ({ operation, scenarios: scenariosFor(operation, words) }))
    .filter(({ scenarios }) => scenarios.length > 0);

  describe.each(
    checked.map(
      ({ operation, scenarios }) =>
        [`${operation.method.toUpperCase()} ${operation.path}`, operation, scenarios] as const,
    ),
  )('%s', (_name, operation, scenarios) => {
    const strict = scenarios.filter((scenario) => scenario.strict);
    const robust = scenarios.filter((scenario) => !scenario.strict);

    it.each(strict.map((scenario) => [scenario.kind, scenario] as const))(
      'refuses %s with a 4xx in the error envelope, and writes nothing',
      async (_kind, scenario) => {
        const refused = fc.asyncProperty(scenario.requests(fixtures), async (request) => {
          expectRefused(await send(operation, request), request.expect);
        });
        const refusedWithoutWrites = fc.asyncProperty(scenario.requests(fixtures), async (request) => {
          const { response, written } = await sendCounting(operation, request);
          expectRefused(response, request.expect);
          expectNoWrites(response, written);
        });
        // Random each time and printed by fast-check on failure; kept to replay the same inputs if rows appeared.
        const seed = Math.floor(Math.random() * 2 ** 31);
        const before = await rowCounts();
        await fc.assert(refused, { numRuns: RUNS, seed });
        const written = changedTables(before, await rowCounts());
        if (written.length === 0) return;
        // Counting around every request is slower: only to find (and shrink) the input that wrote.
        await fc.assert(refusedWithoutWrites, { numRuns: RUNS, seed });
        throw new Error(`refusals wrote to ${written.join(', ')}, but replaying seed ${seed} did not`);
      },
      120_000,
    );

    if (robust.length === 0) return;
    it.each(robust.map((scenario) => [scenario.kind, scenario] as const))(
      'never answers 5xx to %s, and writes nothing when it refuses them',
      async (_kind, scenario) => {
        let counts = await rowCounts();
        await fc.assert(
          fc.asyncProperty(scenario.requests(fixtures), async (request) => {
            const response = await send(operation, request);
            const before = counts;
            counts = await rowCounts();
            expectNoServerError(response);
            if (response.status >= 400) expectNoWrites(response, changedTables(before, counts));
          }),
          { numRuns: MAY_BE_VALID_RUNS },
        );
      },
      120_000,
    );
  });
});
