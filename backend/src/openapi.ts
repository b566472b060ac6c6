import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

const DESCRIPTION = `NAT keeps every open opportunity moving: each has exactly one next action with a due date,
and completing an action means planning the next one in the same request.

Sign in first: \`POST /api/v1/auth/login\` answers an access token (15 minutes) for
\`Authorization: Bearer …\` on every other endpoint, and a refresh token for \`POST /api/v1/auth/refresh\`.
Every tenant-scoped endpoint also needs the \`X-Tenant-ID\` header, naming one of your tenants
(\`GET /api/v1/tenants\`); any other answers 403 TENANT_ACCESS_DENIED. Errors always have the body
\`{ "detail": string, "error_code": string, "errors"?: [{ "field", "message" }] }\`.
Lists are keyset-paged: while more rows remain, the response carries \`Link: <…>; rel="next"\`.`;

/** `OpportunitiesController.getDue` → `opportunities_getDue`: stable names for generated clients. */
function operationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}_${methodKey}`;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('NAT — Next Action Tracker API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addTag('auth', 'Sign in, sessions and passwords')
    .addTag('signup', 'A new tenant and its first admin')
    .addTag('opportunities', 'The pipeline and its next actions')
    .addTag('tenants', 'The teams whose pipelines NAT keeps')
    .addTag('memberships', 'Who belongs to a tenant, and their roles')
    .addTag('audit', 'Who did what, for admins')
    .addTag('health', 'Liveness and readiness')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
}

/** Recursively sorted keys, so the committed spec only changes when the API does. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}
