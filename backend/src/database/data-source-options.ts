import type { DataSourceOptions } from 'typeorm';
import { OpportunityEvent } from '../opportunities/opportunity-event.entity';
import { Opportunity } from '../opportunities/opportunity.entity';
import { Tenant } from '../tenants/tenant.entity';
import { migrations } from './migrations';

export const entities = [Tenant, Opportunity, OpportunityEvent];

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  /** How long a request may wait for its transaction's answers (TransactionDeadline); 5 s by default. */
  requestTimeoutMs?: number;
  /**
   * The server runs one session for every connection (the embedded PGlite's socket server): a connection's
   * statements stay together only inside an explicit transaction, so read-only requests open one too.
   */
  singleSession?: boolean;
}

export const REQUEST_TIMEOUT_MS = Symbol('REQUEST_TIMEOUT_MS');
/** Whether the database is one session shared by every connection (DatabaseSettings.singleSession). */
export const SINGLE_SESSION_DATABASE = Symbol('SINGLE_SESSION_DATABASE');

/** The one description of the database, shared by the app, the CLI scripts and the tests. */
/** Migrations never run implicitly: migrateExclusively() applies them under a lock (see migrate.ts). */
export function dataSourceOptions({ url, poolSize }: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'all',
    synchronize: false,
    applicationName: 'nat',
    extra: {
      max: poolSize,
      // Fail fast (503 DATABASE_UNAVAILABLE) instead of hanging when the pool is exhausted or the server is
      // unreachable; TCP keep-alive notices a peer that vanished without closing the connection.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  };
}
