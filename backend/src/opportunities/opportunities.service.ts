import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OpportunityNotFound, ValidationFailed, VersionConflict } from '../common/errors/api-error';
import { Clock } from '../common/clock';
import { decodeCursor } from '../common/paging/cursor';
import { toPage, type Page } from '../common/paging/page';
import type { PageQueryDto } from '../common/paging/page-query.dto';
import { TenantContext } from '../tenancy/tenant-context';
import type { CompleteActionDto, CompleteActionResponseDto } from './dto/complete-action.dto';
import type { CreateOpportunityDto } from './dto/create-opportunity.dto';
import type { DueQueryDto, DueWindowQueryDto } from './dto/due-query.dto';
import type { DueSummaryDto } from './dto/due-summary.dto';
import { OpportunityActionDto } from './dto/opportunity-action.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { OpportunitiesRepository, type DueWindow } from './opportunities.repository';
import type { Opportunity } from './opportunity.entity';

@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly repository: OpportunitiesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenantContext: TenantContext,
    private readonly clock: Clock,
  ) {}

  async listDue(query: DueQueryDto): Promise<Page<OpportunityDto>> {
    const window = this.dueWindow(query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.repository.findDue(this.tenantId, window, after, query.limit);
    const page = toPage(rows, query.limit, (row) => ({ at: row.nextActionAt, id: row.id }));
    return { items: page.items.map((row) => OpportunityDto.from(row, window.now)), next: page.next };
  }

  async summarizeDue(query: DueWindowQueryDto): Promise<DueSummaryDto> {
    const totals = await this.repository.summarizeDue(this.tenantId, this.dueWindow(query));
    return {
      overdue_count: totals.overdueCount,
      due_today_count: totals.dueTodayCount,
      due_value_total: totals.dueValueTotal,
    };
  }

  async create(dto: CreateOpportunityDto): Promise<OpportunityDto> {
    const now = this.clock.now();
    const opportunity: Opportunity = {
      tenantId: this.tenantId,
      id: randomUUID(),
      name: dto.name,
      value: dto.value,
      stage: dto.stage,
      nextActionAt: new Date(dto.next_action_at),
      nextActionDetails: dto.next_action_details,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.repository.insert(opportunity);
    return OpportunityDto.from(opportunity, now);
  }

  async get(id: string): Promise<OpportunityDto> {
    const opportunity = await this.repository.findById(this.tenantId, id);
    if (!opportunity) throw new OpportunityNotFound();
    return OpportunityDto.from(opportunity, this.clock.now());
  }

  async listActions(id: string, query: PageQueryDto): Promise<Page<OpportunityActionDto>> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (!(await this.repository.findById(this.tenantId, id))) throw new OpportunityNotFound();
    const rows = await this.repository.findActions(this.tenantId, id, before, query.limit);
    const page = toPage(rows, query.limit, (row) => ({ at: row.completedAt, id: row.id }));
    return { items: page.items.map((row) => OpportunityActionDto.from(row)), next: page.next };
  }

  /**
   * Records the current action as done and plans the next one, in one transaction: either the history
   * row and the new next action are both written, or neither is.
   */
  async completeAction(id: string, dto: CompleteActionDto): Promise<CompleteActionResponseDto> {
    const now = this.clock.now();
    const nextActionAt = new Date(dto.new_next_action_at);
    if (nextActionAt.getTime() <= now.getTime()) {
      throw ValidationFailed.of('new_next_action_at', 'new_next_action_at must be in the future');
    }
    const tenantId = this.tenantId;
    const completed = await this.dataSource.transaction(async (manager) => {
      const current = await this.repository.findForUpdate(manager, tenantId, id);
      if (!current) throw new OpportunityNotFound();
      if (dto.expected_version !== undefined && dto.expected_version !== current.version) {
        throw new VersionConflict(dto.expected_version, current.version);
      }
      await this.repository.appendAction(manager, {
        tenantId,
        id: randomUUID(),
        opportunityId: id,
        details: current.nextActionDetails,
        dueAt: current.nextActionAt,
        completedAt: now,
        notes: dto.notes ?? null,
      });
      const next: Opportunity = {
        ...current,
        nextActionAt,
        nextActionDetails: dto.new_next_action_details,
        version: current.version + 1,
        updatedAt: now,
      };
      // The row is locked, so this cannot miss; the version guard keeps the update safe on its own too.
      if (!(await this.repository.updateIfVersion(manager, next, current.version))) {
        throw new VersionConflict(current.version, current.version + 1);
      }
      return next;
    });
    return {
      message: 'Action completed successfully',
      opportunity_id: id,
      opportunity: OpportunityDto.from(completed, now),
    };
  }

  private get tenantId(): string {
    return this.tenantContext.current.id;
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
