import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { COOKIE_PATH as REFRESH_COOKIE_PATH } from './auth/refresh-cookie';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { answerClientErrorsWithEnvelope } from './common/http/client-errors';
import { dashboard } from './common/http/dashboard.middleware';
import { jsonBody } from './common/http/json-body.middleware';
import type { ShutdownGate } from './common/http/shutdown-gate';
import { createValidationPipe } from './common/validation/validation';
import { buildOpenApiDocument } from './openapi';

export const API_PREFIX = 'api/v1';

/** Nest's own body parsers are off: jsonBody() replaces them, with the error envelope. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

export interface AppSetupOptions {
  /** The dashboard's production build (index.html and assets); without it NAT serves the API only. */
  dashboardDir?: string;
  /** Browser origins allowed to call the API cross-origin; none by default (the dashboard is same-origin). */
  corsOrigins?: string[];
  /** Proxies whose X-Forwarded-For/-Proto count (Express `trust proxy`); none by default. */
  trustProxy?: string[] | false;
  /** Turns requests away once the process is stopping (main.ts drains through it on SIGTERM). */
  shutdownGate?: ShutdownGate;
}

/**
 * helmet's defaults, with a policy the dashboard and Swagger UI live with: everything from this origin, styles
 * inline too (Angular Material sets some at run time), images also as data: URLs, no inline script or event
 * handler (the dashboard's build does not inline critical CSS, which would need an onload handler). No other
 * site may frame NAT.
 */
const SECURITY_HEADERS = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      // helmet's default would send assets to https:// even where NAT is served over plain HTTP (a LAN, a
      // proxy that terminates TLS in front): the proxy's own headers decide that, not the app.
      upgradeInsecureRequests: null,
    },
  },
});

/** Everything main.ts and the e2e tests must configure identically on the Nest application. */
export function configureApp(
  app: NestExpressApplication,
  { dashboardDir, corsOrigins = [], trustProxy = false, shutdownGate }: AppSetupOptions = {},
): void {
  if (shutdownGate) app.use(shutdownGate.admit);
  app.disable('x-powered-by');
  // Express would hash every JSON body (SHA-1 of a 50 kB due page) for an ETag no API client sends back; the
  // dashboard's static files keep theirs (serve-static sets its own).
  app.set('etag', false);
  answerClientErrorsWithEnvelope(app.getHttpServer());
  // request.ip (per-IP limits, auth_events) and request.secure (the Secure cookie) come from here.
  app.set('trust proxy', trustProxy);
  app.use(SECURITY_HEADERS);
  app.enableCors({
    origin: corsOrigins,
    credentials: true,
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Tenant-ID', 'X-Request-ID', 'Idempotency-Key'],
    exposedHeaders: ['Link', 'Retry-After', 'X-Request-ID'],
    maxAge: 600,
  });
  // Only the refresh token travels in a cookie, and only to the auth routes: other requests skip the parsing.
  app.use(REFRESH_COOKIE_PATH, cookieParser());
  if (dashboardDir) app.use(...dashboard(dashboardDir));
  app.use(jsonBody());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'NAT API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true },
  });
}
