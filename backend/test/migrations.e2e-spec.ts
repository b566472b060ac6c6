import { migrateDatabase } from '../src/database/migrate';
import { migrations } from '../src/database/migrations';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('migrations at start', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.dispose());

  it('apply once when three replicas start together, the others waiting on the lock and finding nothing to do', async () => {
    const applied = await Promise.all([1, 2, 3].map(() => migrateDatabase(database.url)));
    const counts = applied.map((list) => list.length).sort();
    expect(counts).toEqual([0, 0, migrations.length]);
  });

  it('do nothing on a database that is up to date', async () => {
    expect(await migrateDatabase(database.url)).toEqual([]);
  });
});
