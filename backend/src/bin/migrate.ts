import { migrateExclusively } from '../database/migrate';
import { runCli, withDatabase } from './database-cli';

runCli(() =>
  withDatabase(async (dataSource, label) => {
    const applied = await migrateExclusively(dataSource);
    console.log(
      applied.length === 0
        ? `${label}: schema is up to date`
        : `${label}: applied ${applied.map((migration) => migration.name).join(', ')}`,
    );
  }),
);
