import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppModule } from '../app.module';
import { SignupDto } from '../auth/dto/signup.dto';
import { Signup } from '../auth/signup.service';
import { ApiError } from '../common/errors/api-error';
import { StartupError } from '../common/startup-error';
import { authSettings, loadEnvironment } from '../config/config';
import { migrateDatabase } from '../database/migrate';
import { openDatabaseTarget } from '../database/embedded-postgres';
import { runCli } from './database-cli';

/** Each answer: the environment variable that gives it without a prompt, the question, and a default. */
const FIELDS = [
  { key: 'tenant_name', env: 'NAT_TENANT_NAME', question: 'Team name' },
  {
    key: 'tenant_id',
    env: 'NAT_TENANT_ID',
    question: 'Tenant id (X-Tenant-ID; empty: derived from the name)',
    optional: true,
  },
  {
    key: 'timezone',
    env: 'NAT_TENANT_TIMEZONE',
    question: 'Time zone',
    fallback: Intl.DateTimeFormat().resolvedOptions().timeZone,
  },
  { key: 'currency', env: 'NAT_TENANT_CURRENCY', question: 'Currency', fallback: 'USD' },
  { key: 'name', env: 'NAT_ADMIN_NAME', question: 'Your name' },
  { key: 'email', env: 'NAT_ADMIN_EMAIL', question: 'Your email' },
  { key: 'password', env: 'NAT_ADMIN_PASSWORD', question: 'Password (10+ characters)', secret: true },
] as const;

type Answers = Partial<Record<(typeof FIELDS)[number]['key'], string>>;

/** Asks for what the environment does not give; a password is not echoed. */
async function collect(): Promise<Answers> {
  const answers: Answers = {};
  const missing = FIELDS.filter((field) => !process.env[field.env]);
  for (const field of FIELDS) if (process.env[field.env]) answers[field.key] = process.env[field.env];
  if (missing.length === 0) return answers;
  if (!process.stdin.isTTY) {
    // Without a terminal, what has a default takes it and only the rest must come from the environment.
    for (const field of missing) if ('fallback' in field) answers[field.key] = field.fallback;
    const required = missing.filter((field) => !('optional' in field) && !('fallback' in field));
    if (required.length > 0) {
      throw new StartupError(`No terminal to ask on: set ${required.map((field) => field.env).join(', ')}`);
    }
    return answers;
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const prompt = createInterface({ input: process.stdin, output, terminal: true });
  try {
    for (const field of missing) {
      const fallback = 'fallback' in field ? field.fallback : undefined;
      process.stdout.write(`${field.question}${fallback ? ` [${fallback}]` : ''}: `);
      muted = 'secret' in field;
      const answer = (await prompt.question('')).trim();
      if (muted) process.stdout.write('\n');
      muted = false;
      if (answer || fallback) answers[field.key] = answer || fallback;
    }
  } finally {
    prompt.close();
  }
  return answers;
}

/** `make create-admin`: a tenant and its first admin, from the command line (for installs without sign-up). */
async function main(): Promise<void> {
  const answers = await collect();
  const dto = plainToInstance(SignupDto, answers);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new StartupError(`Cannot create the admin:\n  ${lines.join('\n  ')}`);
  }
  const environment = loadEnvironment();
  const target = await openDatabaseTarget(environment.DATABASE_URL, environment.EMBEDDED_DB_DIR);
  await migrateDatabase(target.url);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      environment: { ...environment, LOG_LEVEL: 'warn' },
      database: { url: target.url, poolSize: 1, singleSession: Boolean(target.embedded) },
      // Nothing is signed here: the new admin signs in through the API.
      auth: authSettings(environment, 'create-admin signs no token, so any key will do'),
    }),
    { logger: ['error', 'warn'] },
  );
  try {
    const created = await app.get(Signup).createTenant({
      tenantName: dto.tenant_name,
      tenantId: dto.tenant_id,
      timezone: dto.timezone,
      currency: dto.currency,
      name: dto.name,
      email: dto.email,
      password: dto.password,
    });
    console.log(
      `${target.label}: created tenant ${created.tenantId} with admin ${dto.email.trim().toLowerCase()}. ` +
        `Sign in at /sign-in, or POST /api/v1/auth/login.`,
    );
  } catch (error) {
    if (error instanceof ApiError) throw new StartupError(error.detail);
    throw error;
  } finally {
    await app.close();
    await target.embedded?.stop();
  }
}

runCli(main);
