import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEndpoint, type EndpointOptions } from '../common/http/api-endpoint.decorator';
import type { Role } from './role';

export const TENANT_HEADER = 'X-Tenant-ID';
export const TENANT_ROUTE = 'nat:tenant-route';

/** What a tenant-scoped route demands of the caller's membership; no roles: any member. */
export interface TenantRouteRule {
  roles?: readonly Role[];
}

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
  ...options
}: EndpointOptions & TenantRouteRule): MethodDecorator {
  return applyDecorators(
    SetMetadata(TENANT_ROUTE, { roles } satisfies TenantRouteRule),
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
      errors: [...TENANT_ERRORS, ...(roles ? [ErrorCode.FORBIDDEN] : []), ...errors],
    }),
  );
}
