import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import { TENANT_ID_PATTERN } from '../tenants/tenant-id';
import { TenantsService } from '../tenants/tenants.service';
import { TenantContext } from './tenant-context';

export const TENANT_HEADER = 'X-Tenant-ID';

@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    private readonly tenants: TenantsService,
    private readonly context: TenantContext,
    private readonly logger: PinoLogger,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const request = execution.switchToHttp().getRequest<Request>();
    const tenantId = request.header(TENANT_HEADER)?.trim();
    if (!tenantId) {
      throw new ApiError(ErrorCode.TENANT_ID_MISSING, `The ${TENANT_HEADER} header is required.`);
    }
    if (!TENANT_ID_PATTERN.test(tenantId)) {
      throw new ApiError(
        ErrorCode.TENANT_ID_INVALID,
        `The ${TENANT_HEADER} header must be 2-63 lowercase letters, digits or hyphens, starting with a letter or digit.`,
      );
    }
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new ApiError(ErrorCode.TENANT_NOT_FOUND, `Tenant ${tenantId} not found.`);
    this.context.set(tenant);
    this.logger.assign({ tenant_id: tenant.id });
    return true;
  }
}
