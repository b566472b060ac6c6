import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { ScopedDatabase } from '../tenancy/scoped-database';
import type { ListFiltersDto, ListSort } from './dto/list-query.dto';
import { OpportunityEvent } from './opportunity-event.entity';
import { Opportunity } from './opportunity.entity';
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
const END_OF_TODAY = `((date_trunc('day', CAST(:now AS timestamptz) AT TIME ZONE :timezone) + interval '1 day') AT TIME ZONE :timezone)`;

const SORT_COLUMNS: Record<string, { column: string; nullable: boolean }> = {
  next_action_at: { column: 'o.nextActionAt', nullable: true },
  name: { column: 'o.name', nullable: false },
  value: { column: 'o.value', nullable: false },
  updated_at: { column: 'o.updatedAt', nullable: false },
};

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
    visibility: Visibility,
    window: DueWindow,
    after: DuePosition | undefined,
    limit: number,
  ): Promise<Opportunity[]> {
    const query = this.visible(visibility).andWhere(this.duePredicate(window), this.windowParameters(window));
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

  /**
   * The due window's counts and value, and the whole open pipeline's value and pushed deals, in one statement
   * that stays fast at a million deals: whole UTC days come from pipeline_buckets (kept by triggers), and only
   * the partial days at the edges of each interval are counted from the deals, by index-only range scans.
   */
  async summarize({ tenantId, ownerId }: Visibility, window: DueWindow): Promise<PipelineTotals> {
    const owned = ownerId === undefined ? '' : 'AND o.owner_id = $2';
    const ownedBucket = ownerId === undefined ? '' : 'AND b.owner_key = $2';
    const until = window.until
      ? 'until_at'
      : `((date_trunc('day', now AT TIME ZONE timezone) + interval '1 day') AT TIME ZONE timezone)`;
    const [row] = await this.database.rows<Record<keyof PipelineTotals, string>>(
      `WITH input AS (
         -- Every parameter typed once, whether this query needs it or not.
         SELECT CAST($2 AS uuid) AS owner, CAST($3 AS timestamptz) AS now, CAST($4 AS timestamptz) AS from_at,
                CAST($5 AS timestamptz) AS until_at, CAST($6 AS text) AS timezone
       ),
       bounds AS (
         SELECT coalesce(from_at, '0001-01-01T00:00:00Z') AS lo, ${until} AS hi, now FROM input
       ),
       parts AS (
         SELECT 'overdue' AS part, lo AS a, least(now, hi) AS b FROM bounds
         UNION ALL
         SELECT 'today', greatest(lo, now), hi FROM bounds
       ),
       days AS (
         -- [first_day, last_day): the whole UTC days inside [a, b)
         SELECT part, a, b,
                (a AT TIME ZONE 'UTC')::date + CASE WHEN (a AT TIME ZONE 'UTC')::time = '00:00' THEN 0 ELSE 1 END
                  AS first_day,
                (b AT TIME ZONE 'UTC')::date AS last_day
           FROM parts
       ),
       edges AS (
         SELECT part, a, b, first_day, last_day,
                CASE WHEN first_day < last_day THEN first_day::timestamp AT TIME ZONE 'UTC' ELSE b END AS mid_lo,
                CASE WHEN first_day < last_day THEN last_day::timestamp AT TIME ZONE 'UTC' ELSE b END AS mid_hi
           FROM days
       ),
       totals AS (
         SELECT e.part, head.n + tail.n + coalesce(whole.n, 0) AS n, head.v + tail.v + coalesce(whole.v, 0) AS v
           FROM edges e,
           LATERAL (SELECT count(*) AS n, coalesce(sum(o.value), 0) AS v FROM opportunities o
                     WHERE o.tenant_id = $1 ${owned} AND o.next_action_at >= e.a AND o.next_action_at < e.mid_lo) head,
           LATERAL (SELECT count(*) AS n, coalesce(sum(o.value), 0) AS v FROM opportunities o
                     WHERE o.tenant_id = $1 ${owned} AND o.next_action_at >= e.mid_hi AND o.next_action_at < e.b) tail,
           LATERAL (SELECT sum(b.open_count) AS n, sum(b.value_total) AS v FROM pipeline_buckets b
                     WHERE b.tenant_id = $1 ${ownedBucket} AND b.day >= e.first_day AND b.day < e.last_day) whole
       ),
       pipeline AS (
         SELECT coalesce(sum(b.value_total), 0) AS v, coalesce(sum(b.rescheduled_count), 0) AS r
           FROM pipeline_buckets b WHERE b.tenant_id = $1 ${ownedBucket}
       )
       SELECT (SELECT n FROM totals WHERE part = 'overdue') AS "overdueCount",
              (SELECT n FROM totals WHERE part = 'today') AS "dueTodayCount",
              (SELECT sum(v) FROM totals) AS "dueValueTotal",
              pipeline.v AS "pipelineValueOpen",
              pipeline.r AS "rescheduledCount"
         FROM pipeline`,
      [tenantId, ownerId ?? null, window.now, window.from ?? null, window.until ?? null, window.timezone],
    );
    return {
      overdueCount: Number(row.overdueCount),
      dueTodayCount: Number(row.dueTodayCount),
      dueValueTotal: Number(row.dueValueTotal),
      pipelineValueOpen: Number(row.pipelineValueOpen),
      rescheduledCount: Number(row.rescheduledCount),
    };
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

  /** Closed deals have no next action, so this matches open ones only. */
  private duePredicate(window: DueWindow): string {
    const until = window.until ? 'o.nextActionAt < :until' : `o.nextActionAt < ${END_OF_TODAY}`;
    return window.from ? `(${until} AND o.nextActionAt >= :from)` : `(${until})`;
  }

  private windowParameters(window: DueWindow): Record<string, unknown> {
    return { now: window.now, timezone: window.timezone, from: window.from, until: window.until };
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
