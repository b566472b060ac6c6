import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module';
import { API_PREFIX } from '../app.setup';
import { buildOpenApiDocument, serializeOpenApi } from '../openapi';

/** Builds the spec from the module graph in preview mode: no provider runs, so no database is needed. */
export async function exportOpenApi(): Promise<string> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      environment: { LOG_LEVEL: 'silent', NODE_ENV: 'production' },
      database: { url: 'postgres://unused@127.0.0.1:1/unused', poolSize: 1 },
      auth: {
        jwtSecret: 'preview mode signs nothing: no provider runs',
        loginPerIp: 1,
        loginPerAccount: 1,
        signupPerIp: 1,
        signupEnabled: true,
      },
    }),
    { preview: true, logger: false },
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  const spec = serializeOpenApi(buildOpenApiDocument(app));
  await app.close();
  return spec;
}

if (require.main === module) {
  const target = resolve(process.argv[2] ?? 'backend/openapi.json');
  exportOpenApi()
    .then((spec) => {
      writeFileSync(target, spec);
      console.log(`OpenAPI spec written to ${target}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
