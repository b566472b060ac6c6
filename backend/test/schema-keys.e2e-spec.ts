import 'reflect-metadata';
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';

/**
 * NAT's scale-out path (docs/scaling.md) shards every tenant-owned table by tenant_id with Citus. Citus cannot
 * be installed here, so this reads PostgreSQL's catalog and holds the schema to the rules `create_distributed_table`
 * and `create_reference_table` enforce, so that a migration that would block the move fails today instead.
 */

/** Where a table that has no tenant_id column goes in a Citus cluster. */
type Placement =
  | { kind: 'reference'; why: string }
  | { kind: 'local'; why: string }
  | { kind: 'distributed'; column: string; why: string };

interface Declarations {
  /** Tables without tenant_id, by name as `regclass` prints it. Every other table must have tenant_id. */
  notTenantOwned: Record<string, Placement>;
  /** Constraints or indexes, by name, that break a rule knowingly: the reason names the fix the move needs. */
  exceptions: Record<string, string>;
}

const NAT: Declarations = {
  notTenantOwned: {
    tenants: {
      kind: 'distributed',
      column: 'id',
      why: "one row per tenant, co-located with the tenant's data (tenant tables reference it by tenant_id)",
    },
    users: {
      kind: 'reference',
      why: 'a person is a member of several tenants: a copy on every node, joined locally',
    },
    refresh_tokens: { kind: 'local', why: "a user's sessions, not a tenant's: on the coordinator" },
    auth_events: { kind: 'local', why: 'failed sign-ins before any tenant is known: on the coordinator' },
    rate_limits: { kind: 'local', why: 'shared counters keyed by address or account: on the coordinator' },
    migrations: { kind: 'local', why: "TypeORM's record of applied migrations" },
  },
  exceptions: {
    invitations_token_idx:
      'an invitation link names no tenant; docs/scaling.md moves the token lookup out before distributing',
    opportunities_owner_is_member:
      'ON DELETE SET NULL (owner_id); docs/scaling.md makes it NO ACTION and nulls owners in the removal',
  },
};

const TENANT_COLUMN = 'tenant_id';

interface TableRow {
  table: string;
  tenant_id_type: string | null;
  primary_key: string[] | null;
}

interface UniqueRow {
  name: string;
  table: string;
  columns: string[];
}

