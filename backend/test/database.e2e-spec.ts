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

    it.each<[string, () => Row, string, string]>([
      [
        'without next_action_at',
        () => without(validOpportunity(), 'next_action_at'),
        NOT_NULL_VIOLATION,
        'next_action_at',
      ],
      [
        'with a NULL next_action_at',
        () => ({ ...validOpportunity(), next_action_at: null }),
        NOT_NULL_VIOLATION,
        'next_action_at',
      ],
      [
        'with NULL next_action_details',
        () => ({ ...validOpportunity(), next_action_details: null }),
        NOT_NULL_VIOLATION,
        'next_action_details',
      ],
      ['without a name', () => without(validOpportunity(), 'name'), NOT_NULL_VIOLATION, 'name'],
      ['without a value', () => without(validOpportunity(), 'value'), NOT_NULL_VIOLATION, 'value'],
    ])('refuses a row %s (not_null_violation)', async (_case, row, code, column) => {
      await expect(insert('opportunities', row())).rejects.toMatchObject({ driverError: { code, column } });
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
      ['an unknown stage', { stage: 'Closed Won' }, 'opportunities_stage_known'],
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
      details: 'Called Pepper',
      due_at: '2026-07-15T09:00:00Z',
      completed_at: '2026-07-15T10:00:00Z',
    });

    it("accepts an action of the tenant's own opportunity", async () => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(insert('opportunity_actions', action(tenant, id))).resolves.toHaveProperty('id');
    });

    it("refuses an action that points at another tenant's opportunity (foreign_key_violation)", async () => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(insert('opportunity_actions', action(otherTenant, id))).rejects.toMatchObject({
        driverError: { code: FOREIGN_KEY_VIOLATION },
      });
    });

    it('refuses an action without details (not_null_violation)', async () => {
      const { id } = await insert('opportunities', validOpportunity());
      await expect(
        insert('opportunity_actions', { ...action(tenant, id), details: null }),
      ).rejects.toMatchObject({ driverError: { code: NOT_NULL_VIOLATION, column: 'details' } });
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
    async function planOf(sql: string, parameters: unknown[]): Promise<PlanNode[]> {
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`SET LOCAL enable_seqscan = off`);
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

    it('serves the due query from opportunities_due_idx, in index order, without sorting', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunities WHERE tenant_id = $1 AND next_action_at < $2
         ORDER BY next_action_at, id LIMIT 101`,
        [tenant, '2026-07-16T00:00:00Z'],
      );
      expect(indexesOf(nodes)).toEqual(['opportunities_due_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });

    it('serves the next page of the due query from the same index', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunities WHERE tenant_id = $1 AND next_action_at < $2
           AND (next_action_at, id) > ($3, $4)
         ORDER BY next_action_at, id LIMIT 101`,
        [tenant, '2026-07-16T00:00:00Z', '2026-07-15T09:00:00Z', '00000000-0000-0000-0000-000000000000'],
      );
      expect(indexesOf(nodes)).toEqual(['opportunities_due_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });

    it('serves the history, newest first, from opportunity_actions_history_idx without sorting', async () => {
      const nodes = await planOf(
        `SELECT * FROM opportunity_actions WHERE tenant_id = $1 AND opportunity_id = $2
         ORDER BY completed_at DESC, id DESC LIMIT 101`,
        [tenant, '00000000-0000-0000-0000-000000000000'],
      );
      expect(indexesOf(nodes)).toEqual(['opportunity_actions_history_idx']);
      expect(nodeTypesOf(nodes)).not.toContain('Sort');
    });
  });
});
