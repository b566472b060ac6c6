import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';

/** A clock the test moves by hand. */
export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date | string): void {
    this.instant = new Date(instant);
  }
}

export interface TestApp {
  app: NestExpressApplication;
  http: () => TestAgent;
  dataSource: DataSource;
  clock: FixedClock;
  /** A new tenant with a unique id, so test files never see each other's data. */
  createTenant(options?: { timezone?: string; currency?: string; name?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(now: Date | string = new Date()): Promise<TestApp> {
  const url = process.env.NAT_TEST_DATABASE_URL;
  if (!url) throw new Error('NAT_TEST_DATABASE_URL is not set: run the e2e tests through their jest config');
  const clock = new FixedClock(new Date(now));
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        environment: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
        database: { url, poolSize: 4 },
      }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(APP_OPTIONS);
  configureApp(app);
  await app.init();
  const dataSource = app.get(DataSource);
  return {
    app,
    http: () => request(app.getHttpServer()),
    dataSource,
    clock,
    async createTenant({ timezone = 'UTC', currency = 'USD', name = 'Test Team' } = {}) {
      const id = `t-${randomUUID().slice(0, 13)}`;
      await dataSource.query(`INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, $3, $4)`, [
        id,
        name,
        timezone,
        currency,
      ]);
      return id;
    },
    close: () => app.close(),
  };
}
