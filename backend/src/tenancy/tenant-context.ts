import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { Tenant } from '../tenants/tenant.entity';

const TENANT_KEY = 'tenant';

/** The tenant of the current request, set once by the TenantGuard and read by services. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService) {}

  set(tenant: Tenant): void {
    this.cls.set(TENANT_KEY, tenant);
  }

  /** Throws when a tenant-scoped service is reached without the guard: a wiring bug, never a client error. */
  get current(): Tenant {
    const tenant = this.cls.get<Tenant | undefined>(TENANT_KEY);
    if (!tenant) throw new Error('No tenant in context: is the route missing @TenantScoped()?');
    return tenant;
  }
}
