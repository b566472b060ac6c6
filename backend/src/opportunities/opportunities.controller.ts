import { Body, Controller, Get, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '../common/errors/error-code';
import { LINK_HEADER, setNextLink } from '../common/paging/page';
import { PageQueryDto } from '../common/paging/page-query.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { CreateOpportunityDto } from './dto/create-opportunity.dto';
import { DueQueryDto, DueWindowQueryDto } from './dto/due-query.dto';
import { DueSummaryDto } from './dto/due-summary.dto';
import { UpdateOpportunityDto } from './dto/lifecycle.dto';
import { ListQueryDto } from './dto/list-query.dto';
import { OpportunityEventDto } from './dto/opportunity-event.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { OpportunitiesService } from './opportunities.service';
import { OpportunityLifecycle } from './opportunity-lifecycle.service';

@ApiTags('opportunities')
@Controller('opportunities')
export class OpportunitiesController {
  constructor(
    private readonly opportunities: OpportunitiesService,
    private readonly lifecycle: OpportunityLifecycle,
  ) {}

  @Get('due')
  @TenantEndpoint({
    summary: 'Due next actions, oldest first',
    description:
      "Open opportunities whose next action is due before the end of today in the tenant's time zone (or before `until`), " +
      'oldest first, ties by id. Keyset-paged: follow the `Link: <…>; rel="next"` header while it is present.',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.FORBIDDEN],
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
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.FORBIDDEN],
  })
  @ApiOkResponse({ type: DueSummaryDto })
  getDueSummary(@Query() query: DueWindowQueryDto): Promise<DueSummaryDto> {
    return this.opportunities.summarizeDue(query);
  }

  @Post()
  @TenantEndpoint({
    idempotent: true,
    summary: 'Create an opportunity with its first next action',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_JSON, ErrorCode.FORBIDDEN],
  })
  @ApiCreatedResponse({ type: OpportunityDto })
  create(@Body() body: CreateOpportunityDto): Promise<OpportunityDto> {
    return this.opportunities.create(body);
  }

  @Get()
  @TenantEndpoint({
    summary: 'All opportunities: filter, search, sort',
    description:
      'Open ones by default (`status`). `q` finds text in the name or next action details, case-insensitively. ' +
      'Keyset-paged like the due list; a cursor belongs to its `sort`.',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.FORBIDDEN],
  })
  @ApiOkResponse({ type: [OpportunityDto], headers: LINK_HEADER })
  async list(
    @Query() query: ListQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OpportunityDto[]> {
    const page = await this.opportunities.list(query);
    setNextLink(request, response, page.next);
    return page.items;
  }

  @Get(':id')
  @TenantEndpoint({
    summary: 'One opportunity',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.OPPORTUNITY_NOT_FOUND],
  })
  @ApiOkResponse({ type: OpportunityDto })
  get(@UuidParam('id') id: string): Promise<OpportunityDto> {
    return this.opportunities.get(id);
  }

  @Get(':id/actions')
  @TenantEndpoint({
    summary: 'The timeline of an opportunity, newest first',
    description:
      'Typed events: created, completed, rescheduled, stage_changed, closed, reopened. A `completed` entry has ' +
      'details, due_at, completed_at and notes. Keyset-paged like the due list.',
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.OPPORTUNITY_NOT_FOUND],
  })
  @ApiOkResponse({ type: [OpportunityEventDto], headers: LINK_HEADER })
  async getActions(
    @UuidParam('id') id: string,
    @Query() query: PageQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OpportunityEventDto[]> {
    const page = await this.opportunities.listEvents(id, query);
    setNextLink(request, response, page.next);
    return page.items;
  }

  @Patch(':id')
  @TenantEndpoint({
    summary: 'Edit name, value or stage, or reassign the owner',
    description:
      'Only open stages; a stage change is recorded in the timeline. A closed opportunity answers 409. ' +
      'Changing owner_id is for managers and admins (a rep gets 403 FORBIDDEN); the new owner must be a member.',
    errors: [
      ErrorCode.VALIDATION_ERROR,
      ErrorCode.MALFORMED_JSON,
      ErrorCode.OPPORTUNITY_NOT_FOUND,
      ErrorCode.VERSION_CONFLICT,
      ErrorCode.OPPORTUNITY_CLOSED,
      ErrorCode.FORBIDDEN,
    ],
  })
  @ApiOkResponse({ type: OpportunityDto })
  update(@UuidParam('id') id: string, @Body() body: UpdateOpportunityDto): Promise<OpportunityDto> {
    return this.lifecycle.update(id, body);
  }
}
