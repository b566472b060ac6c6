import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `'Prospecting', 'Qualification', 'Proposal', 'Negotiation'`;
const CLOSED = `'Closed Won', 'Closed Lost'`;

/**
 * Deals can leave the pipeline (closed won or lost) and come back; the history becomes a timeline of typed events.
 * The forced progression stays in the database: one CHECK says that an opportunity has a next action exactly
 * while it is open.
 */
export class PipelineLifecycle1764302400000 implements MigrationInterface {
  name = 'PipelineLifecycle1764302400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE opportunities
        DROP CONSTRAINT opportunities_stage_known,
        ADD CONSTRAINT opportunities_stage_known CHECK (stage IN (${OPEN}, ${CLOSED})),
        ALTER COLUMN next_action_at DROP NOT NULL,
        ALTER COLUMN next_action_details DROP NOT NULL,
        ADD COLUMN closed_at timestamptz(3),
        ADD COLUMN reschedule_count integer NOT NULL DEFAULT 0
          CONSTRAINT opportunities_reschedule_count_not_negative CHECK (reschedule_count >= 0),
        ADD CONSTRAINT opportunities_next_action_while_open CHECK (
          CASE WHEN stage IN (${CLOSED})
            THEN next_action_at IS NULL AND next_action_details IS NULL AND closed_at IS NOT NULL
            ELSE next_action_at IS NOT NULL AND next_action_details IS NOT NULL AND closed_at IS NULL
          END)`);

    await queryRunner.query(`
      ALTER TABLE opportunity_actions
        ADD COLUMN type text NOT NULL DEFAULT 'completed'
          CONSTRAINT opportunity_actions_type_known
          CHECK (type IN ('created', 'completed', 'rescheduled', 'stage_changed', 'closed', 'reopened')),
        ADD COLUMN occurred_at timestamptz(3),
        ADD COLUMN reason text,
        ADD COLUMN previous_next_action_at timestamptz(3),
        ADD COLUMN next_action_at timestamptz(3),
        ADD COLUMN from_stage text,
        ADD COLUMN to_stage text,
        ALTER COLUMN details DROP NOT NULL,
        ALTER COLUMN due_at DROP NOT NULL,
        ALTER COLUMN completed_at DROP NOT NULL`);
    await queryRunner.query(`UPDATE opportunity_actions SET occurred_at = completed_at`);
    await queryRunner.query(`
      ALTER TABLE opportunity_actions
        ALTER COLUMN type DROP DEFAULT,
        ALTER COLUMN occurred_at SET NOT NULL,
        ADD CONSTRAINT opportunity_actions_completed_fields CHECK (
          type <> 'completed' OR (details IS NOT NULL AND due_at IS NOT NULL AND completed_at IS NOT NULL)),
        ADD CONSTRAINT opportunity_actions_rescheduled_fields CHECK (
          type <> 'rescheduled'
          OR (previous_next_action_at IS NOT NULL AND next_action_at IS NOT NULL AND reason IS NOT NULL)),
        ADD CONSTRAINT opportunity_actions_stage_fields CHECK (
          type NOT IN ('stage_changed', 'closed') OR (from_stage IS NOT NULL AND to_stage IS NOT NULL)),
        ADD CONSTRAINT opportunity_actions_next_action_fields CHECK (
          type NOT IN ('created', 'reopened') OR (next_action_at IS NOT NULL AND details IS NOT NULL AND to_stage IS NOT NULL)),
        ADD CONSTRAINT opportunity_actions_reason_length CHECK (reason IS NULL OR length(reason) <= 500)`);
    await queryRunner.query(`DROP INDEX opportunity_actions_history_idx`);
    await queryRunner.query(`
      CREATE INDEX opportunity_actions_timeline_idx
        ON opportunity_actions (tenant_id, opportunity_id, occurred_at DESC, id DESC)`);

    await this.createSearchIndex(queryRunner);
  }

  /**
   * Search is a case-insensitive substring match on name and next action details. With pg_trgm (any PostgreSQL
   * server, and the embedded database) a trigram GIN index serves it; without the extension the same query still
   * works, scanning the tenant's rows through its key.
   */
  private async createSearchIndex(queryRunner: QueryRunner): Promise<void> {
    const [available] = (await queryRunner.query(
      `SELECT count(*)::int AS count FROM pg_available_extensions WHERE name = 'pg_trgm'`,
    )) as { count: number }[];
    if (available.count === 0) return;
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
      CREATE INDEX opportunities_search_idx ON opportunities
        USING gin ((name || ' ' || coalesce(next_action_details, '')) gin_trgm_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS opportunities_search_idx`);
    await queryRunner.query(`DELETE FROM opportunity_actions WHERE type <> 'completed'`);
    await queryRunner.query(`DELETE FROM opportunities WHERE stage IN (${CLOSED})`);
    await queryRunner.query(`DROP INDEX opportunity_actions_timeline_idx`);
    await queryRunner.query(`
      CREATE INDEX opportunity_actions_history_idx
        ON opportunity_actions (tenant_id, opportunity_id, completed_at DESC, id DESC)`);
    await queryRunner.query(`
      ALTER TABLE opportunity_actions
        DROP CONSTRAINT opportunity_actions_completed_fields,
        DROP CONSTRAINT opportunity_actions_rescheduled_fields,
        DROP CONSTRAINT opportunity_actions_stage_fields,
        DROP CONSTRAINT opportunity_actions_next_action_fields,
        DROP CONSTRAINT opportunity_actions_reason_length,
        DROP COLUMN type, DROP COLUMN occurred_at, DROP COLUMN reason, DROP COLUMN previous_next_action_at,
        DROP COLUMN next_action_at, DROP COLUMN from_stage, DROP COLUMN to_stage,
        ALTER COLUMN details SET NOT NULL,
        ALTER COLUMN due_at SET NOT NULL,
        ALTER COLUMN completed_at SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE opportunities
        DROP CONSTRAINT opportunities_next_action_while_open,
        DROP COLUMN reschedule_count,
        DROP COLUMN closed_at,
        ALTER COLUMN next_action_at SET NOT NULL,
        ALTER COLUMN next_action_details SET NOT NULL,
        DROP CONSTRAINT opportunities_stage_known,
        ADD CONSTRAINT opportunities_stage_known CHECK (stage IN (${OPEN}))`);
  }
}
