import { SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import { createTestApp, type TestApp } from './support/test-app';

/** PostgreSQL's SQLSTATEs for the invariants the schema enforces. */
const NOT_NULL_VIOLATION = '23502';
const FOREIGN_KEY_VIOLATION = '23503';
const CHECK_VIOLATION = '23514';
const NUMERIC_VALUE_OUT_OF_RANGE = '22003';

type Row = Record<string, unknown>;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe('the database schema', () => {
  let t: TestApp;
  let tenant: string;
  let otherTenant: string;

  beforeAll(async () => {
    t = await createTestApp();
    tenant = await t.createTenant();
    otherTenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const validOpportunity = (): Row => ({
    tenant_id: tenant,
    name: 'Stark Industries Deal',
    value: 1000,
    stage: 'Proposal',
    next_action_at: '2026-07-15T09:00:00Z',
    next_action_details: 'Call Pepper',
  });

  async function insert(table: string, row: Row): Promise<{ id: string }> {
    const columns = Object.keys(row);
    const placeholders = columns.map((_, index) => `$${index + 1}`);
    const [inserted] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id::text AS id`,
      Object.values(row),
    );
    return inserted;
  }

  function without(row: Row, column: string): Row {
    return Object.fromEntries(Object.entries(row).filter(([key]) => key !== column));
  }

  describe('opportunities', () => {
    it('accepts a complete row, and fills id, version and timestamps itself', async () => {
      const { id } = await insert('opportunities', validOpportunity());
      const [row] = await t.dataSource.query<{ version: number; has_times: boolean }[]>(
        `SELECT version, created_at IS NOT NULL AND updated_at IS NOT NULL AS has_times
         FROM opportunities WHERE tenant_id = $1 AND id = $2`,
        [tenant, id],
      );
      expect(row).toEqual({ version: 1, has_times: true });
    });

    it.each<[string, () => Row, string]>([
      ['without a name', () => without(validOpportunity(), 'name'), 'name'],
      ['without a value', () => without(validOpportunity(), 'value'), 'value'],
    ])('refuses a row %s (not_null_violation)', async (_case, row, column) => {
      await expect(insert('opportunities', row())).rejects.toMatchObject({
        driverError: { code: NOT_NULL_VIOLATION, column },
      });
    });

    describe('a next action exactly while open (opportunities_next_action_while_open)', () => {
      const closed = (stage: string): Row => ({
        ...validOpportunity(),
        stage,
        next_action_at: null,
        next_action_details: null,
        closed_at: '2026-07-15T10:00:00Z',
      });

      it.each(['Closed Won', 'Closed Lost'])(
        'accepts a %s row without a next action, and with the time it closed',
        async (stage) => {
          const { id } = await insert('opportunities', closed(stage));
          const [row] = await t.dataSource.query<{ stage: string; next_action_at: Date | null }[]>(
            `SELECT stage, next_action_at FROM opportunities WHERE tenant_id = $1 AND id = $2`,
            [tenant, id],
          );
          expect(row).toEqual({ stage, next_action_at: null });
        },
      );

      it.each<[string, () => Row]>([
        ['an open row without next_action_at', () => without(validOpportunity(), 'next_action_at')],
        ['an open row with a NULL next_action_at', () => ({ ...validOpportunity(), next_action_at: null })],
        [
          'an open row with NULL next_action_details',
          () => ({ ...validOpportunity(), next_action_details: null }),
        ],
        [
          'an open row without any next action',
          () => ({ ...validOpportunity(), next_action_at: null, next_action_details: null }),
        ],
        ['an open row with closed_at', () => ({ ...validOpportunity(), closed_at: '2026-07-15T10:00:00Z' })],
        [
          'a closed row with a next action',
          () => ({ ...validOpportunity(), stage: 'Closed Won', closed_at: '2026-07-15T10:00:00Z' }),
        ],
        [
          'a closed row with only next_action_at',
          () => ({ ...closed('Closed Lost'), next_action_at: '2026-07-20T09:00:00Z' }),
        ],
        [
          'a closed row with only next_action_details',
          () => ({ ...closed('Closed Won'), next_action_details: 'Call Pepper' }),
        ],
        ['a closed row without closed_at', () => ({ ...closed('Closed Won'), closed_at: null })],
      ])('refuses %s (check_violation)', async (_case, row) => {
        await expect(insert('opportunities', row())).rejects.toMatchObject({
          driverError: { code: CHECK_VIOLATION, constraint: 'opportunities_next_action_while_open' },
        });
      });

      it('refuses to reopen a closed row without giving it a next action', async () => {
        const { id } = await insert('opportunities', closed('Closed Lost'));
        await expect(
          t.dataSource.query(
            `UPDATE opportunities SET stage = 'Proposal', closed_at = NULL WHERE tenant_id = $1 AND id = $2`,
            [tenant, id],
          ),
        ).rejects.toMatchObject({
          driverError: { code: CHECK_VIOLATION, constraint: 'opportunities_next_action_while_open' },
        });
      });
    });

    it.each<[string, Row, string]>([
      [
        'whitespace-only next_action_details',
        { next_action_details: '   ' },
        'opportunities_next_action_details_length',
      ],
      ['empty next_action_details', { next_action_details: '' }, 'opportunities_next_action_details_length'],
      [
        'next_action_details over 1000 characters',
        { next_action_details: 'x'.repeat(1001) },
        'opportunities_next_action_details_length',
      ],
      ['a whitespace-only name', { name: '  ' }, 'opportunities_name_length'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, 'opportunities_name_length'],
      ['a negative value', { value: -0.01 }, 'opportunities_value_not_negative'],
      ['an unknown stage', { stage: 'Won' }, 'opportunities_stage_known'],
      ['a stage in another case', { stage: 'proposal' }, 'opportunities_stage_known'],
      [
        'a negative reschedule_count',
        { reschedule_count: -1 },
        'opportunities_reschedule_count_not_negative',
      ],
      ['version 0', { version: 0 }, 'opportunities_version_positive'],
    ])('refuses a row with %s (check_violation)', async (_case, change, constraint) => {
      await expect(insert('opportunities', { ...validOpportunity(), ...change })).rejects.toMatchObject({
        driverError: { code: CHECK_VIOLATION, constraint },
      });
    });

    it('refuses a value beyond numeric(14,2)', async () => {
      await expect(
        insert('opportunities', { ...validOpportunity(), value: '1000000000000.00' }),
      ).rejects.toMatchObject({ driverError: { code: NUMERIC_VALUE_OUT_OF_RANGE } });
    });

    it('refuses a row for an unknown tenant (foreign_key_violation)', async () => {
      await expect(
        insert('opportunities', { ...validOpportunity(), tenant_id: 'no-such-tenant' }),
      ).rejects.toMatchObject({ driverError: { code: FOREIGN_KEY_VIOLATION } });
    });
  });

  describe('opportunity_actions', () => {
    const action = (tenantId: string, opportunityId: string): Row => ({
      tenant_id: tenantId,
      opportunity_id: opportunityId,
      type: 'completed',
      occurred_at: '2026-07-15T10:00:00Z',
      details: 'Called Pepper',
      due_at: '2026-07-15T09:00:00Z',
      completed_at: '2026-07-15T10:00:00Z',
    });

    /** One valid event of each type, with only the fields that type carries. */
    const events = (opportunityId: string): Record<string, Row> => {
      const base = { tenant_id: tenant, opportunity_id: opportunityId, occurred_at: '2026-07-15T10:00:00Z' };
      return {
        created: {
          ...base,
          type: 'created',
          to_stage: 'Proposal',
          next_action_at: '2026-07-16T09:00:00Z',
          details: 'Call Pepper',
        },
        completed: action(tenant, opportunityId),
        rescheduled: {
          ...base,
          type: 'rescheduled',
          previous_next_action_at: '2026-07-16T09:00:00Z',
          next_action_at: '2026-07-18T09:00:00Z',
          reason: 'Pepper is travelling',
        },
        stage_changed: { ...base, type: 'stage_changed', from_stage: 'Proposal', to_stage: 'Negotiation' },
        closed: { ...base, type: 'closed', from_stage: 'Negotiation', to_stage: 'Closed Won' },
        reopened: {
          ...base,
          type: 'reopened',
          from_stage: 'Closed Won',
          to_stage: 'Qualification',
          next_action_at: '2026-07-20T09:00:00Z',
          details: 'Call the new buyer',
        },
      };
    };

    it("accepts an action of the tenant's own opportunity", async () => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(insert('opportunity_actions', action(tenant, id))).resolves.toHaveProperty('id');
    });

    it.each(['created', 'completed', 'rescheduled', 'stage_changed', 'closed', 'reopened'])(
      'accepts a %s event with the fields of its type',
      async (type) => {
        const { id } = await insert('opportunities', validOpportunity());
        await expect(insert('opportunity_actions', events(id)[type])).resolves.toHaveProperty('id');
      },
    );

    it("refuses an action that points at another tenant's opportunity (foreign_key_violation)", async () => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(insert('opportunity_actions', action(otherTenant, id))).rejects.toMatchObject({
        driverError: { code: FOREIGN_KEY_VIOLATION },
      });
    });

    it.each(['type', 'occurred_at'])('refuses an event without %s (not_null_violation)', async (column) => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(insert('opportunity_actions', without(action(tenant, id), column))).rejects.toMatchObject({
        driverError: { code: NOT_NULL_VIOLATION, column },
      });
    });

    it.each<[string, string, Row, string]>([
      ['an unknown type', 'completed', { type: 'deleted' }, 'opportunity_actions_type_known'],
      [
        'a completed event without details',
        'completed',
        { details: null },
        'opportunity_actions_completed_fields',
      ],
      [
        'a completed event without due_at',
        'completed',
        { due_at: null },
        'opportunity_actions_completed_fields',
      ],
      [
        'a completed event without completed_at',
        'completed',
        { completed_at: null },
        'opportunity_actions_completed_fields',
      ],
      [
        'a rescheduled event without a reason',
        'rescheduled',
        { reason: null },
        'opportunity_actions_rescheduled_fields',
      ],
      [
        'a rescheduled event without the previous date',
        'rescheduled',
        { previous_next_action_at: null },
        'opportunity_actions_rescheduled_fields',
      ],
      [
        'a rescheduled event without the new date',
        'rescheduled',
        { next_action_at: null },
        'opportunity_actions_rescheduled_fields',
      ],
      [
        'a reason over 500 characters',
        'rescheduled',
        { reason: 'x'.repeat(501) },
        'opportunity_actions_reason_length',
      ],
      [
        'a stage change without from_stage',
        'stage_changed',
        { from_stage: null },
        'opportunity_actions_stage_fields',
      ],
      ['a closed event without to_stage', 'closed', { to_stage: null }, 'opportunity_actions_stage_fields'],
      [
        'a created event without its next action date',
        'created',
        { next_action_at: null },
        'opportunity_actions_next_action_fields',
      ],
      [
        'a reopened event without details',
        'reopened',
        { details: null },
        'opportunity_actions_next_action_fields',
      ],
    ])('refuses %s (check_violation)', async (_case, type, change, constraint) => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(insert('opportunity_actions', { ...events(id)[type], ...change })).rejects.toMatchObject({
        driverError: { code: CHECK_VIOLATION, constraint },
      });
    });
  });

  describe('tenants', () => {
    const validTenant = (id: string): Row => ({
      id,
      name: 'Wayne Enterprises',
      timezone: 'UTC',
      currency: 'USD',
    });

    it.each<[string, Row, string]>([
      ['an uppercase id', validTenant('Wayne-Enterprises'), 'tenants_id_format'],
      ['a one-character id', validTenant('w'), 'tenants_id_format'],
      ['an id starting with a hyphen', validTenant('-wayne'), 'tenants_id_format'],
      [
        'a lowercase currency',
        { ...validTenant('wayne-lowercase-currency'), currency: 'usd' },
        'tenants_currency_format',
      ],
      ['a blank time zone', { ...validTenant('wayne-blank-zone'), timezone: ' ' }, 'tenants_timezone_known'],
      [
        'a time zone PostgreSQL does not know',
        { ...validTenant('wayne-mars-zone'), timezone: 'Mars/Olympus_Mons' },
        'tenants_timezone_known',
      ],
    ])('refuses a tenant with %s (check_violation)', async (_case, row, constraint) => {
      await expect(insert('tenants', row)).rejects.toMatchObject({
        driverError: { code: CHECK_VIOLATION, constraint },
      });
    });
  });

  describe('query plans', () => {
    /** The planner's choice with sequential scans ruled out, inside a transaction that is rolled back. */
    async function planOf(sql: string, parameters: unknown[], setup: string[] = []): Promise<PlanNode[]> {
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`SET LOCAL enable_seqscan = off`);
        for (const statement of setup) await runner.query(statement);
        const [row] = (await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)) as {
          'QUERY PLAN': { Plan: PlanNode }[];
        }[];
        return nodesOf(row['QUERY PLAN'][0].Plan);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }

    const indexesOf = (nodes: PlanNode[]) => nodes.flatMap((node) => node['Index Name'] ?? []);
    const nodeTypesOf = (nodes: PlanNode[]) => nodes.map((node) => node['Node Type']);

    /** A tenant with a real pipeline's volume, and one deal with a long timeline. */
    let planned: string;
    let longLived: string;

    // With a handful of rows and whatever statistics the other test files left behind, the planner may prefer
    // any index on tenant_id and sort the few rows; the volume makes the question the one production asks.
    beforeAll(async () => {
      planned = await t.createTenant();
      await t.dataSource.query(
        `INSERT INTO opportunities (tenant_id, name, value, stage, next_action_at, next_action_details)
         SELECT $1, 'Deal ' || n, n, 'Prospecting', $2::timestamptz + n * interval '1 minute',
                'Call back about ' || md5(n::text)
         FROM generate_series(1, 3000) AS n`,
        [planned, '2026-07-15T09:00:00Z'],
      );
      const [deal] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id::text AS id FROM opportunities WHERE tenant_id = $1 ORDER BY id LIMIT 1`,
        [planned],
      );
      longLived = deal.id;
      await t.dataSource.query(
        `INSERT INTO opportunity_actions
           (tenant_id, opportunity_id, type, occurred_at, previous_next_action_at, next_action_at, reason)
         SELECT $1, $2, 'rescheduled', $3::timestamptz + n * interval '1 hour',
                $3::timestamptz + n * interval '1 day', $3::timestamptz + (n + 1) * interval '1 day', 'Busy'
         FROM generate_series(1, 2000) AS n`,
        [planned, longLived, '2026-01-01T09:00:00Z'],
      );
      await t.dataSource.query(`ANALYZE opportunities`);
      await t.dataSource.query(`ANALYZE opportunity_actions`);
    });

    it('serves the due query from opportunities_due_idx, in index order, without sorting', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunities WHERE tenant_id = $1 AND next_action_at < $2
         ORDER BY next_action_at, id LIMIT 101`,
        [planned, '2026-07-16T00:00:00Z'],
      );
      expect(indexesOf(nodes)).toEqual(['opportunities_due_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });

    it('serves the next page of the due query from the same index', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunities WHERE tenant_id = $1 AND next_action_at < $2
           AND (next_action_at, id) > ($3, $4)
         ORDER BY next_action_at, id LIMIT 101`,
        [planned, '2026-07-16T00:00:00Z', '2026-07-15T10:00:00Z', '00000000-0000-0000-0000-000000000000'],
      );
      expect(indexesOf(nodes)).toEqual(['opportunities_due_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });

    it('serves the timeline, newest first, from opportunity_actions_timeline_idx without sorting', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunity_actions WHERE tenant_id = $1 AND opportunity_id = $2
         ORDER BY occurred_at DESC, id DESC LIMIT 101`,
        [planned, longLived],
      );
      expect(indexesOf(nodes)).toEqual(['opportunity_actions_timeline_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });

    it('serves the next page of the timeline from the same index', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunity_actions WHERE tenant_id = $1 AND opportunity_id = $2
           AND (occurred_at, id) < ($3, $4)
         ORDER BY occurred_at DESC, id DESC LIMIT 101`,
        [planned, longLived, '2026-03-01T09:00:00Z', '00000000-0000-0000-0000-000000000000'],
      );
      expect(indexesOf(nodes)).toEqual(['opportunity_actions_timeline_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });

    it('can serve the team search of the list (q) from opportunities_search_idx, as the API queries it', async () => {
      // The SQL the app sends for GET /opportunities?q=…, taken from the query builder that ran it.
      const built = jest.spyOn(SelectQueryBuilder.prototype, 'getMany');
      let query: [string, unknown[]];
      try {
        const response = await t
          .http()
          .get('/api/v1/opportunities')
          .set(t.headersFor(planned))
          .query({ q: 'Acme Corp', status: 'all', scope: 'team' });
        expect(response.status).toBe(200);
        const [builder] = built.mock.contexts as SelectQueryBuilder<ObjectLiteral>[];
        query = builder.getQueryAndParameters();
      } finally {
        built.mockRestore();
      }
      expect(query[0]).toMatch(/ILIKE/);
      // Freshly inserted rows wait in GIN's pending list until (auto)vacuum merges them, and the planner prices
      // an index scan as reading that whole list: merge it first, as a server in use would have.
      const nodes = await planOf(query[0], query[1], [
        `SELECT gin_clean_pending_list('opportunities_search_idx'::regclass)`,
      ]);
      expect(indexesOf(nodes)).toContain('opportunities_search_idx');
    });

    it('keeps no index of the history by completed_at, which the timeline replaced', async () => {
      const rows = await t.dataSource.query<{ indexname: string }[]>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'opportunity_actions' ORDER BY indexname`,
      );
      expect(rows.map((row) => row.indexname)).not.toContain('opportunity_actions_history_idx');
      expect(rows.map((row) => row.indexname)).toContain('opportunity_actions_timeline_idx');
    });
  });
});
