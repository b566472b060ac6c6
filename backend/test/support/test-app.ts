import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp } from '../../src/app.setup';
import { NatExpressAdapter } from '../../src/common/http/express-adapter';
import { installLeanAsyncResourceBind } from '../../src/common/node/async-resource-bind';
import { hashPassword } from '../../src/auth/passwords';
import { Clock } from '../../src/common/clock';
import type { AuthSettings } from '../../src/config/config';

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

export const TEST_PASSWORD = 'test-password-1';
export const TEST_JWT_SECRET = 'a test signing key that is long enough for HS256';

export type Role = 'rep' | 'manager' | 'admin';

/** A signed-in member of a test tenant. */
export interface TestUser {
  id: string;
  email: string;
  token: string;
}

export interface TestApp {
  app: NestExpressApplication;
  http: () => TestAgent;
  dataSource: DataSource;
  clock: FixedClock;
  /**
   * A new tenant with a unique id, so test files never see each other's data, and its first member (an admin
   * by default), signed in through the API: `headersFor(tenant)` then authenticates as them.
   */
  createTenant(options?: {
    timezone?: string;
    currency?: string;
    name?: string;
    role?: Role;
  }): Promise<string>;
  /** Another member of `tenant` (or an existing user, by email, joining it), signed in. */
  addMember(tenant: string, role: Role, options?: { email?: string }): Promise<TestUser>;
  /** The tenant's first member. */
  ownerOf(tenant: string): TestUser;
  /** `Authorization` and `X-Tenant-ID` for a request as `user` (default: the tenant's first member). */
  headersFor(tenant: string, user?: TestUser): Record<string, string>;
  /** Signs in through POST /api/v1/auth/login and answers the access token. */
  signIn(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** Hashed once per test file: each new test user costs an INSERT and one sign-in, not a hash. */
let passwordHash: Promise<string> | undefined;

/** How the HTTP layer is configured, where a test needs it to differ from the default (as main.ts may). */
export interface TestAppOptions {
  /** Browser origins allowed cross-origin (CORS_ORIGINS); none by default, as in production. */
  corsOrigins?: string[];
}

export async function createTestApp(
  now: Date | string = new Date(),
  auth: Partial<AuthSettings> = {},
  { corsOrigins }: TestAppOptions = {},
): Promise<TestApp> {
  // As main.ts does: the API's requests then run on the same kind of bound functions in the tests.
  installLeanAsyncResourceBind();
  const url = process.env.NAT_TEST_DATABASE_URL;
  if (!url) throw new Error('NAT_TEST_DATABASE_URL is not set: run the e2e tests through their jest config');
  const clock = new FixedClock(new Date(now));
  const embedded = process.env.NAT_TEST_DATABASE_KIND?.startsWith('embedded') ?? false;
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        environment: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
        // PGlite is one session: as in production, one pooled connection (see embedded-postgres.ts).
        database: embedded ? { url, poolSize: 1, singleSession: true } : { url, poolSize: 4 },
        auth: {
          jwtSecret: TEST_JWT_SECRET,
          loginPerIp: 1_000_000,
          loginPerAccount: 1_000_000,
          signupPerIp: 1_000_000,
          signupEnabled: true,
          ...auth,
        },
      }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new NatExpressAdapter(), APP_OPTIONS);
  configureApp(app, { corsOrigins });
  await app.init();
  const dataSource = app.get(DataSource);
  const http = () => request(app.getHttpServer());
  const owners = new Map<string, TestUser>();

  async function signIn(email: string, password = TEST_PASSWORD): Promise<string> {
    const response = await http().post('/api/v1/auth/login').send({ email, password });
    if (response.status !== 200) throw new Error(`sign-in as ${email}: ${response.status} ${response.text}`);
    return (response.body as { access_token: string }).access_token;
  }

  async function addMember(
    tenant: string,
    role: Role,
    { email }: { email?: string } = {},
  ): Promise<TestUser> {
    passwordHash ??= hashPassword(TEST_PASSWORD);
    const address = email ?? `${role}-${randomUUID().slice(0, 8)}@${tenant}.test`;
    const [user] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (email, name, timezone, password_hash) VALUES ($1, $2, 'UTC', $3)
       ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
      [address, `Test ${role}`, await passwordHash],
    );
    await dataSource.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
      tenant,
      user.id,
      role,
    ]);
    return { id: user.id, email: address, token: await signIn(address) };
  }

  const ownerOf = (tenant: string): TestUser => {
    const owner = owners.get(tenant);
    if (!owner) throw new Error(`No test user for tenant ${tenant}: create it with createTenant()`);
    return owner;
  };

  return {
    app,
    http,
    dataSource,
    clock,
    async createTenant({ timezone = 'UTC', currency = 'USD', name = 'Test Team', role = 'admin' } = {}) {
      const id = `t-${randomUUID().slice(0, 13)}`;
      await dataSource.query(`INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, $3, $4)`, [
        id,
        name,
        timezone,
        currency,
      ]);
      owners.set(id, await addMember(id, role));
      return id;
    },
    addMember,
    ownerOf,
    headersFor(tenant, user) {
      const token = (user ?? ownerOf(tenant)).token;
      return { 'X-Tenant-ID': tenant, Authorization: `Bearer ${token}` };
    },
    signIn,
    close: () => app.close(),
  };
}
