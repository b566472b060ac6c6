import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp } from './app.setup';
import { NatExpressAdapter } from './common/http/express-adapter';
import { ShutdownGate } from './common/http/shutdown-gate';
import { installLeanAsyncResourceBind } from './common/node/async-resource-bind';
import { StartupError } from './common/startup-error';
import { authSettings, commaList, loadEnvironment, trustProxyOf } from './config/config';
import { resolveJwtSecret } from './config/jwt-secret';
import { openDatabaseTarget } from './database/embedded-postgres';
import { migrateDatabase } from './database/migrate';
import { demoAccountLines, isEmpty, seedDemoData } from './database/seed/seed';

async function bootstrap(): Promise<void> {
  installLeanAsyncResourceBind();
  const environment = loadEnvironment();
  const jwt = resolveJwtSecret(environment);
  // Without DATABASE_URL, NAT brings its own PostgreSQL (PGlite): one session, so one pooled connection.
  const target = await openDatabaseTarget(environment.DATABASE_URL, environment.EMBEDDED_DB_DIR);
  const { embedded } = target;
  const database = {
    url: target.url,
    poolSize: embedded ? 1 : environment.DB_POOL_SIZE,
    singleSession: Boolean(embedded),
    requestTimeoutMs: environment.REQUEST_TIMEOUT_MS,
  };
  // Before serving, once: replicas starting together queue on an advisory lock instead of racing.
  await migrateDatabase(target.url).catch((error: unknown) => {
    throw new StartupError(
      `Cannot migrate ${target.label}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });

  const auth = authSettings(environment, jwt.secret);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ environment, database, auth }),
    new NatExpressAdapter(),
    { ...APP_OPTIONS, bufferLogs: true },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  if (jwt.generatedAt) {
    logger.log(
      `Generated a token signing key in ${jwt.generatedAt} (set JWT_SECRET in production)`,
      'Bootstrap',
    );
  }
  const dashboardDir = environment.DASHBOARD_DIR ?? join(__dirname, '..', 'frontend', 'browser');
  const hasDashboard = existsSync(join(dashboardDir, 'index.html'));
  const shutdownGate = new ShutdownGate();
  configureApp(app, {
    shutdownGate,
    dashboardDir: hasDashboard ? dashboardDir : undefined,
    corsOrigins: commaList(environment.CORS_ORIGINS),
    trustProxy: trustProxyOf(environment.TRUST_PROXY),
  });
  if (!hasDashboard) logger.warn(`No dashboard build in ${dashboardDir}: serving the API only`, 'Bootstrap');

  if (embedded) {
    const dataSource = app.get(DataSource);
    if (await isEmpty(dataSource)) {
      const seeded = await seedDemoData(dataSource);
      logger.log(
        `Embedded database was empty: seeded ${seeded.opportunities} demo opportunities`,
        'Bootstrap',
      );
      for (const line of demoAccountLines()) logger.log(line, 'Bootstrap');
    }
  }

  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.log(`${signal}: no new requests; finishing the ones in flight`, 'Bootstrap');
    // The HTTP server first: Nest's close() would end the database pool before the server, under running requests.
    const { unfinished } = await shutdownGate.drain(app.getHttpServer(), environment.SHUTDOWN_TIMEOUT_MS);
    if (unfinished > 0) {
      logger.warn(
        `${unfinished} requests were still running after ${environment.SHUTDOWN_TIMEOUT_MS} ms`,
        'Bootstrap',
      );
    }
    await app.close();
    logger.log('Stopped', 'Bootstrap');
    await embedded?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (name) => void shutdown(name));

  await app.listen(environment.PORT, environment.HOST);
  logger.log(
    `NAT listening on http://localhost:${environment.PORT} (${target.label}); dashboard at /, API docs at /docs`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
