import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorCode } from '../common/errors/error-code';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { BulkCompleteDto, BulkRescheduleDto, BulkResultDto } from './dto/bulk.dto';
import { CompleteActionDto, CompleteActionResponseDto } from './dto/complete-action.dto';
import { CloseOpportunityDto, ReopenOpportunityDto, RescheduleDto } from './dto/lifecycle.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { OpportunityBulk } from './opportunity-bulk.service';
import { OpportunityLifecycle } from './opportunity-lifecycle.service';

const CHANGE_ERRORS = [
  ErrorCode.VALIDATION_ERROR,
  ErrorCode.MALFORMED_JSON,
  ErrorCode.OPPORTUNITY_NOT_FOUND,
  ErrorCode.VERSION_CONFLICT,
];

const BULK_DESCRIPTION =
  'Up to 200 items, each with its id, expected_version and its own values, or the `shared` ones. Each item ' +
  'succeeds or fails on its own, in its own transaction; `results` lists every item with its status and, on ' +
  'failure, its error envelope. 200 when all succeeded, 207 when some failed.';

/** What a rep does to an opportunity: complete its action, move it, close it, reopen it; one by one or in bulk. */
@ApiTags('opportunities')
@Controller('opportunities')
export class OpportunityActionsController {
  constructor(
    private readonly lifecycle: OpportunityLifecycle,
    private readonly bulk: OpportunityBulk,
  ) {}

  // Before the ':id/…' routes: Express matches in order, and 'bulk' would otherwise be taken for an id.
  @Post('bulk/complete')
  @TenantEndpoint({
    idempotent: true,
    summary: 'Complete many actions, each planning its next one',
    description: BULK_DESCRIPTION,
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_JSON],
  })
  @ApiOkResponse({ type: BulkResultDto, description: 'Every item succeeded' })
  @ApiResponse({ status: 207, type: BulkResultDto, description: 'Some items failed: see each result' })
  async bulkComplete(
    @Body() body: BulkCompleteDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BulkResultDto> {
    return this.withStatus(response, await this.bulk.complete(body));
  }

  @Post('bulk/reschedule')
  @TenantEndpoint({
    idempotent: true,
    summary: 'Reschedule many actions',
    description: BULK_DESCRIPTION,
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_JSON],
  })
  @ApiOkResponse({ type: BulkResultDto, description: 'Every item succeeded' })
  @ApiResponse({ status: 207, type: BulkResultDto, description: 'Some items failed: see each result' })
  async bulkReschedule(
    @Body() body: BulkRescheduleDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BulkResultDto> {
    return this.withStatus(response, await this.bulk.reschedule(body));
  }

  @Post(':id/complete_action')
  @HttpCode(HttpStatus.OK)
  @TenantEndpoint({
    idempotent: true,
    summary: 'Complete the current next action and plan the next one',
    description:
      'Appends the current action to the timeline and sets the new one atomically. The new date must be in the future. ' +
      'With `expected_version`, a concurrent change answers 409 VERSION_CONFLICT and nothing changes.',
    errors: [...CHANGE_ERRORS, ErrorCode.OPPORTUNITY_CLOSED],
  })
  @ApiOkResponse({ type: CompleteActionResponseDto })
  completeAction(
    @UuidParam('id') id: string,
    @Body() body: CompleteActionDto,
  ): Promise<CompleteActionResponseDto> {
    return this.lifecycle.completeAction(id, body);
  }

  @Post(':id/reschedule')
  @HttpCode(HttpStatus.OK)
  @TenantEndpoint({
    idempotent: true,
    summary: "Move the current action's date without completing it",
    description: 'The new date must be in the future; the reason (1–500 characters) goes into the timeline.',
    errors: [...CHANGE_ERRORS, ErrorCode.OPPORTUNITY_CLOSED],
  })
  @ApiOkResponse({ type: OpportunityDto })
  reschedule(@UuidParam('id') id: string, @Body() body: RescheduleDto): Promise<OpportunityDto> {
    return this.lifecycle.reschedule(id, body);
  }

  @Post(':id/close')
  @HttpCode(HttpStatus.OK)
  @TenantEndpoint({
    idempotent: true,
    summary: 'Close as won or lost',
    description: 'The opportunity leaves the pipeline: its next action is cleared and it is never due again.',
    errors: [...CHANGE_ERRORS, ErrorCode.OPPORTUNITY_CLOSED],
  })
  @ApiOkResponse({ type: OpportunityDto })
  close(@UuidParam('id') id: string, @Body() body: CloseOpportunityDto): Promise<OpportunityDto> {
    return this.lifecycle.close(id, body);
  }

  @Post(':id/reopen')
  @HttpCode(HttpStatus.OK)
  @TenantEndpoint({
    idempotent: true,
    summary: 'Reopen a closed opportunity with a new next action',
    errors: [...CHANGE_ERRORS, ErrorCode.OPPORTUNITY_NOT_CLOSED],
  })
  @ApiOkResponse({ type: OpportunityDto })
  reopen(@UuidParam('id') id: string, @Body() body: ReopenOpportunityDto): Promise<OpportunityDto> {
    return this.lifecycle.reopen(id, body);
  }

  private withStatus(response: Response, result: BulkResultDto): BulkResultDto {
    response.status(result.failed > 0 ? HttpStatus.MULTI_STATUS : HttpStatus.OK);
    return result;
  }
}
