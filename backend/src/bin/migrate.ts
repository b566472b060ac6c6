import { runCli, withDatabase } from './database-cli';

runCli(() =>
  withDatabase(async (dataSource, label) => {
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    console.log(
      applied.length === 0
        ? `${label}: schema is up to date`
        : `${label}: applied ${applied.map((migration) => migration.name).join(', ')}`,
    );
  }),
);
