import type { TransactionalAdapter } from '@nestjs-cls/transactional';
import type { PoolClient, QueryResult } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ScopedReads } from './read-scope';

/** How a scoped transaction starts. */
export interface ScopedTransactionOptions {
  isolationLevel?: IsolationLevel;
  /**
   * A statement sent in the same round trip as START TRANSACTION, e.g. the one that scopes the transaction to a
   * tenant and reads the caller's membership. The options are copied on their way here: its rows come back in
   * this object, which the copy shares.
   */
  opening?: OpeningStatement;
  /** Instead of a transaction: a read-only request's statements, each scoped on its own (see read-scope.ts). */
  read?: ReadRequest;
}

/** A read-only request of a member, as ScopedDatabase.readAsMember() asks for it. */
export interface ReadRequest {
  tenantId: string;
  userId: string;
  /**
   * The membership row assumed (nat_membership() as jsonb text), or undefined to read it first; after the read,
   * what it found (null: not a member).
   */
  membership?: string | null;
}

/** Thrown when PostgreSQL found the membership a read assumed changed: the request must be answered afresh. */
export class MembershipChanged extends Error {
  constructor() {
    super('The membership changed while the request ran');
  }
}

const MEMBERSHIP = `SELECT to_jsonb(m)::text AS membership FROM nat_membership($1, $2::uuid) AS m`;

export interface OpeningStatement {
  /** Plain SQL without parameters (the simple protocol has none): its values already escaped. */
  sql: string;
  rows?: Record<string, unknown>[];
}

/** TypeORM's query runner with the two pieces of state its own startTransaction() keeps. */
interface RunnerState {
  isTransactionActive: boolean;
  transactionDepth: number;
  databaseConnection: PoolClient;
}

/**
 * @nestjs-cls/transactional's TypeORM adapter, except that a transaction can open with a statement of its own in
 * the same round trip as START TRANSACTION (one simple-protocol query). Every API request starts that way, so
 * it saves one of its four round trips to PostgreSQL, which on this kind of machine is a system call and a
 * wake-up on each side. Nested transactions (savepoints) and everything else are TypeORM's own.
 */
export class ScopedTransactionAdapter implements TransactionalAdapter<
  DataSource,
  EntityManager,
  ScopedTransactionOptions
> {
  readonly connectionToken: unknown;

  constructor({ dataSourceToken }: { dataSourceToken: unknown }) {
    this.connectionToken = dataSourceToken;
  }

  optionsFactory = (dataSource: DataSource) => ({
    wrapWithTransaction: async (
      options: ScopedTransactionOptions | undefined,
      fn: () => Promise<unknown>,
      setClient: (client?: EntityManager) => void,
    ): Promise<unknown> => {
      if (options?.read) return this.read(dataSource, options.read, fn, setClient);
      const opening = options?.opening;
      if (!opening) return inTransaction(dataSource.manager, options, fn, setClient);
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await this.open(runner, options, opening);
        setClient(runner.manager);
        const result = await fn();
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      } finally {
        await runner.release();
      }
    },
    wrapWithNestedTransaction: (
      options: ScopedTransactionOptions | undefined,
      fn: () => Promise<unknown>,
      setClient: (client?: EntityManager) => void,
      client: EntityManager,
    ): Promise<unknown> => inTransaction(client, options, fn, setClient),
    getFallbackInstance: () => dataSource.manager,
  });

  /**
   * A read-only request without a transaction: its statements go out scoped one by one (ScopedReads), after a
   * read of the membership when none is assumed. It answers only once PostgreSQL has checked the membership
   * during the request; MembershipChanged when that check failed, whatever `fn` did meanwhile.
   */
  private async read(
    dataSource: DataSource,
    request: ReadRequest,
    fn: () => Promise<unknown>,
    setClient: (client?: EntityManager) => void,
  ): Promise<unknown> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    let reads: ScopedReads | undefined;
    try {
      const client = (runner as unknown as RunnerState).databaseConnection;
      const fresh = request.membership === undefined;
      if (fresh) {
        const { rows } = await client.query<{ membership: string }>(MEMBERSHIP, [
          request.tenantId,
          request.userId,
        ]);
        request.membership = rows[0]?.membership ?? null;
      }
      reads = new ScopedReads(
        client,
        { tenantId: request.tenantId, userId: request.userId, membership: request.membership ?? null },
        { verified: fresh },
      );
      setClient(runner.manager);
      return await settleChecked(reads, fn);
    } finally {
      reads?.uninstall();
      await runner.release();
    }
  }

  /** START TRANSACTION and the opening statement in one round trip, then TypeORM's state as if it had begun. */
  private async open(
    runner: QueryRunner,
    options: ScopedTransactionOptions,
    opening: OpeningStatement,
  ): Promise<void> {
    const state = runner as unknown as RunnerState;
    const isolation = options.isolationLevel ? ` ISOLATION LEVEL ${options.isolationLevel}` : '';
    // Marked as begun first: should the opening statement fail, the caller's rollback ends the transaction.
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    const results = (await state.databaseConnection.query(
      `START TRANSACTION${isolation}; ${opening.sql}`,
    )) as unknown as QueryResult[];
    opening.rows = results[1]?.rows as Record<string, unknown>[] | undefined;
  }
}

/** `fn`'s outcome once the membership is checked: MembershipChanged if a check failed, before or after it. */
async function settleChecked(reads: ScopedReads, fn: () => Promise<unknown>): Promise<unknown> {
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await fn() };
  } catch (error) {
    outcome = { error };
  }
  try {
    await reads.verify();
  } catch (error) {
    // A connection that broke says more about the request than the check that could not run on it.
    if (!reads.stale) throw 'error' in outcome ? outcome.error : error;
  }
  if (reads.stale) throw new MembershipChanged();
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** TypeORM's own transaction (or savepoint, when `manager` is in one), as the stock adapter runs it. */
function inTransaction(
  manager: EntityManager,
  options: ScopedTransactionOptions | undefined,
  fn: () => Promise<unknown>,
  setClient: (client?: EntityManager) => void,
): Promise<unknown> {
  const run = (transactional: EntityManager) => {
    setClient(transactional);
    return fn();
  };
  return options?.isolationLevel
    ? manager.transaction(options.isolationLevel, run)
    : manager.transaction(run);
}