interface ForeignKeyRow {
  name: string;
  from_table: string;
  to_table: string;
  from_columns: string[];
  to_columns: string[];
  /** pg_constraint's action codes: a no action, r restrict, c cascade, n set null, d set default. */
  on_delete: string;
  on_update: string;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'`;

/** The column names of attribute numbers `keys` of relation `rel`, in key order (expressions as NULL). */
const columnNames = (keys: string, rel: string) => `
  array(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS k (attnum, position)
        LEFT JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum ORDER BY k.position)`;

async function rowsOf<T>(runner: QueryRunner, sql: string): Promise<T[]> {
  return (await runner.query(sql)) as T[];
}

/** Every rule the schema breaks, as sentences; empty when it is ready to distribute by tenant_id. */
async function schemaKeyProblems(runner: QueryRunner, declarations: Declarations = NAT): Promise<string[]> {
  const tables = await rowsOf<TableRow>(
    runner,
    `SELECT c.oid::regclass::text AS table,
            (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attname = '${TENANT_COLUMN}' AND NOT a.attisdropped) AS tenant_id_type,
            (SELECT ${columnNames('p.conkey', 'p.conrelid')} FROM pg_constraint p
              WHERE p.conrelid = c.oid AND p.contype = 'p') AS primary_key
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${USER_SCHEMAS}
      ORDER BY 1`,
  );
  const uniques = await rowsOf<UniqueRow>(
    runner,
    `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS table,
            ${columnNames('i.indkey::int2[]', 'i.indrelid')} AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE (i.indisunique OR i.indisexclusion) AND NOT i.indisprimary AND NOT c.relispartition
        AND ${USER_SCHEMAS}
      ORDER BY 1`,
  );
  const foreignKeys = await rowsOf<ForeignKeyRow>(
    runner,
    `SELECT f.conname AS name, f.conrelid::regclass::text AS from_table, f.confrelid::regclass::text AS to_table,
            ${columnNames('f.conkey', 'f.conrelid')} AS from_columns,
            ${columnNames('f.confkey', 'f.confrelid')} AS to_columns,
            f.confdeltype AS on_delete, f.confupdtype AS on_update
       FROM pg_constraint f JOIN pg_namespace n ON n.oid = f.connamespace
      WHERE f.contype = 'f' AND f.conparentid = 0 AND ${USER_SCHEMAS}
      ORDER BY 1`,
  );

  const problems: string[] = [];
  const excepted = (name: string) => name in declarations.exceptions;
  const listed = (columns: (string | null)[]) =>
    `(${columns.map((column) => column ?? '<expression>').join(', ')})`;
  const tenantOwned = new Set(tables.filter((t) => t.tenant_id_type !== null).map((t) => t.table));
  const [tenantsId] = await rowsOf<{ type: string }>(
    runner,
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = to_regclass('tenants') AND attname = 'id'`,
  );

  /** Where a table lives in the cluster, and its distribution column if it is split into shards. */
  const placementOf = (table: string): Placement | undefined =>
    tenantOwned.has(table)
      ? { kind: 'distributed', column: TENANT_COLUMN, why: 'tenant-owned' }
      : declarations.notTenantOwned[table];

  for (const { table, tenant_id_type, primary_key } of tables) {
    if (tenant_id_type === null) {
      if (!declarations.notTenantOwned[table]) {
        problems.push(
          `${table}: has no ${TENANT_COLUMN} and is not declared a reference, local or distributed table`,
        );
      }
      continue;
    }
    if (declarations.notTenantOwned[table]) {
      problems.push(
        `${table}: has ${TENANT_COLUMN} but is declared ${declarations.notTenantOwned[table].kind}`,
      );
    }
    if (tenantsId && tenant_id_type !== tenantsId.type) {
      problems.push(
        `${table}: ${TENANT_COLUMN} is ${tenant_id_type} but tenants.id is ${tenantsId.type}: ` +
          'co-located tables need one distribution column type',
      );
    }
    if (!primary_key) problems.push(`${table}: tenant-owned, but has no primary key`);
    else if (!primary_key.includes(TENANT_COLUMN)) {
      problems.push(
        `${table}: tenant-owned, but its primary key ${listed(primary_key)} lacks ${TENANT_COLUMN}`,
      );
    }
  }

  for (const { name, table, columns } of uniques) {
    if (tenantOwned.has(table) && !columns.includes(TENANT_COLUMN) && !excepted(name)) {
      problems.push(
        `${name} on ${table}: unique ${listed(columns)} without ${TENANT_COLUMN}, which Citus cannot enforce`,
      );
    }
  }

  for (const key of foreignKeys) {
    const from = placementOf(key.from_table);
    const to = placementOf(key.to_table);
    const path = `${key.from_table} ${listed(key.from_columns)} → ${key.to_table} ${listed(key.to_columns)}`;
    if (!from || !to) continue; // the undeclared table is reported above
    if (from.kind === 'distributed' && to.kind === 'distributed') {
      const paired = key.from_columns.some(
        (column, index) => column === from.column && key.to_columns[index] === to.column,
      );
      if (!paired) {
        const omitted = !key.from_columns.includes(from.column) && !key.to_columns.includes(to.column);
        problems.push(
          `${key.name}: ${path} ${omitted ? `omits ${TENANT_COLUMN} on both sides` : `does not pair ${from.column} with ${to.column}`}`,
        );
      }
    } else if (!(to.kind === 'reference' || (from.kind === 'local' && to.kind === 'local'))) {
      problems.push(`${key.name}: ${path}: a ${from.kind} table cannot reference a ${to.kind} table`);
    }
    const changesKey = ['n', 'd'].includes(key.on_delete) || ['n', 'd', 'c'].includes(key.on_update);
    if (
      from.kind === 'distributed' &&
      key.from_columns.includes(from.column) &&
      changesKey &&
      !excepted(key.name)
    ) {
      problems.push(
        `${key.name}: ${path}: SET NULL, SET DEFAULT or ON UPDATE CASCADE with ${from.column} in the key`,
      );
    }
  }

  const named = new Set([...uniques.map((unique) => unique.name), ...foreignKeys.map((key) => key.name)]);
  for (const name of Object.keys(declarations.exceptions)) {
    if (!named.has(name)) problems.push(`exception ${name} names no index or foreign key: remove it`);
  }
  return problems;
}

describe('schema keys: every tenant table can be distributed by tenant_id', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(
      dataSourceOptions({ url: process.env.NAT_TEST_DATABASE_URL ?? '', poolSize: 1 }),
    );
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  /**
   * Runs `ddl` in a transaction that is rolled back, in a schema of its own (so no lock touches NAT's tables
   * that other test files use meanwhile), and answers what the check reports there.
   */
  async function problemsWith(ddl: string[], declarations: Declarations = NAT): Promise<string[]> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`CREATE SCHEMA scratch`);
      for (const statement of ddl) await runner.query(statement);
      return await schemaKeyProblems(runner, declarations);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it("finds nothing to fix in NAT's schema: tenant_id leads every tenant table's keys", async () => {
    const runner = dataSource.createQueryRunner();
    try {
      expect(await schemaKeyProblems(runner)).toEqual([]);
    } finally {
      await runner.release();
    }
  });

  it('reports a tenant table whose primary key lacks tenant_id, or that has none', async () => {
    expect(
      await problemsWith([
        `CREATE TABLE scratch.notes (tenant_id text NOT NULL, id uuid PRIMARY KEY)`,
        `CREATE TABLE scratch.tags (tenant_id text NOT NULL, label text)`,
      ]),
    ).toEqual([
      'scratch.notes: tenant-owned, but its primary key (id) lacks tenant_id',
      'scratch.tags: tenant-owned, but has no primary key',
    ]);
  });

  it('reports a foreign key between tenant tables that omits tenant_id, and the unique key it needed', async () => {
    expect(
      await problemsWith([
        `CREATE TABLE scratch.parents (tenant_id text, id uuid, PRIMARY KEY (tenant_id, id), UNIQUE (id))`,
        `CREATE TABLE scratch.children (tenant_id text, id uuid, parent_id uuid REFERENCES scratch.parents (id),
           PRIMARY KEY (tenant_id, id))`,
      ]),
    ).toEqual([
      'scratch.parents_id_key on scratch.parents: unique (id) without tenant_id, which Citus cannot enforce',
      'children_parent_id_fkey: scratch.children (parent_id) → scratch.parents (id) omits tenant_id on both sides',
    ]);
  });

  it('reports a foreign key that sets its tenant_id-keyed columns to NULL', async () => {
    expect(
      await problemsWith([
        `CREATE TABLE scratch.parents (tenant_id text, id uuid, PRIMARY KEY (tenant_id, id))`,
        `CREATE TABLE scratch.children (tenant_id text, id uuid, parent_id uuid, PRIMARY KEY (tenant_id, id),
           CONSTRAINT children_parent FOREIGN KEY (tenant_id, parent_id) REFERENCES scratch.parents
             ON DELETE SET NULL (parent_id))`,
      ]),
    ).toEqual([
      'children_parent: scratch.children (tenant_id, parent_id) → scratch.parents (tenant_id, id): ' +
        'SET NULL, SET DEFAULT or ON UPDATE CASCADE with tenant_id in the key',
    ]);
  });

  it('reports a table without tenant_id that nobody declared, and a tenant_id of another type', async () => {
    expect(
      await problemsWith([
        `CREATE TABLE scratch.settings (key text PRIMARY KEY, value text)`,
        `CREATE TABLE scratch.counts (tenant_id uuid, day date, PRIMARY KEY (tenant_id, day))`,
      ]),
    ).toEqual([
      'scratch.counts: tenant_id is uuid but tenants.id is text: co-located tables need one distribution column type',
      'scratch.settings: has no tenant_id and is not declared a reference, local or distributed table',
    ]);
  });

  it('reports a reference table that points into tenant data', async () => {
    const withCountries: Declarations = {
      ...NAT,
      notTenantOwned: {
        ...NAT.notTenantOwned,
        'scratch.countries': { kind: 'reference', why: 'for this test' },
      },
    };
    expect(
      await problemsWith(
        [
          `CREATE TABLE scratch.offices (tenant_id text, id uuid, PRIMARY KEY (tenant_id, id))`,
          `CREATE TABLE scratch.countries (code text PRIMARY KEY, tenant_id_hq text, office_id uuid,
             CONSTRAINT countries_office FOREIGN KEY (tenant_id_hq, office_id) REFERENCES scratch.offices)`,
        ],
        withCountries,
      ),
    ).toEqual([
      'countries_office: scratch.countries (tenant_id_hq, office_id) → scratch.offices (tenant_id, id): ' +
        'a reference table cannot reference a distributed table',
    ]);
  });
});
