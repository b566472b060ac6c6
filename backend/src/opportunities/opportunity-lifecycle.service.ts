import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  OpportunityClosed,
  OpportunityNotClosed,
  OpportunityNotFound,
  ValidationFailed,
  VersionConflict,
} from '../common/errors/api-error';
import { Clock } from '../common/clock';
import { AuditLog } from '../audit/audit-log';
import { TEAM_ROLES } from '../tenancy/role';
import { TenantContext } from '../tenancy/tenant-context';
import type { CompleteActionDto, CompleteActionResponseDto } from './dto/complete-action.dto';
import type {
  CloseOpportunityDto,
  ReopenOpportunityDto,
  RescheduleDto,
  UpdateOpportunityDto,
} from './dto/lifecycle.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { OpportunitiesRepository } from './opportunities.repository';
import { TenantMembers } from '../memberships/tenant-members';
import { BusinessMetrics } from '../metrics/business-metrics';
import { blankEvent, type OpportunityEvent } from './opportunity-event.entity';
import type { Opportunity } from './opportunity.entity';
import { CLOSED_STAGE_OF, isClosed } from './stage';

/** The timeline entry a change writes: its type and the fields that type carries. */
type EventDraft = Partial<OpportunityEvent> & Pick<OpportunityEvent, 'type'>;

/** What a change does to the opportunity, or null when it would change nothing. */
type Decision = { changes: Partial<Opportunity>; events: EventDraft[] } | null;

function requireFuture(field: string, at: Date, now: Date): Date {
  if (at.getTime() <= now.getTime()) throw ValidationFailed.of(field, `${field} must be in the future`);
  return at;
}

function requireOpen(current: Opportunity): void {
  if (isClosed(current.stage)) throw new OpportunityClosed();
}

/**
 * Every change to an opportunity: complete, reschedule, edit, close, reopen. Each runs in the request's
 * transaction (a savepoint per item in bulk): it locks the row, checks the expected version, writes the
 * timeline event and the new state together (or neither), and bumps the version. A rep reaches only the
 * deals they own; anything else is "not found".
 */
@Injectable()
export class OpportunityLifecycle {
  constructor(
    private readonly repository: OpportunitiesRepository,
    private readonly tenantContext: TenantContext,
    private readonly members: TenantMembers,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly metrics: BusinessMetrics,
  ) {}

  async completeAction(id: string, dto: CompleteActionDto): Promise<CompleteActionResponseDto> {
    const { opportunity, now } = await this.change(id, dto.expected_version, (current, now) => {
      requireOpen(current);
      return {
        changes: {
          nextActionAt: requireFuture('new_next_action_at', new Date(dto.new_next_action_at), now),
          nextActionDetails: dto.new_next_action_details,
          rescheduleCount: 0,
        },
        events: [
          {
            type: 'completed',
            details: current.nextActionDetails,
            dueAt: current.nextActionAt,
            completedAt: now,
            notes: dto.notes ?? null,
          },
        ],
      };
    });
    await this.audit.record('opportunity.action_completed', 'opportunity', id, {
      next_action_at: opportunity.nextActionAt?.toISOString() ?? null,
    });
    this.metrics.actionCompleted();
    return {
      message: 'Action completed successfully',
      opportunity_id: id,
      opportunity: OpportunityDto.from(opportunity, now),
    };
  }

  /** Moves the current action's date without completing it; the count of such pushes shows stalling deals. */
  reschedule(id: string, dto: RescheduleDto): Promise<OpportunityDto> {
    return this.changeToDto(id, dto.expected_version, (current, now) => {
      requireOpen(current);
      const nextActionAt = requireFuture('new_next_action_at', new Date(dto.new_next_action_at), now);
      return {
        changes: { nextActionAt, rescheduleCount: current.rescheduleCount + 1 },
        events: [
          {
            type: 'rescheduled',
            previousNextActionAt: current.nextActionAt,
            nextActionAt,
            reason: dto.reason,
          },
        ],
      };
    });
  }

