import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OpportunityNotFound, ValidationFailed } from '../common/errors/api-error';
import { Clock } from '../common/clock';
import { dateValue, decodeCursor, numberValue, textValue } from '../common/paging/cursor';
import { mapPage, toPage, type Page } from '../common/paging/page';
import type { PageQueryDto } from '../common/paging/page-query.dto';
import { TenantMembers } from '../memberships/tenant-members';
import { BusinessMetrics } from '../metrics/business-metrics';
import { TEAM_ROLES } from '../tenancy/role';
import { TenantContext } from '../tenancy/tenant-context';
import type { CreateOpportunityDto } from './dto/create-opportunity.dto';
import type { DueQueryDto, DueWindowQueryDto } from './dto/due-query.dto';
import type { DueSummaryDto } from './dto/due-summary.dto';
import type { ListQueryDto } from './dto/list-query.dto';
import { OpportunityEventDto } from './dto/opportunity-event.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { OpportunitiesRepository, type DueWindow, type ListPosition } from './opportunities.repository';
import { blankEvent } from './opportunity-event.entity';
import type { Opportunity } from './opportunity.entity';

const DUE_ORDERING = 'due';
const TIMELINE_ORDERING = 'timeline';

/** Reading the pipeline, and creating opportunities; changes to one live in OpportunityLifecycle. */
@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly repository: OpportunitiesRepository,
    private readonly tenantContext: TenantContext,
    private readonly members: TenantMembers,
    private readonly clock: Clock,
    private readonly metrics: BusinessMetrics,
  ) {}

  async listDue(query: DueQueryDto): Promise<Page<OpportunityDto>> {
    const window = this.dueWindow(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, DUE_ORDERING);
    const position = after && { at: dateValue(after) as Date, id: after.id };
    const visibility = this.tenantContext.visibilityOf(query.scope);
    const rows = await this.repository.findDue(visibility, window, position, query.limit);
    const nowIso = window.now.toISOString();
    const items = rows.map((row) => OpportunityDto.fromRow(row, nowIso));
    return toPage(items, query.limit, DUE_ORDERING, (item) => ({ value: item.next_action_at!, id: item.id }));
  }

  async summarizeDue(query: DueWindowQueryDto): Promise<DueSummaryDto> {
    const visibility = this.tenantContext.visibilityOf(query.scope);
    const totals = await this.repository.summarize(visibility, this.dueWindow(query));
    return {
      overdue_count: totals.overdueCount,
      due_today_count: totals.dueTodayCount,
      due_value_total: totals.dueValueTotal,
      pipeline_value_open: totals.pipelineValueOpen,
      rescheduled_count: totals.rescheduledCount,
    };
  }

  async list(query: ListQueryDto): Promise<Page<OpportunityDto>> {
    if (query.min_value !== undefined && query.max_value !== undefined && query.min_value > query.max_value) {
      throw ValidationFailed.of('max_value', 'max_value must not be less than min_value');
    }
    const visibility = this.tenantContext.visibilityOf(query.scope);
    const column = query.sort.replace(/^-/, '');
    const ordering = `list:${query.sort}`;
    const after = query.cursor === undefined ? undefined : this.listPosition(query.cursor, ordering, column);
    const rows = await this.repository.list(visibility, query, query.sort, after, query.limit);
    const page = toPage(rows, query.limit, ordering, (row) => ({
      value: sortValueOf(row, column),
      id: row.id,
    }));
    const now = this.clock.now();
    return mapPage(page, (row) => OpportunityDto.from(row, now));
  }

  /** A new deal enters the pipeline with its first next action, and its timeline starts with `created`. */
  async create(dto: CreateOpportunityDto): Promise<OpportunityDto> {
    const ownerId = await this.ownerForNewDeal(dto.owner_id);
    const now = this.clock.now();
    const opportunity: Opportunity = {
      tenantId: this.tenantId,
      id: randomUUID(),
      name: dto.name,
      value: dto.value,
      stage: dto.stage,
      ownerId,
      nextActionAt: new Date(dto.next_action_at),
      nextActionDetails: dto.next_action_details,
      rescheduleCount: 0,
      closedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.repository.insert(opportunity);
    await this.repository.appendEvent({
      ...blankEvent({
        tenantId: opportunity.tenantId,
        id: randomUUID(),
        opportunityId: opportunity.id,
        type: 'created',
        occurredAt: now,
      }),
      toStage: opportunity.stage,
      nextActionAt: opportunity.nextActionAt,
      details: opportunity.nextActionDetails,
    });
    this.metrics.opportunityCreated();
    return OpportunityDto.from(opportunity, now);
  }

  /** The caller by default; someone else only for managers and admins, and only a member of the tenant. */
  private async ownerForNewDeal(ownerId: string | undefined): Promise<string> {
    const caller = this.tenantContext.userId;
    if (ownerId === undefined || ownerId.toLowerCase() === caller) return caller;
    this.tenantContext.require(TEAM_ROLES, 'create opportunities for someone else');
    if (!(await this.members.isMember(ownerId))) {
      throw ValidationFailed.of('owner_id', 'owner_id must be a member of the tenant');
    }
    return ownerId.toLowerCase();
  }

  async get(id: string): Promise<OpportunityDto> {
    const opportunity = await this.repository.findById(this.tenantContext.visibility(), id);
    if (!opportunity) throw new OpportunityNotFound();
    return OpportunityDto.from(opportunity, this.clock.now());
  }

  async listEvents(id: string, query: PageQueryDto): Promise<Page<OpportunityEventDto>> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, TIMELINE_ORDERING);
    const before = cursor && { at: dateValue(cursor) as Date, id: cursor.id };
    if (!(await this.repository.findById(this.tenantContext.visibility(), id)))
      throw new OpportunityNotFound();
    const rows = await this.repository.findEvents(this.tenantId, id, before, query.limit);
    const page = toPage(rows, query.limit, TIMELINE_ORDERING, (row) => ({
      value: row.occurredAt.toISOString(),
      id: row.id,
    }));
    return mapPage(page, (row) => OpportunityEventDto.from(row));
  }

  private get tenantId(): string {
    return this.tenantContext.current.id;
  }

  private listPosition(cursor: string, ordering: string, column: string): ListPosition {
    const position = decodeCursor(cursor, ordering);
    if (column === 'value') return { value: numberValue(position), id: position.id };
    if (column === 'name') return { value: textValue(position), id: position.id };
    return { value: dateValue(position, { nullable: column === 'next_action_at' }), id: position.id };
  }

  private dueWindow(query: DueWindowQueryDto): DueWindow {
    const from = query.from === undefined ? undefined : new Date(query.from);
    const until = query.until === undefined ? undefined : new Date(query.until);
    if (from && until && from.getTime() >= until.getTime()) {
      throw ValidationFailed.of('until', 'until must be after from');
    }
    return { now: this.clock.now(), timezone: this.tenantContext.current.timezone, from, until };
  }
}

function sortValueOf(row: Opportunity, column: string): string | number | null {
  if (column === 'value') return row.value;
  if (column === 'name') return row.name;
  if (column === 'updated_at') return row.updatedAt.toISOString();
  return row.nextActionAt?.toISOString() ?? null;
}
