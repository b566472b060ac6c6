import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { dashboard } from './common/http/dashboard.middleware';
import { jsonBody } from './common/http/json-body.middleware';
import { createValidationPipe } from './common/validation/validation';
import { buildOpenApiDocument } from './openapi';

export const API_PREFIX = 'api/v1';

/** Nest's own body parsers are off: jsonBody() replaces them, with the error envelope. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

export interface AppSetupOptions {
  /** The dashboard's production build (index.html and assets); without it NAT serves the API only. */
  dashboardDir?: string;
}

/** Everything main.ts and the e2e tests must configure identically on the Nest application. */
export function configureApp(app: NestExpressApplication, { dashboardDir }: AppSetupOptions = {}): void {
  app.disable('x-powered-by');
  if (dashboardDir) app.use(...dashboard(dashboardDir));
  app.use(jsonBody());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/live'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'NAT API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true },
  });
}
