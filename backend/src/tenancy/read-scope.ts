import { Query, type Connection, type PoolClient, type QueryConfig } from 'pg';

/** The SQLSTATE nat_read_scope() raises when the caller's membership is not the one the request assumed. */
export const MEMBERSHIP_CHANGED = 'NAT01';

const SCOPE_STATEMENT = 'CALL nat_read_scope($1, $2, $3)';

/** Statements a scoped read cannot carry: each of its statements is its own implicit transaction. */
const TRANSACTION_CONTROL =
  /^\s*(START|BEGIN|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION)\b/i;

/** Whose data a read sees, and the membership it was admitted with. */
export interface ReadScope {
  tenantId: string;
  userId: string;
  /**
   * The caller's nat_membership() row as PostgreSQL's jsonb text: the check compares the whole row. Null for a
   * caller who is not a member: then every statement is refused before it is sent.
   */
  membership: string | null;
}

/** The parts of node-postgres's Connection (pg/lib/connection.js) a statement writes with. */
interface PgConnection {
  stream: { cork(): void; uncork(): void };
  parse(message: { text: string; types: unknown[] }): void;
  bind(message: { values: unknown[] }): void;
  execute(message: { portal?: string; rows?: number }): void;
}

/** The parts of node-postgres's Query (pg/lib/query.js) that a scoped statement builds on. */
interface PgQuery {
  prepare(connection: PgConnection): void;
  handleCommandComplete(message: unknown, connection: PgConnection): void;
}

/** node-postgres's own handling, which a scoped statement extends. */
const pgQuery = Query.prototype as unknown as PgQuery;

type Callback = (error: Error | null, result?: unknown) => void;
type QueryMethod = (...arguments_: unknown[]) => unknown;

/**
 * A read-only request's statements without a transaction around them: each one travels in a single write with
 * `CALL nat_read_scope(tenant, user, membership)` before it and one Sync after, so PostgreSQL runs the pair as
 * one implicit transaction. The procedure checks that the caller's membership is still exactly the row the
 * request was admitted with (else it raises MEMBERSHIP_CHANGED, and PostgreSQL skips the statement), then sets
 * the role and the tenant for the statement alone: the Sync that ends it ends the settings too. One round trip
 * per statement, where an explicit transaction needs its opening, the statement and COMMIT.
 *
 * Installed on the request's pooled connection for as long as the request holds it: TypeORM's query runner
 * and node-postgres callers alike go through it. Only for a server that runs a session per connection: PGlite's
 * socket server shares one session between connections, and keeps a connection's statements together only
 * inside an explicit transaction.
 */
export class ScopedReads {
  /** True once PostgreSQL confirmed the membership during this request. */
  verified: boolean;
  /** True once a check found the membership changed: whatever the request computed from it is void. */
  stale = false;
  private readonly parameters: string[] | undefined;
  private readonly original: QueryMethod;

  constructor(
    private readonly client: PoolClient,
    scope: ReadScope,
    { verified }: { verified: boolean },
  ) {
    this.verified = verified;
    this.parameters =
      scope.membership === null ? undefined : [scope.tenantId, scope.userId, scope.membership];
    this.original = (client as unknown as { query: QueryMethod }).query;
    (client as unknown as { query: QueryMethod }).query = (config, values, callback) =>
      this.query(config, values, callback);
  }

  /** Gives the connection its own query method back, before it returns to the pool. */
  uninstall(): void {
    delete (this.client as unknown as { query?: QueryMethod }).query;
  }

  /** Checks the membership once when no statement of the request has: a request answers only on a checked one. */
  async verify(): Promise<void> {
    if (this.verified || this.stale || !this.parameters) return;
    try {
      await this.original.call(this.client, SCOPE_STATEMENT, this.parameters);
      this.verified = true;
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  /** The scope check passed for a statement. */
  confirmed(): void {
    this.verified = true;
  }

  /** The scope check failed for a statement (or the connection did): MEMBERSHIP_CHANGED makes the request void. */
  noteFailure(error: unknown): void {
    if ((error as { code?: unknown } | null)?.code === MEMBERSHIP_CHANGED) this.stale = true;
  }

  /** node-postgres's `query(text | config, values?, callback?)`, each statement scoped as described above. */
  private query(config: unknown, values?: unknown, callback?: unknown): unknown {
    if (
      typeof config === 'object' &&
      config !== null &&
      typeof (config as { submit?: unknown }).submit === 'function'
    ) {
      throw new Error('A scoped read sends plain statements only (no cursors or custom submittables)');
    }
    const { text, name, rows } = (typeof config === 'string' ? { text: config } : (config ?? {})) as {
      text?: unknown;
      name?: unknown;
      rows?: unknown;
    };
    if (typeof text !== 'string') throw new Error('A query needs its text');
    // Neither is used, and both would stretch the one round trip: a row limit holds the implicit transaction, and
    // with it the scope, open across round trips; a named statement outlives the check it was sent with.
    if (name || rows)
      throw new Error('A scoped read sends unnamed statements and reads all their rows at once');
    const scope = this.parameters;
    if (!scope) throw new Error('The caller is not a member of the tenant: nothing may be read for them');
    if (TRANSACTION_CONTROL.test(text)) {
      throw new Error(`A read-only request runs no transaction of its own: ${text.trim().split(/\s/)[0]}`);
    }
    const done = [values, callback].find((argument) => typeof argument === 'function') as
      Callback | undefined;
    const parameters = typeof values === 'function' ? undefined : values;
    let settle!: Callback;
    const result = done
      ? undefined
      : new Promise((resolve, reject) => (settle = (error, rows) => (error ? reject(error) : resolve(rows))));
    // As node-postgres reads its arguments: `values` given apart replace any in the config.
    const statementConfig: QueryConfig =
      typeof config === 'string' ? { text } : { ...(config as QueryConfig) };
    if (parameters !== undefined) statementConfig.values = parameters as unknown[];
    const statement = new ScopedStatement(this, scope, statementConfig, (error, rows) => {
      if (error) this.noteFailure(error);
      (done ?? settle)(error, rows);
    });
    this.original.call(this.client, statement);
    return result;
  }
}

/**
 * One statement behind its scope check: node-postgres's own Query, which sends the CALL before its own messages
 * and keeps the CALL's completion to itself.
 */
export class ScopedStatement extends Query {
  private checked = false;

  constructor(
    private readonly reads: ScopedReads,
    private readonly scope: string[],
    config: QueryConfig,
    callback: Callback,
  ) {
    super(config, (error, result) => callback(error ?? null, result));
  }

  override submit = (connection: Connection): void => {
    const wire = connection as unknown as PgConnection;
    wire.stream.cork();
    try {
      wire.parse({ text: SCOPE_STATEMENT, types: [] });
      wire.bind({ values: this.scope });
      wire.execute({});
      // The statement's own Parse, Bind, Describe, Execute and Sync: the Sync closes both.
      pgQuery.prepare.call(this, wire);
    } finally {
      wire.stream.uncork();
    }
  };

  handleCommandComplete(message: unknown, connection: PgConnection): void {
    if (this.checked) return pgQuery.handleCommandComplete.call(this, message, connection);
    // The CALL's own completion: the check passed, and the statement runs scoped.
    this.checked = true;
    this.reads.confirmed();
  }
}
