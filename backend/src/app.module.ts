import { createSecretKey, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AuditModule } from './audit/audit.module';
import { AUTH_SETTINGS } from './auth/auth-settings';
import { AccessTokenVerifier } from './auth/access-token-verifier';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import type { AuthSettings, Environment } from './config/config';
import {
  dataSourceOptions,
  REQUEST_TIMEOUT_MS,
  SINGLE_SESSION_DATABASE,
  type DatabaseSettings,
} from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { MembershipsModule } from './memberships/memberships.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import { requestLogFields } from './tenancy/log-fields';
import { RequestScopeInterceptor } from './tenancy/request-scope.interceptor';
import { ScopedTransactionAdapter } from './tenancy/scoped-transaction-adapter';
import { TenancyModule } from './tenancy/tenancy.module';
import { TenantsModule } from './tenants/tenants.module';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keeps a caller's X-Request-ID when it is sane, so logs can be followed across services; else makes one. */
function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-ID', id);
  return id;
}

export interface AppOptions {
  environment: Pick<Environment, 'LOG_LEVEL' | 'NODE_ENV'>;
  database: DatabaseSettings;
  auth: AuthSettings;
}

@Module({})
export class AppModule {
  static forRoot({ environment, database, auth }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true },
          plugins: [
            new ClsPluginTransactional({
              adapter: new ScopedTransactionAdapter({ dataSourceToken: getDataSourceToken() }),
            }),
          ],
        }),
        // A KeyObject: given a string, jsonwebtoken first tries to parse it as a public key on every verification
        // and catches the failure, which was a tenth of the API's CPU time under load.
        JwtModule.register({ global: true, secret: createSecretKey(Buffer.from(auth.jwtSecret, 'utf8')) }),
        LoggerModule.forRoot({
          // Every route, in the path syntax of Nest 11 (the default '*' warns under a global prefix).
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          assignResponse: true,
          pinoHttp: [
            {
              level: environment.LOG_LEVEL,
              genReqId: requestId,
              // Method, path and status only: bodies and headers (tokens, later) never reach the log.
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                }),
                res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
              },
              // The user and the tenant, on the request's line and on any line written while it runs.
              mixin: requestLogFields,
              customLogLevel: (_req, res, error) =>
                error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            },
            // Written without blocking the event loop (a sync write per request cost ~5 % of CPU under load);
            // pino flushes what is pending when the process exits.
            pino.destination({ dest: 1, sync: false }),
          ],
        }),
        TypeOrmModule.forRoot(dataSourceOptions(database)),
        TenancyModule,
        AuditModule,
        AuthModule,
        TenantsModule,
        MembershipsModule,
        OpportunitiesModule,
        HealthModule,
        MetricsModule,
      ],
      providers: [
        { provide: Clock, useClass: Clock },
        { provide: AUTH_SETTINGS, useValue: auth },
        { provide: REQUEST_TIMEOUT_MS, useValue: database.requestTimeoutMs ?? 5_000 },
        { provide: SINGLE_SESSION_DATABASE, useValue: database.singleSession ?? false },
        AccessTokenVerifier,
        // 401 (the guard) always comes before 403 (the membership check inside the request's transaction).
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useExisting: RequestScopeInterceptor },
      ],
      exports: [Clock, AUTH_SETTINGS, REQUEST_TIMEOUT_MS, SINGLE_SESSION_DATABASE],
      global: true,
    };
  }
}
