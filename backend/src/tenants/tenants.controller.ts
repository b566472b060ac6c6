import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/http/api-endpoint.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { TenantDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiEndpoint({
    summary: 'List tenants',
    description: 'Every tenant, by name. Needs no X-Tenant-ID header.',
  })
  @ApiOkResponse({ type: [TenantDto] })
  async list(): Promise<TenantDto[]> {
    return (await this.tenants.findAll()).map((tenant) => TenantDto.from(tenant));
  }
}

@ApiTags('tenants')
@Controller('tenants/current')
export class CurrentTenantController {
  constructor(private readonly context: TenantContext) {}

  @Get()
  @TenantEndpoint({ summary: 'The tenant named by the X-Tenant-ID header' })
  @ApiOkResponse({ type: TenantDto })
  getCurrent(): TenantDto {
    return TenantDto.from(this.context.current);
  }
}
