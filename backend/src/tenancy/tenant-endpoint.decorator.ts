import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEndpoint, type EndpointOptions } from '../common/http/api-endpoint.decorator';
import { TENANT_HEADER, TenantGuard } from './tenant.guard';

const TENANT_ERRORS = [ErrorCode.TENANT_ID_MISSING, ErrorCode.TENANT_ID_INVALID, ErrorCode.TENANT_NOT_FOUND];

/**
 * A tenant-scoped route: the guard resolves `X-Tenant-ID` into the tenant context, and the spec declares the
 * header as required (so generated clients send it) next to every error the route can answer with.
 */
export function TenantEndpoint({ errors = [], ...options }: EndpointOptions): MethodDecorator {
  return applyDecorators(
    UseGuards(TenantGuard),
    ApiHeader({
      name: TENANT_HEADER,
      required: true,
      description: 'The tenant whose data the request reads or changes',
      schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$', example: 'demo-tenant-1' },
    }),
    ApiEndpoint({ ...options, errors: [...TENANT_ERRORS, ...errors] }),
  );
}
