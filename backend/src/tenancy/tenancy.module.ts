import { Global, Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { TenantContext } from './tenant-context';
import { TenantGuard } from './tenant.guard';

@Global()
@Module({
  imports: [TenantsModule],
  providers: [TenantContext, TenantGuard],
  exports: [TenantContext, TenantGuard, TenantsModule],
})
export class TenancyModule {}
