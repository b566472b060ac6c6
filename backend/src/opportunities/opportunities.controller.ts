import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '../common/errors/error-code';
import { setNextLink } from '../common/paging/page';
import { PageQueryDto } from '../common/paging/page-query.dto';
import { uuidParam } from '../common/validation/uuid-param.pipe';
import { TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { CompleteActionDto, CompleteActionResponseDto } from './dto/complete-action.dto';
import { CreateOpportunityDto } from './dto/create-opportunity.dto';
import { DueQueryDto, DueWindowQueryDto } from './dto/due-query.dto';
import { DueSummaryDto } from './dto/due-summary.dto';
import { OpportunityActionDto } from './dto/opportunity-action.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { OpportunitiesService } from './opportunities.service';

const LINK_HEADER = {
  Link: {
    description: 'Present when more rows remain: `<url>; rel="next"`, the same query with the next cursor',
    schema: {
      type: 'string',
      example: '</api/v1/opportunities/due?limit=100&cursor=eyJhdCI6Ij…>; rel="next"',
    },
  },
};

@ApiTags('opportunities')
@Controller('opportunities')
export class OpportunitiesController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  @Get('due')
  @TenantEndpoint({
    summary: 'Due next actions, oldest first',
    description:
      "Open opportunities whose next action is due before the end of today in the tenant's time zone (or before `until`), " +
      'oldest first, ties by id. Keyset-paged: follow the `Link: <…>; rel="next"` header while it is present.',
    errors: [ErrorCode.VALIDATION_ERROR],
  })
  @ApiOkResponse({ type: [OpportunityDto], headers: LINK_HEADER })
  async getDue(
    @Query() query: DueQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OpportunityDto[]> {
    const page = await this.opportunities.listDue(query);
    setNextLink(request, response, page.next);
    return page.items;
  }

  @Get('due/summary')
  @TenantEndpoint({
    summary: 'Counts and value of the due next actions',
    description: 'Takes the same `from`/`until` window as the due list.',
    errors: [ErrorCode.VALIDATION_ERROR],
  })
  @ApiOkResponse({ type: DueSummaryDto })
  getDueSummary(@Query() query: DueWindowQueryDto): Promise<DueSummaryDto> {
    return this.opportunities.summarizeDue(query);
  }

  @Post()
  @TenantEndpoint({
    summary: 'Create an opportunity with its first next action',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_JSON],
  })
  @ApiCreatedResponse({ type: OpportunityDto })
  create(@Body() body: CreateOpportunityDto): Promise<OpportunityDto> {
    return this.opportunities.create(body);
  }

  @Get(':id')
  @TenantEndpoint({
    summary: 'One opportunity',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.OPPORTUNITY_NOT_FOUND],
  })
  @ApiOkResponse({ type: OpportunityDto })
  get(@Param('id', uuidParam()) id: string): Promise<OpportunityDto> {
    return this.opportunities.get(id);
  }

  @Get(':id/actions')
  @TenantEndpoint({
    summary: 'History of completed actions, newest first',
    description: 'Keyset-paged like the due list.',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.OPPORTUNITY_NOT_FOUND],
  })
  @ApiOkResponse({ type: [OpportunityActionDto], headers: LINK_HEADER })
  async getActions(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OpportunityActionDto[]> {
    const page = await this.opportunities.listActions(id, query);
    setNextLink(request, response, page.next);
    return page.items;
  }

  @Post(':id/complete_action')
  @HttpCode(HttpStatus.OK)
  @TenantEndpoint({
    summary: 'Complete the current next action and plan the next one',
    description:
      'Appends the current action to the history and sets the new one atomically. The new date must be in the future. ' +
      'With `expected_version`, a concurrent change answers 409 VERSION_CONFLICT and nothing changes.',
    errors: [
      ErrorCode.VALIDATION_ERROR,
      ErrorCode.MALFORMED_JSON,
      ErrorCode.OPPORTUNITY_NOT_FOUND,
      ErrorCode.VERSION_CONFLICT,
    ],
  })
  @ApiOkResponse({ type: CompleteActionResponseDto })
  completeAction(
    @Param('id', uuidParam()) id: string,
    @Body() body: CompleteActionDto,
  ): Promise<CompleteActionResponseDto> {
    return this.opportunities.completeAction(id, body);
  }
}
