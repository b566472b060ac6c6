import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { ScopedDatabase } from '../tenancy/scoped-database';
import type { ListFiltersDto, ListSort } from './dto/list-query.dto';
import { OpportunityEvent } from './opportunity-event.entity';
import { Opportunity } from './opportunity.entity';
import { dueIntervals } from './due-spans';
import { CLOSED_STAGES, OPEN_STAGES } from './stage';

/** Which next actions count as due: before `until` (default: the end of today in `timezone`), from `from` on. */
export interface DueWindow {
  now: Date;
  timezone: string;
  from?: Date;
  until?: Date;
}

export interface DuePosition {
  at: Date;
  id: string;
}

/** Where a list page starts: after this sort value (null: among the rows without one) and id. */
export interface ListPosition {
  value: Date | number | string | null;
  id: string;
}

export interface PipelineTotals {
  overdueCount: number;
  dueTodayCount: number;
  dueValueTotal: number;
  pipelineValueOpen: number;
  rescheduledCount: number;
}

/** Midnight after `now` in the tenant's zone, computed by PostgreSQL's time zone database (DST included). */
const endOfToday = (now: string, timezone: string) =>
  `((date_trunc('day', CAST(${now} AS timestamptz) AT TIME ZONE ${timezone}) + interval '1 day') AT TIME ZONE ${timezone})`;

const SORT_COLUMNS: Record<string, { column: string; nullable: boolean }> = {
  next_action_at: { column: 'o.nextActionAt', nullable: true },
  name: { column: 'o.name', nullable: false },
  value: { column: 'o.value', nullable: false },
  updated_at: { column: 'o.updatedAt', nullable: false },
};

/**
 * An opportunity as the due page reads it: the entity's fields, with `value` as PostgreSQL's numeric text and the
 * timestamps as PostgreSQL's timestamptz text (see isoFromPg).
 */
export type OpportunityRow = Omit<
  Opportunity,
  'value' | 'nextActionAt' | 'closedAt' | 'createdAt' | 'updatedAt'