  async update(id: string, dto: UpdateOpportunityDto): Promise<OpportunityDto> {
    const { name, value, stage } = dto;
    // PostgreSQL answers uuids in lower case: compare and store them that way, whatever the client sent.
    const ownerId = dto.owner_id?.toLowerCase();
    if (name === undefined && value === undefined && stage === undefined && ownerId === undefined) {
      throw ValidationFailed.of('body', 'send at least one of name, value, stage, owner_id');
    }
    // The role first, as on create: a rep learns nothing about who is a member. (A rep naming themselves on
    // their own deal changes nothing, so it passes.)
    if (ownerId !== undefined && ownerId !== this.tenantContext.userId) {
      this.tenantContext.require(TEAM_ROLES, 'reassign opportunities');
    }
    if (ownerId !== undefined && !(await this.members.isMember(ownerId))) {
      throw ValidationFailed.of('owner_id', 'owner_id must be a member of the tenant');
    }
    /** Set only when the owner really changes: naming the current owner again is not a reassignment. */
    let reassignedFrom: { ownerId: string | null } | undefined;
    const { opportunity, now } = await this.change(id, dto.expected_version, (current) => {
      requireOpen(current);
      const changes: Partial<Opportunity> = {};
      if (name !== undefined && name !== current.name) changes.name = name;
      if (value !== undefined && value !== current.value) changes.value = value;
      if (stage !== undefined && stage !== current.stage) changes.stage = stage;
      if (ownerId !== undefined && ownerId !== current.ownerId) {
        this.tenantContext.require(TEAM_ROLES, 'reassign opportunities');
        reassignedFrom = { ownerId: current.ownerId };
        changes.ownerId = ownerId;
      }
      if (Object.keys(changes).length === 0) return null;
      const events: EventDraft[] = changes.stage
        ? [{ type: 'stage_changed', fromStage: current.stage, toStage: changes.stage }]
        : [];
      return { changes, events };
    });
    if (reassignedFrom) {
      await this.audit.record('opportunity.reassigned', 'opportunity', id, {
        from_owner_id: reassignedFrom.ownerId,
        to_owner_id: opportunity.ownerId,
      });
    }
    return OpportunityDto.from(opportunity, now);
  }

  /** The deal leaves the pipeline: no next action any more, so it is never due again. */
  close(id: string, dto: CloseOpportunityDto): Promise<OpportunityDto> {
    return this.changeToDto(id, dto.expected_version, (current, now) => {
      requireOpen(current);
      const stage = CLOSED_STAGE_OF[dto.outcome];
      return {
        changes: { stage, nextActionAt: null, nextActionDetails: null, closedAt: now, rescheduleCount: 0 },
        events: [
          {
            type: 'closed',
            fromStage: current.stage,
            toStage: stage,
            reason: dto.reason ?? null,
            details: current.nextActionDetails,
            previousNextActionAt: current.nextActionAt,
          },
        ],
      };
    });
  }

  /** Back into the pipeline, only with a new next action. */
  reopen(id: string, dto: ReopenOpportunityDto): Promise<OpportunityDto> {
    return this.changeToDto(id, dto.expected_version, (current, now) => {
      if (!isClosed(current.stage)) throw new OpportunityNotClosed();
      const nextActionAt = requireFuture('next_action_at', new Date(dto.next_action_at), now);
      return {
        changes: {
          stage: dto.stage,
          nextActionAt,
          nextActionDetails: dto.next_action_details,
          closedAt: null,
          rescheduleCount: 0,
        },
        events: [
          {
            type: 'reopened',
            fromStage: current.stage,
            toStage: dto.stage,
            nextActionAt,
            details: dto.next_action_details,
          },
        ],
      };
    });
  }

  private async changeToDto(
    id: string,
    expectedVersion: number | undefined,
    decide: (current: Opportunity, now: Date) => Decision,
  ): Promise<OpportunityDto> {
    const { opportunity, now } = await this.change(id, expectedVersion, decide);
    return OpportunityDto.from(opportunity, now);
  }

  private async change(
    id: string,
    expectedVersion: number | undefined,
    decide: (current: Opportunity, now: Date) => Decision,
  ): Promise<{ opportunity: Opportunity; now: Date }> {
    const now = this.clock.now();
    const tenantId = this.tenantContext.current.id;
    const current = await this.repository.findForUpdate(this.tenantContext.visibility(), id);
    if (!current) throw new OpportunityNotFound();
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new VersionConflict(expectedVersion, current.version);
    }
    const decision = decide(current, now);
    if (!decision) return { opportunity: current, now };
    const next: Opportunity = {
      ...current,
      ...decision.changes,
      version: current.version + 1,
      updatedAt: now,
    };
    for (const draft of decision.events) {
      const base = { tenantId, id: randomUUID(), opportunityId: id, type: draft.type, occurredAt: now };
      await this.repository.appendEvent({ ...blankEvent(base), ...draft });
    }
    // The row is locked, so this cannot miss; the version guard keeps the update safe on its own too.
    if (!(await this.repository.updateIfVersion(next, current.version))) {
      throw new VersionConflict(current.version, current.version + 1);
    }
    return { opportunity: next, now };
  }
}
