import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Response } from 'supertest';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { OpportunitiesRepository } from '../src/opportunities/opportunities.repository';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const OPPORTUNITIES = '/api/v1/opportunities';
const VALIDATION_DETAIL = 'The request is invalid: see errors for each field.';

type Body = Record<string, unknown>;

/** The error envelope as a client reads it: error codes are plain strings on the wire. */
interface ErrorBody {
  detail: string;
  error_code: string;
  errors?: { field: string; message: string }[];
}

const VALID_OPPORTUNITY: Body = {
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Proposal',
  next_action_at: '2026-07-20T10:00:00Z',
  next_action_details: 'Send the proposal',
};

const VALID_COMPLETION: Body = {
  new_next_action_at: '2026-07-20T10:00:00Z',
  new_next_action_details: 'Call about the proposal',
  expected_version: 1,
  notes: 'Sent it',
};

function without(body: Body, field: string): Body {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== field));
}

/** What must never reach a client: stack frames, driver or ORM names, SQL. */
function expectNoInternals(response: Response): void {
  expect(response.text).not.toMatch(/\n\s+at |\(\/.*:\d+:\d+\)|node_modules|\.ts:\d+/);
  expect(response.text).not.toContain('QueryFailedError');
  expect(response.text).not.toContain('SELECT');
  expect(response.text).not.toContain('INSERT');
  expect(response.text).not.toMatch(/typeorm/i);
}

function expectError(response: Response, status: number, body: ErrorBody): void {
  expect(response.status).toBe(status);
  expect(response.get('Content-Type')).toMatch(/^application\/json/);
  expect(response.body).toEqual(body);
  expectNoInternals(response);
}

/** The envelope with exactly one entry, for `field`, whose message names the field. */
function expectValidationError(response: Response, field: string): void {
  expect(response.status).toBe(400);
  const { detail, error_code, errors, ...rest } = response.body as ErrorBody;
  expect(rest).toEqual({});
  expect(detail).toBe(VALIDATION_DETAIL);
  expect(error_code).toBe('VALIDATION_ERROR');
  expect(errors?.map((error) => error.field)).toEqual([field]);
  expect(errors?.[0]?.message).toContain(field);
  expectNoInternals(response);
}

