import { migrateExclusively } from '../database/migrate';
import { demoAccountLines, seedDemoData } from '../database/seed/seed';
import { runCli, withDatabase } from './database-cli';

runCli(() =>
  withDatabase(async (dataSource, label) => {
    await migrateExclusively(dataSource);
    const seeded = await seedDemoData(dataSource);
    console.log(
      `${label}: ${seeded.tenants} demo tenants; ${seeded.usersCreated} users and ${seeded.opportunities} opportunities added`,
    );
    for (const line of demoAccountLines()) console.log(line);
  }),
);
