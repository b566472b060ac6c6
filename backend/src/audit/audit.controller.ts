import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '../common/errors/error-code';
import { LINK_HEADER, setNextLink } from '../common/paging/page';
import { PageQueryDto } from '../common/paging/page-query.dto';
import { TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { AuditLog } from './audit-log';
import { AuditEventDto } from './dto/audit-event.dto';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @TenantEndpoint({
    summary: "The tenant's audit log, newest first (admins)",
    description:
      'Sign-ins, membership changes, completions and reassignments. Keyset-paged like the other lists.',
    roles: ['admin'],
    errors: [ErrorCode.VALIDATION_ERROR],
  })
  @ApiOkResponse({ type: [AuditEventDto], headers: LINK_HEADER })
  async list(
    @Query() query: PageQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuditEventDto[]> {
    const page = await this.audit.list(query);
    setNextLink(request, response, page.next);
    return page.items;
  }
}
