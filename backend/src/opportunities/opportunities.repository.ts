import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { KeysetPosition } from '../common/paging/cursor';
import { OpportunityAction } from './opportunity-action.entity';
import { Opportunity } from './opportunity.entity';

/** Which next actions count as due: before `until` (default: the end of today in `timezone`), from `from` on. */
export interface DueWindow {
  now: Date;
  timezone: string;
  from?: Date;
  until?: Date;
}

export interface DueTotals {
  overdueCount: number;
  dueTodayCount: number;
  dueValueTotal: number;
}

/** Midnight after `now` in the tenant's zone, computed by PostgreSQL's time zone database (DST included). */
const END_OF_TODAY = `((date_trunc('day', CAST(:now AS timestamptz) AT TIME ZONE :timezone) + interval '1 day') AT TIME ZONE :timezone)`;

/**
 * Every query names the tenant first: it is the leading column of every key and index, and a row of
 * another tenant is simply not found.
 */
@Injectable()
export class OpportunitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Served by opportunities_due_idx (tenant_id, next_action_at, id): an index range scan of `limit + 1` rows. */
  findDue(
    tenantId: string,
    window: DueWindow,
    after: KeysetPosition | undefined,
    limit: number,
  ): Promise<Opportunity[]> {
    const query = this.dueQuery(tenantId, window);
    if (after)
      query.andWhere('(o.nextActionAt, o.id) > (:afterAt, :afterId)', {
        afterAt: after.at,
        afterId: after.id,
      });
    return query
      .orderBy('o.nextActionAt', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit + 1)
      .getMany();
  }

  async summarizeDue(tenantId: string, window: DueWindow): Promise<DueTotals> {
    const row = await this.dueQuery(tenantId, window)
      .select('count(*) FILTER (WHERE o.nextActionAt < :now)', 'overdue')
      .addSelect('count(*) FILTER (WHERE o.nextActionAt >= :now)', 'today')
      .addSelect('coalesce(sum(o.value), 0)', 'total')
      .getRawOne<{ overdue: string; today: string; total: string }>();
    return {
      overdueCount: Number(row?.overdue ?? 0),
      dueTodayCount: Number(row?.today ?? 0),
      dueValueTotal: Number(row?.total ?? 0),
    };
  }

  findById(
    tenantId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Opportunity | null> {
    return manager.findOneBy(Opportunity, { tenantId, id });
  }

  /** Locks the row until the transaction ends, so concurrent completions queue instead of racing. */
  findForUpdate(manager: EntityManager, tenantId: string, id: string): Promise<Opportunity | null> {
    return manager
      .createQueryBuilder(Opportunity, 'o')
      .setLock('pessimistic_write')
      .where('o.tenantId = :tenantId AND o.id = :id', { tenantId, id })
      .getOne();
  }

  async insert(opportunity: Opportunity): Promise<void> {
    await this.dataSource.manager.insert(Opportunity, opportunity);
  }

  /** Only when the row still has `expectedVersion`: the caller treats `false` as a conflict. */
  async updateIfVersion(
    manager: EntityManager,
    opportunity: Opportunity,
    expectedVersion: number,
  ): Promise<boolean> {
    const { tenantId, id, ...changes } = opportunity;
    const result = await manager
      .createQueryBuilder()
      .update(Opportunity)
      .set(changes)
      .where('tenant_id = :tenantId AND id = :id AND version = :expectedVersion', {
        tenantId,
        id,
        expectedVersion,
      })
      .execute();
    return result.affected === 1;
  }

  async appendAction(manager: EntityManager, action: OpportunityAction): Promise<void> {
    await manager.insert(OpportunityAction, action);
  }

  /** Newest first; served by opportunity_actions_history_idx. */
  findActions(
    tenantId: string,
    opportunityId: string,
    before: KeysetPosition | undefined,
    limit: number,
  ): Promise<OpportunityAction[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(OpportunityAction, 'a')
      .where('a.tenantId = :tenantId AND a.opportunityId = :opportunityId', { tenantId, opportunityId });
    if (before) {
      query.andWhere('(a.completedAt, a.id) < (:beforeAt, :beforeId)', {
        beforeAt: before.at,
        beforeId: before.id,
      });
    }
    return query
      .orderBy('a.completedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  private dueQuery(tenantId: string, window: DueWindow): SelectQueryBuilder<Opportunity> {
    const query = this.dataSource.manager
      .createQueryBuilder(Opportunity, 'o')
      .where('o.tenantId = :tenantId', { tenantId, now: window.now, timezone: window.timezone });
    if (window.until) query.andWhere('o.nextActionAt < :until', { until: window.until });
    else query.andWhere(`o.nextActionAt < ${END_OF_TODAY}`);
    if (window.from) query.andWhere('o.nextActionAt >= :from', { from: window.from });
    return query;
  }
}
