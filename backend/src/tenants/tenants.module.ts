import { Module } from '@nestjs/common';
import { CurrentTenantController, TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  controllers: [TenantsController, CurrentTenantController],
  providers: [TenantsService],
})
export class TenantsModule {}
