import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnvironment } from '../config/config';
import { dataSourceOptions } from '../database/data-source-options';
import { startEmbeddedPostgres } from '../database/embedded-postgres';

/**
 * Runs `task` against DATABASE_URL, or against the embedded database folder when it is unset
 * (which fails with a clear message while NAT itself has the folder open).
 */
export async function withDatabase(
  task: (dataSource: DataSource, label: string) => Promise<void>,
): Promise<void> {
  const environment = loadEnvironment();
  const embedded = environment.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(environment.EMBEDDED_DB_DIR);
  const url = embedded?.url ?? (environment.DATABASE_URL as string);
  const label = embedded ? `embedded database in ${environment.EMBEDDED_DB_DIR}` : 'DATABASE_URL';
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 1 }));
  try {
    await dataSource.initialize();
    await task(dataSource, label);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