> & {
  value: string;
  nextActionAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** Every column of an opportunity, named as the entity's properties. */
const OPPORTUNITY_COLUMNS = `tenant_id AS "tenantId", id, name, value, stage, owner_id AS "ownerId",
  next_action_at AS "nextActionAt", next_action_details AS "nextActionDetails",
  reschedule_count AS "rescheduleCount", closed_at AS "closedAt", version, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** `%` and `_` typed by a user are text to find, not wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Whose opportunities a query covers: the tenant's, and of one owner only (a rep, or "mine") when set. */
export interface Visibility {
  tenantId: string;
  ownerId?: string;
}

/**
 * Every query names the tenant first: it is the leading column of every key and index, and a row of
 * another tenant is simply not found (row-level security would hide it anyway). Queries run in the
 * request's scoped transaction.
 */
@Injectable()
export class OpportunitiesRepository {
  constructor(private readonly database: ScopedDatabase) {}

  /**
   * Served by opportunities_due_idx (tenant_id, next_action_at, id), or opportunities_owner_due_idx for one
   * owner: an index range scan of `limit + 1` rows.
   */
  findDue(
    { tenantId, ownerId }: Visibility,
    window: DueWindow,
    after: DuePosition | undefined,
    limit: number,
  ): Promise<OpportunityRow[]> {
    // Plain SQL rather than the query builder: the busiest query of the API, and its rows map straight to
    // entities without TypeORM's generic hydration.
    const parameters: unknown[] = [tenantId];
    const bind = (value: unknown) => `$${parameters.push(value)}`;
    const conditions = ['tenant_id = $1'];
    if (ownerId !== undefined) conditions.push(`owner_id = ${bind(ownerId)}`);
    conditions.push(
      window.until
        ? `next_action_at < ${bind(window.until)}`
        : `next_action_at < ${endOfToday(bind(window.now), bind(window.timezone))}`,
    );
    if (window.from) conditions.push(`next_action_at >= ${bind(window.from)}`);
    if (after) conditions.push(`(next_action_at, id) > (${bind(after.at)}, ${bind(after.id)})`);
    return this.database.rowsWithTextTimestamps<OpportunityRow>(
      `SELECT ${OPPORTUNITY_COLUMNS} FROM opportunities WHERE ${conditions.join(' AND ')}
        ORDER BY next_action_at, id LIMIT ${bind(limit + 1)}`,
      parameters,
    );
  }

  /**
   * The due window's counts and value, and the whole open pipeline's value and pushed deals, in a way that stays
   * fast at a million deals: whole UTC days come from pipeline_buckets (kept by triggers), and only the partial
   * days at the ends of each interval are counted from the deals, by index-only range scans. The bounds are
   * computed here and sent as plain values: under row-level security PostgreSQL only turns a condition into an
   * index range when it compares with a value, not with an expression of other columns.
   */
  async summarize({ tenantId, ownerId }: Visibility, window: DueWindow): Promise<PipelineTotals> {
    const until = window.until ?? (await this.endOfTodayIn(window));
    const intervals = dueIntervals(window.now, window.from, until);
    const parameters: unknown[] = [tenantId];
    const bind = (value: unknown) => `$${parameters.push(value)}`;
    const ownerParameter = ownerId === undefined ? undefined : bind(ownerId);
    const owner = ownerParameter ? `AND owner_id = ${ownerParameter}` : '';
    const ownerKey = ownerParameter ? `AND owner_key = ${ownerParameter}` : '';

    const parts: string[] = [
      `SELECT 'pipeline' AS part, coalesce(sum(value_total), 0) AS value, coalesce(sum(rescheduled_count), 0) AS n
         FROM pipeline_buckets WHERE tenant_id = $1 ${ownerKey}`,
    ];
    for (const [part, plan] of Object.entries(intervals)) {
      if (plan.days) {
        parts.push(
          `SELECT '${part}', coalesce(sum(value_total), 0), coalesce(sum(open_count), 0) FROM pipeline_buckets
            WHERE tenant_id = $1 ${ownerKey} AND day >= ${bind(plan.days.firstDay)}::date
              AND day < ${bind(plan.days.lastDay)}::date`,
        );
      }
      for (const range of plan.deals) {
        parts.push(
          `SELECT '${part}', coalesce(sum(value), 0), count(*) FROM opportunities
            WHERE tenant_id = $1 ${owner} AND next_action_at >= ${bind(range.from)}
              AND next_action_at < ${bind(range.to)}`,
        );
      }
    }
    const rows = await this.database.rows<{ part: string; value: string; n: string }>(
      parts.join(' UNION ALL '),
      parameters,
    );
    const total = (part: string, field: 'value' | 'n') =>
      rows.filter((row) => row.part === part).reduce((sum, row) => sum + Number(row[field]), 0);
    return {
      overdueCount: total('overdue', 'n'),
      dueTodayCount: total('today', 'n'),
      // Cents are exact in a double up to 2^53; summing the decimal strings as numbers rounds once, at the end.
      dueValueTotal: Math.round((total('overdue', 'value') + total('today', 'value')) * 100) / 100,
      pipelineValueOpen: total('pipeline', 'value'),
      rescheduledCount: total('pipeline', 'n'),
    };
  }

  /** Midnight after `now` in the tenant's time zone, from PostgreSQL's time zone database. */
  private async endOfTodayIn(window: DueWindow): Promise<Date> {
    const [row] = await this.database.rows<{ until: Date }>(`SELECT ${endOfToday('$1', '$2')} AS until`, [
      window.now,
      window.timezone,
    ]);
    return row.until;
  }

  /** Filtered, sorted and keyset-paged; rows without a next action (closed deals) come last. */
  list(
    visibility: Visibility,
    filters: ListFiltersDto,
    sort: ListSort,
    after: ListPosition | undefined,
    limit: number,
  ): Promise<Opportunity[]> {
    const descending = sort.startsWith('-');
    const { column, nullable } = SORT_COLUMNS[sort.replace(/^-/, '')];
    const direction = descending ? 'DESC' : 'ASC';
    const query = this.visible(visibility);
    this.applyFilters(query, filters);
    if (after) this.startAfter(query, column, nullable, descending ? '<' : '>', after);
    return query
      .orderBy(column, direction, 'NULLS LAST')
      .addOrderBy('o.id', direction)
      .limit(limit + 1)
      .getMany();
  }

  findById(visibility: Visibility, id: string): Promise<Opportunity | null> {
    return this.visible(visibility).andWhere('o.id = :id', { id }).getOne();
  }

  /** Locks the row until the transaction ends, so concurrent changes queue instead of racing. */
  findForUpdate(visibility: Visibility, id: string): Promise<Opportunity | null> {
    return this.visible(visibility).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  async insert(opportunity: Opportunity): Promise<void> {
    await this.manager.insert(Opportunity, opportunity);
  }

  /** Only when the row still has `expectedVersion`: the caller treats `false` as a conflict. */
  async updateIfVersion(opportunity: Opportunity, expectedVersion: number): Promise<boolean> {
    const { tenantId, id, ...changes } = opportunity;
    const result = await this.manager
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

  async appendEvent(event: OpportunityEvent): Promise<void> {
    await this.manager.insert(OpportunityEvent, event);
  }

  /** Newest first; served by opportunity_actions_timeline_idx. */
  findEvents(
    tenantId: string,
    opportunityId: string,
    before: DuePosition | undefined,
    limit: number,
  ): Promise<OpportunityEvent[]> {
    const query = this.manager
      .createQueryBuilder(OpportunityEvent, 'e')
      .where('e.tenantId = :tenantId AND e.opportunityId = :opportunityId', { tenantId, opportunityId });
    if (before) {
      query.andWhere('(e.occurredAt, e.id) < (:beforeAt, :beforeId)', {
        beforeAt: before.at,
        beforeId: before.id,
      });
    }
    return query
      .orderBy('e.occurredAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  private get manager(): EntityManager {
    return this.database.manager;
  }

  private visible({ tenantId, ownerId }: Visibility): SelectQueryBuilder<Opportunity> {
    const query = this.manager
      .createQueryBuilder(Opportunity, 'o')
      .where('o.tenantId = :tenantId', { tenantId });
    return ownerId === undefined ? query : query.andWhere('o.ownerId = :ownerId', { ownerId });
  }

  private applyFilters(query: SelectQueryBuilder<Opportunity>, filters: ListFiltersDto): void {
    const { status, stage, q, min_value: minValue, max_value: maxValue } = filters;
    if (status === 'open') query.andWhere('o.stage IN (:...open)', { open: OPEN_STAGES });
    if (status === 'closed') query.andWhere('o.stage IN (:...closed)', { closed: CLOSED_STAGES });
    if (status === 'won') query.andWhere(`o.stage = 'Closed Won'`);
    if (status === 'lost') query.andWhere(`o.stage = 'Closed Lost'`);
    if (stage) query.andWhere('o.stage = :stage', { stage });
    // The same expression as opportunities_search_idx (pg_trgm), so the index serves it.
    if (q) {
      query.andWhere(`(o.name || ' ' || coalesce(o.nextActionDetails, '')) ILIKE :pattern`, {
        pattern: containsPattern(q),
      });
    }
    if (minValue !== undefined) query.andWhere('o.value >= :minValue', { minValue });
    if (maxValue !== undefined) query.andWhere('o.value <= :maxValue', { maxValue });
  }

  /** Keyset condition for `ORDER BY column <dir> NULLS LAST, id <dir>`. */
  private startAfter(
    query: SelectQueryBuilder<Opportunity>,
    column: string,
    nullable: boolean,
    op: '<' | '>',
    after: ListPosition,
  ): void {
    const parameters = { afterValue: after.value, afterId: after.id };
    if (after.value === null) {
      query.andWhere(`${column} IS NULL AND o.id ${op} :afterId`, parameters);
      return;
    }
    query.andWhere(
      new Brackets((where) => {
        where.where(`(${column}, o.id) ${op} (:afterValue, :afterId)`, parameters);
        if (nullable) where.orWhere(`${column} IS NULL`);
      }),
    );
  }
}
