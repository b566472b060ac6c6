import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, opportunities and the history of completed actions. Every tenant-owned table leads its primary
 * and foreign keys with tenant_id, so the schema can be distributed by tenant later. The forced progression
 * lives here too: an opportunity cannot exist without a next action date and details.
 */
export class InitialSchema1764129600000 implements MigrationInterface {
  name = 'InitialSchema1764129600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenants (
        id         text PRIMARY KEY CONSTRAINT tenants_id_format CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name       text NOT NULL CONSTRAINT tenants_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        timezone   text NOT NULL CONSTRAINT tenants_timezone_not_blank CHECK (btrim(timezone) <> ''),
        currency   char(3) NOT NULL CONSTRAINT tenants_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE opportunities (
        tenant_id           text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        id                  uuid NOT NULL DEFAULT gen_random_uuid(),
        name                text NOT NULL
                            CONSTRAINT opportunities_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        value               numeric(14, 2) NOT NULL CONSTRAINT opportunities_value_not_negative CHECK (value >= 0),
        stage               text NOT NULL CONSTRAINT opportunities_stage_known
                            CHECK (stage IN ('Prospecting', 'Qualification', 'Proposal', 'Negotiation')),
        next_action_at      timestamptz(3) NOT NULL,
        next_action_details text NOT NULL CONSTRAINT opportunities_next_action_details_length
                            CHECK (length(btrim(next_action_details)) BETWEEN 1 AND 1000),
        version             integer NOT NULL DEFAULT 1 CONSTRAINT opportunities_version_positive CHECK (version >= 1),
        created_at          timestamptz(3) NOT NULL DEFAULT now(),
        updated_at          timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    // The due query and its keyset paging walk this index; INCLUDE (value) lets the summary sum without the heap.
    await queryRunner.query(
      `CREATE INDEX opportunities_due_idx ON opportunities (tenant_id, next_action_at, id) INCLUDE (value)`,
    );
    await queryRunner.query(`
      CREATE TABLE opportunity_actions (
        tenant_id      text NOT NULL,
        id             uuid NOT NULL DEFAULT gen_random_uuid(),
        opportunity_id uuid NOT NULL,
        details        text NOT NULL,
        due_at         timestamptz(3) NOT NULL,
        completed_at   timestamptz(3) NOT NULL,
        notes          text,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE INDEX opportunity_actions_history_idx
        ON opportunity_actions (tenant_id, opportunity_id, completed_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE opportunity_actions`);
    await queryRunner.query(`DROP TABLE opportunities`);
    await queryRunner.query(`DROP TABLE tenants`);
  }
}
