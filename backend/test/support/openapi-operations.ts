import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON schema as the committed spec writes it (a `$ref` is resolved by `resolve`). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

interface RawOperation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
  security?: unknown[];
  'x-nat-roles'?: string[];
}

/** One operation of the committed OpenAPI spec, in the terms the generated tests need. */
export interface SpecOperation {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** As in the spec, with `{id}`-style placeholders. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The request body's schema, `$ref`s resolved at the top level. */
  body?: Schema;
  /** Needs `Authorization: Bearer …`. */
  authenticated: boolean;
  /** Needs `X-Tenant-ID`. */
  tenantScoped: boolean;
  /** Only these roles may call it at all (`x-nat-roles`); undefined: any member. */
  roles?: string[];
  /** Every error_code the spec documents for it. */
  errorCodes: string[];
}

interface Spec {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export const spec = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as Spec;

/** Follows a `$ref` into components.schemas (one level; call again for nested ones). */
export function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = spec.components.schemas[name];
  if (!target) throw new Error(`Unknown schema ${schema.$ref}`);
  return resolve(target);
}

function errorCodesOf(operation: RawOperation): string[] {
  return Object.entries(operation.responses)
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([, response]) => Object.keys(response.content?.['application/json']?.examples ?? {}));
}

/** Every operation under /api/v1, in spec order. */
export const operations: SpecOperation[] = Object.entries(spec.paths)
  .filter(([path]) => path.startsWith('/api/v1/'))
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const body = operation.requestBody?.content['application/json']?.schema;
      return {
        operationId: operation.operationId,
        method: method as SpecOperation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: body && resolve(body),
        authenticated: (operation.security ?? []).length > 0,
        tenantScoped: parameters.some((p) => p.in === 'header' && p.name === 'X-Tenant-ID'),
        roles: operation['x-nat-roles'],
        errorCodes: errorCodesOf(operation),
      };
    }),
  );

/** `/api/v1/opportunities/{id}/close` with `{ id }` filled in. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });
}
