import { Inject, Injectable } from '@nestjs/common';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { escapeLiteral, type PoolClient } from 'pg';
import { TIMESTAMPS_AS_TEXT } from '../common/database/pg-timestamp';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { APP_ROLE } from '../database/app-role';
import { SINGLE_SESSION_DATABASE } from '../database/data-source-options';
import { MembershipCache } from './membership-cache';
import {
  MembershipChanged,
  type OpeningStatement,
  type ReadRequest,
  type ScopedTransactionAdapter,
} from './scoped-transaction-adapter';
import type { TransactionDeadline } from './transaction-deadline';

/** Whose data a transaction may see: row-level security reads both settings; unset matches nothing. */
export interface DatabaseScope {
  tenantId?: string;
  userId?: string;
}

/** A user's membership in a tenant, with the tenant, as nat_membership() answers it. */
export interface MembershipRow {
  role: string;
  id: string;
  name: string;
  timezone: string;
  currency: string;
  created_at: Date;
}

const APP_ROLE_LITERAL = escapeLiteral(APP_ROLE);

const SCOPE = `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)`;

/**
 * The only way the API reaches the database: a transaction that runs as APP_ROLE with the tenant and user
 * set by `set_config(…, true)` (SET LOCAL), so nothing leaks into the next use of the pooled connection and
 * PostgreSQL's policies, not only our WHERE clauses, keep tenants apart. On the embedded PGlite every query
 * of a request must use the request's transaction anyway: `manager` refuses to hand out anything else.
 */
@Injectable()
export class ScopedDatabase {
  constructor(
    private readonly host: TransactionHost<ScopedTransactionAdapter>,
    private readonly cls: ClsService,
    private readonly memberships: MembershipCache,
    @Inject(SINGLE_SESSION_DATABASE) private readonly singleSession: boolean,
  ) {}

  /** The current transaction's manager. Throws outside `run`: a query there would bypass row-level security. */
  get manager(): EntityManager {
    if (!this.host.isTransactionActive()) {
      throw new Error('No scoped transaction: database work must run inside ScopedDatabase.run()');
    }
    return this.host.tx;
  }

  /**
   * Raw SQL in the current transaction, answering the rows (RETURNING ones too). TypeORM's `query()` answers
   * `[rows, count]` for UPDATE and DELETE, which is easy to misread.
   */
  async rows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = this.manager.queryRunner;
    if (!runner) throw new Error('The scoped transaction has no query runner');
    const result = await runner.query(sql, parameters, true);
    return result.records as T[];
  }

  /**
   * Like `rows`, straight through node-postgres with timestamptz columns left as PostgreSQL's text (for
   * isoFromPg): the hottest reads skip TypeORM's wrapper and the Date round trip.
   */
  async rowsWithTextTimestamps<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = this.manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
    const client = runner?.databaseConnection;
    if (!client) throw new Error('The scoped transaction has no connection');
    const result = await client.query({ text: sql, values: parameters, types: TIMESTAMPS_AS_TEXT });
    return result.rows as T[];
  }

  /** Runs `work` in a new transaction scoped to `scope`, or in the current one (re-scoped) if one is open. */
  run<T>(scope: DatabaseScope, work: () => Promise<T>, deadline?: TransactionDeadline): Promise<T> {
    // Outside a request (timers, the CLI) there is no context to keep the transaction in yet.
    if (!this.cls.isActive()) return this.cls.run(() => this.run(scope, work, deadline));
    return this.host.withTransaction(async () => {
      deadline?.attach(this.manager.queryRunner);
      await this.rescope(scope);
      return work();
    });
  }

  /**
   * A new transaction scoped to `userId` in `tenantId`, given the user's membership there (undefined: none).
   * Scoping and the membership lookup are one statement: the lookup is a SECURITY DEFINER function that reads by
   * the key it is given, so it does not matter whether PostgreSQL evaluates it before or after the settings.
   */
  runAsMember<T>(
    scope: Required<DatabaseScope>,
    work: (membership: MembershipRow | undefined) => Promise<T>,
    deadline?: TransactionDeadline,
  ): Promise<T> {
    if (!this.cls.isActive()) return this.cls.run(() => this.runAsMember(scope, work, deadline));
    // Its scoping statement travels with START TRANSACTION: inside an open transaction it would never be sent.
    if (this.host.isTransactionActive()) {
      return Promise.reject(new Error('runAsMember() opens the request transaction, not one inside another'));
    }
    // One round trip. The simple protocol has no parameters, so the values are escaped literals.
    const tenant = escapeLiteral(scope.tenantId);
    const user = escapeLiteral(scope.userId);
    const opening: OpeningStatement = {
      sql: `SELECT to_jsonb(m) AS membership
              FROM (SELECT set_config('role', ${APP_ROLE_LITERAL}, true),
                           set_config('app.tenant_id', ${tenant}, true),
                           set_config('app.user_id', ${user}, true)) AS scoped
              LEFT JOIN LATERAL nat_membership(${tenant}, ${user}::uuid) AS m ON true`,
    };
    return this.host.withTransaction({ opening }, async () => {
      deadline?.attach(this.manager.queryRunner);
      const [row] = (opening.rows ?? []) as { membership: MembershipRow | null }[];
      return work(row?.membership ?? undefined);
    });
  }

  /**
   * Like runAsMember for a request that only reads: no transaction, each statement scoped on its own and checked
   * against the membership `work` was given (see read-scope.ts), so a due page is one round trip instead of
   * three. The membership is the one this member's last read was admitted with, when known: a guess PostgreSQL
   * verifies. Should it prove wrong (a removed member, a changed role or time zone), `work` runs again on a
   * fresh read, and after a second change in a row, in a transaction as runAsMember runs it. So `work` must
   * change nothing, and may run more than once. On a single-session database, runAsMember itself.
   */
  async readAsMember<T>(
    scope: Required<DatabaseScope>,
    work: (membership: MembershipRow | undefined) => Promise<T>,
    deadline?: TransactionDeadline,
  ): Promise<T> {
    if (this.singleSession) return this.runAsMember(scope, work, deadline);
    if (!this.cls.isActive()) return this.cls.run(() => this.readAsMember(scope, work, deadline));
    if (this.host.isTransactionActive()) {
      throw new Error('readAsMember() reads outside any transaction, not inside one');
    }
    const { tenantId, userId } = scope;
    for (const assumed of [this.memberships.get(tenantId, userId), undefined]) {
      const read: ReadRequest = { tenantId, userId, membership: assumed };
      try {
        return await this.host.withTransaction({ read }, async () => {
          deadline?.attach(this.manager.queryRunner);
          const membership = read.membership ? (JSON.parse(read.membership) as MembershipRow) : undefined;
          if (assumed === undefined && read.membership)
            this.memberships.remember(tenantId, userId, read.membership);
          return work(membership);
        });
      } catch (error) {
        if (!(error instanceof MembershipChanged)) throw error;
        this.memberships.forget(tenantId, userId);
        if (assumed === undefined) break;
      }
    }
    return this.runAsMember(scope, work, deadline);
  }

  /** Changes whose data the open transaction sees, e.g. once a refresh token has named its user. */
  async rescope({ tenantId, userId }: DatabaseScope): Promise<void> {
    await this.manager.query(SCOPE, [APP_ROLE, tenantId ?? '', userId ?? '']);
  }

  /** A savepoint: `work` changes everything or nothing, while the surrounding transaction goes on. */
  savepoint<T>(work: () => Promise<T>): Promise<T> {
    return this.host.withTransaction(Propagation.Nested, work);
  }
}
