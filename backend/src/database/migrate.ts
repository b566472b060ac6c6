import { DataSource, MigrationExecutor, type Migration } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Any fixed number: the key of the session-level advisory lock that migrations run under. */
const MIGRATION_LOCK = 7_364_102_851;

/**
 * Applies the pending migrations in one transaction, one process at a time: API replicas that start together
 * (or a `make migrate` during a deploy) queue on a PostgreSQL advisory lock, and the ones that get it after the
 * first find nothing left to do. The lock and the migrations share one connection, so a pool of one suffices.
 */
export async function migrateExclusively(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** Migrates the database at `url` through a short-lived connection of its own, before the app opens its pool. */
export async function migrateDatabase(url: string): Promise<Migration[]> {
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 1 }));
  await dataSource.initialize();
  try {
    return await migrateExclusively(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
