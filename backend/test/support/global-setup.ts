import 'reflect-metadata';
import { migrateDatabase } from '../../src/database/migrate';
import { createTestDatabase, type TestDatabase } from './test-database';

declare global {
  var natTestDatabase: TestDatabase | undefined;
}

/** One fresh database for the run, migrated once; the workers read its URL from the environment. */
export default async function globalSetup(): Promise<void> {
  const database = await createTestDatabase();
  globalThis.natTestDatabase = database;
  await migrateDatabase(database.url);
  process.env.NAT_TEST_DATABASE_URL = database.url;
  process.env.NAT_TEST_DATABASE_KIND = database.kind;
  console.log(`\ne2e database: ${database.kind}`);
}
