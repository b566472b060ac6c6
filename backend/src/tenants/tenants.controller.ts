import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Principal } from '../auth/principal';
import { TenantContext } from '../tenancy/tenant-context';
import { AuthenticatedEndpoint, TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { TenantDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly principal: Principal,
  ) {}

  @Get()
  @AuthenticatedEndpoint({
    summary: 'Your tenants, with your role in each',
    description: 'The tenants you are a member of, by name. Needs no X-Tenant-ID header.',
  })
  @ApiOkResponse({ type: [TenantDto] })
  list(): Promise<TenantDto[]> {
    return this.tenants.listOf(this.principal.id);
  }
}

@ApiTags('tenants')
@Controller('tenants/current')
export class CurrentTenantController {
  constructor(private readonly context: TenantContext) {}

  @Get()
  @TenantEndpoint({ summary: 'The tenant named by the X-Tenant-ID header, with your role' })
  @ApiOkResponse({ type: TenantDto })
  getCurrent(): TenantDto {
    return TenantDto.from(this.context.member);
  }
}
