import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { StartupError } from '../common/startup-error';
import { loadEnvironment } from '../config/config';
import { dataSourceOptions } from '../database/data-source-options';
import { openDatabaseTarget } from '../database/embedded-postgres';

/**
 * Runs `task` against DATABASE_URL, or against the embedded database folder when it is unset
 * (which fails with a clear message while NAT itself has the folder open).
 */
export async function withDatabase(
  task: (dataSource: DataSource, label: string) => Promise<void>,
): Promise<void> {
  const environment = loadEnvironment();
  const target = await openDatabaseTarget(environment.DATABASE_URL, environment.EMBEDDED_DB_DIR);
  const dataSource = new DataSource(dataSourceOptions({ url: target.url, poolSize: 1 }));
  try {
    await dataSource.initialize().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StartupError(`Cannot connect to ${target.label}: ${reason}`);
    });
    await task(dataSource, target.label);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await target.embedded?.stop();
  }
}

export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof StartupError ? error.message : error);
    process.exit(1);
  });
}
