import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEndpoint, type EndpointOptions } from '../common/http/api-endpoint.decorator';
import { IDEMPOTENCY_HEADER } from './idempotency';
import type { Role } from './role';

export const TENANT_HEADER = 'X-Tenant-ID';
export const TENANT_ROUTE = 'nat:tenant-route';

/** What a tenant-scoped route demands of the caller's membership; no roles: any member. */
export interface TenantRouteRule {
  roles?: readonly Role[];
  /** A POST that changes data: it honours `Idempotency-Key`, so a retry cannot change data twice. */
  idempotent?: boolean;
}

const IDEMPOTENCY_ERRORS = [
  ErrorCode.IDEMPOTENCY_KEY_INVALID,
  ErrorCode.IDEMPOTENCY_KEY_REUSED,
  ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
];

/** The optional header of an idempotent route, documented once. */
const IDEMPOTENCY_KEY_HEADER = ApiHeader({
  name: IDEMPOTENCY_HEADER,
  required: false,
  description:
    'Makes a retry safe: a unique value per intended change (a UUID). For 24 hours, the same key with the same ' +
    'request answers the first successful answer again (with `Idempotent-Replayed: true`) and changes nothing; ' +
    'with another request it answers 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 ' +
    'IDEMPOTENCY_KEY_IN_PROGRESS. Failed requests keep no key: their retry runs again. Keys are per user, tenant and route.',
  schema: { type: 'string', minLength: 1, maxLength: 255, example: '5f0c5d7e-2a55-4c1e-9a51-3f8d2c1b7a90' },
});

const AUTH_ERRORS = [ErrorCode.UNAUTHENTICATED];
const TENANT_ERRORS = [
  ErrorCode.TENANT_ID_MISSING,
  ErrorCode.TENANT_ID_INVALID,
  ErrorCode.TENANT_ACCESS_DENIED,
];

/** A route for any signed-in user, outside any tenant (their profile, their tenants). */
export function AuthenticatedEndpoint({ errors = [], ...options }: EndpointOptions): MethodDecorator {
  return applyDecorators(ApiBearerAuth(), ApiEndpoint({ ...options, errors: [...AUTH_ERRORS, ...errors] }));
}

/**
 * A tenant-scoped route: the caller must be signed in and a member of the tenant named by `X-Tenant-ID`
 * (with one of `roles`, when given). The RequestScopeInterceptor enforces it inside the request's
 * transaction; the spec declares the header as required (so generated clients send it) and every error.
 */
export function TenantEndpoint({
  errors = [],
  roles,
  idempotent = false,
  ...options
}: EndpointOptions & TenantRouteRule): MethodDecorator {
  return applyDecorators(
    SetMetadata(TENANT_ROUTE, { roles, idempotent } satisfies TenantRouteRule),
    ...(idempotent ? [IDEMPOTENCY_KEY_HEADER] : []),
    // Machine-readable for clients and for the isolation tests: who may call the route at all.
    ...(roles ? [ApiExtension('x-nat-roles', [...roles])] : []),
    ApiHeader({
      name: TENANT_HEADER,
      required: true,
      description: 'The tenant whose data the request reads or changes: one of the caller’s memberships',
      schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$', example: 'demo-tenant-1' },
    }),
    AuthenticatedEndpoint({
      ...options,
      errors: [
        ...TENANT_ERRORS,
        ...(roles ? [ErrorCode.FORBIDDEN] : []),
        ...(idempotent ? IDEMPOTENCY_ERRORS : []),
        ...errors,
      ],
    }),
  );
}