describe('request validation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  async function countRows(table: 'opportunities' | 'opportunity_actions', tenant: string): Promise<number> {
    const [row] = await t.dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM ${table} WHERE tenant_id = $1`,
      [tenant],
    );
    return Number(row.count);
  }

  /** The types of the tenant's timeline events: a refused change must not have added one. */
  async function eventTypes(tenant: string): Promise<string[]> {
    const rows = await t.dataSource.query<{ type: string }[]>(
      `SELECT type FROM opportunity_actions WHERE tenant_id = $1 ORDER BY type`,
      [tenant],
    );
    return rows.map((row) => row.type);
  }

  describe('POST /opportunities', () => {
    let tenant: string;

    beforeAll(async () => {
      tenant = await t.createTenant();
    });
    afterEach(async () => {
      expect(await countRows('opportunities', tenant)).toBe(0);
      expect(await countRows('opportunity_actions', tenant)).toBe(0);
    });

    const post = (body: Body) => t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send(body);

    it.each<[string, Body, string]>([
      ['name is missing', without(VALID_OPPORTUNITY, 'name'), 'name'],
      ['name is empty', { ...VALID_OPPORTUNITY, name: '' }, 'name'],
      ['name is whitespace only', { ...VALID_OPPORTUNITY, name: ' \t  \n' }, 'name'],
      ['name is longer than 200 characters', { ...VALID_OPPORTUNITY, name: 'x'.repeat(201) }, 'name'],
      ['name is not a string', { ...VALID_OPPORTUNITY, name: 42 }, 'name'],
      ['value is missing', without(VALID_OPPORTUNITY, 'value'), 'value'],
      ['value is negative', { ...VALID_OPPORTUNITY, value: -0.01 }, 'value'],
      ['value has three decimals', { ...VALID_OPPORTUNITY, value: 10.125 }, 'value'],
      ['value is above 999999999999.99', { ...VALID_OPPORTUNITY, value: 1_000_000_000_000 }, 'value'],
      ['value is a numeric string', { ...VALID_OPPORTUNITY, value: '50000' }, 'value'],
      ['value is null', { ...VALID_OPPORTUNITY, value: null }, 'value'],
      ['stage is unknown', { ...VALID_OPPORTUNITY, stage: 'Closed Won' }, 'stage'],
      ['stage differs in case', { ...VALID_OPPORTUNITY, stage: 'proposal' }, 'stage'],
      ['next_action_at is missing', without(VALID_OPPORTUNITY, 'next_action_at'), 'next_action_at'],
      [
        'next_action_at has no offset',
        { ...VALID_OPPORTUNITY, next_action_at: '2026-07-20T10:00:00' },
        'next_action_at',
      ],
      [
        'next_action_at is a bare date',
        { ...VALID_OPPORTUNITY, next_action_at: '2026-07-20' },
        'next_action_at',
      ],
      [
        'next_action_at is not a calendar date',
        { ...VALID_OPPORTUNITY, next_action_at: '2026-02-30T10:00:00Z' },
        'next_action_at',
      ],
      [
        'next_action_at has hour 25',
        { ...VALID_OPPORTUNITY, next_action_at: '2026-07-20T25:00:00Z' },
        'next_action_at',
      ],
      [
        'next_action_at is epoch milliseconds',
        { ...VALID_OPPORTUNITY, next_action_at: 1784541600000 },
        'next_action_at',
      ],
      [
        'next_action_details is missing',
        without(VALID_OPPORTUNITY, 'next_action_details'),
        'next_action_details',
      ],
      [
        'next_action_details is whitespace only',
        { ...VALID_OPPORTUNITY, next_action_details: '   ' },
        'next_action_details',
      ],
      [
        'next_action_details is longer than 1000 characters',
        { ...VALID_OPPORTUNITY, next_action_details: 'x'.repeat(1001) },
        'next_action_details',
      ],
      ['an unknown field is sent', { ...VALID_OPPORTUNITY, owner: 'me' }, 'owner'],
    ])('answers 400 VALIDATION_ERROR and creates nothing when %s', async (_case, body, field) => {
      expectValidationError(await post(body), field);
    });

    it('reports every missing field of an empty object at once', async () => {
      const response = await post({});
      expect(response.status).toBe(400);
      expect((response.body as ErrorBody).errors?.map((error) => error.field).sort()).toEqual([
        'name',
        'next_action_at',
        'next_action_details',
        'stage',
        'value',
      ]);
      expectNoInternals(response);
    });

    it('says that an unknown field is not accepted', async () => {
      const response = await post({ ...VALID_OPPORTUNITY, owner: 'me' });
      expect((response.body as ErrorBody).errors).toEqual([
        { field: 'owner', message: 'owner is not an accepted field' },
      ]);
    });

    // Input the rules above let through but PostgreSQL cannot store: it must still be a 400, not a 500.
    it.each<[string, Body, string]>([
      [
        'value is 1e-7, more than two decimals in exponent notation',
        { ...VALID_OPPORTUNITY, value: 1e-7 },
        'value',
      ],
      ['name contains a NUL character', { ...VALID_OPPORTUNITY, name: 'Acme\u0000Corp' }, 'name'],
      [
        'name is one letter and 200 emoji variation selectors (201 characters to PostgreSQL)',
        { ...VALID_OPPORTUNITY, name: `A${'\uFE0F'.repeat(200)}` },
        'name',
      ],
      [
        'next_action_details is 600 hearts with variation selectors (1200 characters to PostgreSQL)',
        { ...VALID_OPPORTUNITY, next_action_details: '\u2764\uFE0F'.repeat(600) },
        'next_action_details',
      ],
    ])('answers 400 VALIDATION_ERROR, not 500, when %s', async (_case, body, field) => {
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        expectValidationError(await post(body), field);
      } finally {
        logged.mockRestore();
      }
    });
  });

  describe('accepted boundaries', () => {
    it('accepts the largest and smallest values and lengths, and trims surrounding whitespace', async () => {
      const tenant = await t.createTenant();
      const body = {
        name: `  ${'n'.repeat(200)}  `,
        value: 999_999_999_999.99,
        stage: 'Negotiation',
        next_action_at: '2026-07-20T10:00:00.5+05:30',
        next_action_details: `\t${'d'.repeat(1000)}\n`,
      };
      const created = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send(body);
      expect(created.status).toBe(201);
      const id = (created.body as OpportunityDto).id;
      const fetched = await t.http().get(`${OPPORTUNITIES}/${id}`).set(t.headersFor(tenant));
      expect(fetched.body).toMatchObject({
        name: 'n'.repeat(200),
        value: 999_999_999_999.99,
        next_action_at: '2026-07-20T04:30:00.500Z',
        next_action_details: 'd'.repeat(1000),
      });

      const free = await t
        .http()
        .post(OPPORTUNITIES)
        .set(t.headersFor(tenant))
        .send({ ...VALID_OPPORTUNITY, value: 0 });
      expect(free.status).toBe(201);
      expect((free.body as OpportunityDto).value).toBe(0);
    });
  });

  describe('POST /opportunities/{id}/complete_action', () => {
    let tenant: string;
    let opportunity: OpportunityDto;

    beforeAll(async () => {
      tenant = await t.createTenant();
      const created = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send(VALID_OPPORTUNITY);
      opportunity = created.body as OpportunityDto;
    });
    afterEach(async () => {
      const fetched = await t.http().get(`${OPPORTUNITIES}/${opportunity.id}`).set(t.headersFor(tenant));
      expect(fetched.body).toEqual(opportunity);
      expect(await eventTypes(tenant)).toEqual(['created']);
    });

    const complete = (body: Body) =>
      t
        .http()
        .post(`${OPPORTUNITIES}/${opportunity.id}/complete_action`)
        .set(t.headersFor(tenant))
        .send(body);

    it.each<[string, Body, string]>([
      [
        'new_next_action_at is a millisecond ago',
        { ...VALID_COMPLETION, new_next_action_at: '2026-07-15T11:59:59.999Z' },
        'new_next_action_at',
      ],
      [
        'new_next_action_at is exactly now',
        { ...VALID_COMPLETION, new_next_action_at: '2026-07-15T12:00:00.000Z' },
        'new_next_action_at',
      ],
      [
        'new_next_action_at is exactly now written in another offset',
        { ...VALID_COMPLETION, new_next_action_at: '2026-07-15T14:00:00+02:00' },
        'new_next_action_at',
      ],
      [
        'new_next_action_at is missing',
        without(VALID_COMPLETION, 'new_next_action_at'),
        'new_next_action_at',
      ],
      [
        'new_next_action_at is a bare date',
        { ...VALID_COMPLETION, new_next_action_at: '2026-07-20' },
        'new_next_action_at',
      ],
      [
        'new_next_action_details is missing',
        without(VALID_COMPLETION, 'new_next_action_details'),
        'new_next_action_details',
      ],
      [
        'new_next_action_details is whitespace only',
        { ...VALID_COMPLETION, new_next_action_details: '  ' },
        'new_next_action_details',
      ],
      [
        'new_next_action_details is longer than 1000 characters',
        { ...VALID_COMPLETION, new_next_action_details: 'x'.repeat(1001) },
        'new_next_action_details',
      ],
      ['expected_version is 0', { ...VALID_COMPLETION, expected_version: 0 }, 'expected_version'],
      ['expected_version is 1.5', { ...VALID_COMPLETION, expected_version: 1.5 }, 'expected_version'],
      [
        'expected_version is the string "1"',
        { ...VALID_COMPLETION, expected_version: '1' },
        'expected_version',
      ],
      ['notes are longer than 5000 characters', { ...VALID_COMPLETION, notes: 'x'.repeat(5001) }, 'notes'],
      ['notes are a number', { ...VALID_COMPLETION, notes: 42 }, 'notes'],
      ['an unknown field is sent', { ...VALID_COMPLETION, priority: 'high' }, 'priority'],
    ])('answers 400 VALIDATION_ERROR and changes nothing when %s', async (_case, body, field) => {
      expectValidationError(await complete(body), field);
    });

    it.each<[string, Body, string]>([
      ['notes contain a NUL character', { ...VALID_COMPLETION, notes: 'Called\u0000' }, 'notes'],
      [
        'new_next_action_details contains a NUL character',
        { ...VALID_COMPLETION, new_next_action_details: 'Call\u0000back' },
        'new_next_action_details',
      ],
    ])('answers 400 VALIDATION_ERROR, not 500, and changes nothing when %s', async (_case, body, field) => {
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        expectValidationError(await complete(body), field);
      } finally {
        logged.mockRestore();
      }
    });

    it('says why a date that is not in the future is refused', async () => {
      const response = await complete({ ...VALID_COMPLETION, new_next_action_at: NOW });
      expect((response.body as ErrorBody).errors).toEqual([
        { field: 'new_next_action_at', message: 'new_next_action_at must be in the future' },
      ]);
    });
  });

  describe('request bodies', () => {
    let tenant: string;
    let opportunity: OpportunityDto;

    beforeAll(async () => {
      tenant = await t.createTenant();
      const created = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send(VALID_OPPORTUNITY);
      opportunity = created.body as OpportunityDto;
    });
    afterEach(async () => {
      expect(await countRows('opportunities', tenant)).toBe(1);
      expect(await eventTypes(tenant)).toEqual(['created']);
    });

    interface BodyRoute {
      method: 'post' | 'patch';
      path: string;
    }
    const request = ({ method, path }: BodyRoute) =>
      (method === 'patch' ? t.http().patch(path) : t.http().post(path)).set(t.headersFor(tenant));
    const postRaw = (route: BodyRoute | string, contentType: string, body: string) =>
      request(typeof route === 'string' ? { method: 'post', path: route } : route)
        .set('Content-Type', contentType)
        .send(body);
    /** Every route that reads a JSON body. */
    const bodyRoutes = (): BodyRoute[] => [
      { method: 'post', path: OPPORTUNITIES },
      { method: 'post', path: `${OPPORTUNITIES}/${opportunity.id}/complete_action` },
      { method: 'patch', path: `${OPPORTUNITIES}/${opportunity.id}` },
      { method: 'post', path: `${OPPORTUNITIES}/${opportunity.id}/reschedule` },
      { method: 'post', path: `${OPPORTUNITIES}/${opportunity.id}/close` },
      { method: 'post', path: `${OPPORTUNITIES}/${opportunity.id}/reopen` },
      { method: 'post', path: `${OPPORTUNITIES}/bulk/complete` },
      { method: 'post', path: `${OPPORTUNITIES}/bulk/reschedule` },
    ];

    it('answers a request without a body with the missing fields, not with 415', async () => {
      for (const route of bodyRoutes()) {
        const response = await request(route).set('Content-Length', '0');
        expect(response.status).toBe(400);
        expect(response.body.error_code).toBe('VALIDATION_ERROR');
        expect(response.body.errors.length).toBeGreaterThan(0);
      }
    });

    it.each([
      ['a truncated object', '{"name": '],
      ['unquoted keys', '{name: "Acme"}'],
      ['single quotes', "{'name': 'Acme'}"],
      ['a trailing comma', '{"name": "Acme",}'],
      ['a bare null', 'null'],
      ['a bare string', '"Acme"'],
    ])('answers 400 MALFORMED_JSON for %s', async (_case, text) => {
      for (const route of bodyRoutes()) {
        expectError(await postRaw(route, 'application/json', text), 400, {
          detail: 'The request body is not valid JSON.',
          error_code: 'MALFORMED_JSON',
        });
      }
    });

    it.each([
      ['text/plain', JSON.stringify(VALID_OPPORTUNITY)],
      ['application/x-www-form-urlencoded', 'name=Acme&value=1'],
      ['application/xml', '<opportunity/>'],
    ])('answers 415 UNSUPPORTED_MEDIA_TYPE for a %s body', async (contentType, text) => {
      for (const route of bodyRoutes()) {
        expectError(await postRaw(route, contentType, text), 415, {
          detail: 'Send the request body as application/json.',
          error_code: 'UNSUPPORTED_MEDIA_TYPE',
        });
      }
    });

    it('answers 415 UNSUPPORTED_MEDIA_TYPE for JSON in a charset other than UTF-8', async () => {
      const response = await postRaw(
        OPPORTUNITIES,
        'application/json; charset=latin1',
        JSON.stringify(VALID_OPPORTUNITY),
      );
      expectError(response, 415, {
        detail: 'The request body encoding is not supported.',
        error_code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    });

    it('answers 413 PAYLOAD_TOO_LARGE for a body over 100 kB', async () => {
      const huge = JSON.stringify({ ...VALID_OPPORTUNITY, name: 'x'.repeat(101 * 1024) });
      for (const route of bodyRoutes()) {
        expectError(await postRaw(route, 'application/json', huge), 413, {
          detail: 'The request body is larger than 100 kB.',
          error_code: 'PAYLOAD_TOO_LARGE',
        });
      }
    });

    it('validates a body just under 100 kB instead of refusing its size', async () => {
      const large = JSON.stringify({ ...VALID_OPPORTUNITY, name: 'x'.repeat(99 * 1024) });
      expectValidationError(await postRaw(OPPORTUNITIES, 'application/json', large), 'name');
    });
  });

  describe('paths', () => {
    let tenant: string;

    beforeAll(async () => {
      tenant = await t.createTenant();
    });

    it.each<[string, string, Body | undefined]>([
      ['GET', '', undefined],
      ['GET', '/actions', undefined],
      ['POST', '/complete_action', VALID_COMPLETION],
      ['PATCH', '', { name: 'Renamed' }],
      ['POST', '/reschedule', { new_next_action_at: '2026-07-20T10:00:00Z', reason: 'Busy' }],
      ['POST', '/close', { outcome: 'won' }],
      [
        'POST',
        '/reopen',
        { stage: 'Proposal', next_action_at: '2026-07-20T10:00:00Z', next_action_details: 'Call' },
      ],
    ])(
      'answers 400 VALIDATION_ERROR naming id for %s /opportunities/{id}%s with a non-UUID id',
      async (method, suffix, body) => {
        for (const id of ['not-a-uuid', '42', `${randomUUID()}x`, "1' OR '1'='1"]) {
          const path = `${OPPORTUNITIES}/${encodeURIComponent(id)}${suffix}`;
          const agent = t.http();
          const request =
            method === 'GET'
              ? agent.get(path)
              : method === 'PATCH'
                ? agent.patch(path).send(body)
                : agent.post(path).send(body);
          const response = await request.set(t.headersFor(tenant));
          expectError(response, 400, {
            detail: VALIDATION_DETAIL,
            error_code: 'VALIDATION_ERROR',
            errors: [{ field: 'id', message: 'id must be a UUID' }],
          });
        }
      },
    );

    it.each([
      ['GET', '/api/v1/nope'],
      ['GET', '/api/v2/opportunities/due'],
      ['GET', '/opportunities/due'],
      ['DELETE', `/api/v1/opportunities/${randomUUID()}`],
      ['PUT', `/api/v1/opportunities/${randomUUID()}`],
    ])('answers 404 NOT_FOUND in the error envelope for %s %s', async (method, path) => {
      const agent = t.http();
      const request =
        method === 'GET' ? agent.get(path) : method === 'PUT' ? agent.put(path).send({}) : agent.delete(path);
      expectError(await request.set(t.headersFor(tenant)), 404, {
        detail: `No route for ${method} ${path}`,
        error_code: 'NOT_FOUND',
      });
    });
  });

  describe('unexpected failures', () => {
    it('answers a database failure with a bare 500 INTERNAL_ERROR and logs it instead', async () => {
      // A failure no validation can foresee: the database refuses a query, with SQL in its message.
      const tenant = await t.createTenant();
      const repository = t.app.get(OpportunitiesRepository);
      const failing = jest
        .spyOn(repository, 'findDue')
        .mockRejectedValue(new Error('relation "opportunities" does not exist: SELECT * FROM opportunities'));
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const response = await t.http().get(`${OPPORTUNITIES}/due`).set(t.headersFor(tenant));
        expectError(response, 500, {
          detail: 'An unexpected error occurred. It has been logged.',
          error_code: 'INTERNAL_ERROR',
        });
        expect(logged).toHaveBeenCalledTimes(1);
        expect(String(logged.mock.calls[0]?.[0])).toContain('SELECT * FROM opportunities');
      } finally {
        logged.mockRestore();
        failing.mockRestore();
      }
    });
  });
});
