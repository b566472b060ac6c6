import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * Idempotency keys: the first successful answer to a POST sent with `Idempotency-Key`, kept 24 hours so a client
 * that retries (a timeout, a dropped connection) gets that answer again instead of changing data twice. A key
 * belongs to one member of one tenant and one route; it is written in the same transaction as the change it
 * answers for, so the two commit or vanish together.
 */
export class IdempotencyKeys1764475200000 implements MigrationInterface {
  name = 'IdempotencyKeys1764475200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE idempotency_keys (
        tenant_id       text NOT NULL,
        user_id         uuid NOT NULL,
        route           text NOT NULL,
        key             text NOT NULL CONSTRAINT idempotency_keys_key_length CHECK (length(key) BETWEEN 1 AND 255),
        fingerprint     bytea NOT NULL,
        response_status smallint NOT NULL,
        response_body   text NOT NULL,
        created_at      timestamptz(3) NOT NULL DEFAULT now(),
        expires_at      timestamptz(3) NOT NULL,
        PRIMARY KEY (tenant_id, user_id, route, key),
        FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
      )`);
    await q(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (tenant_id, user_id, expires_at)`);
    await q(`ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY`);
    await q(`ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY`);
    await q(`
      CREATE POLICY idempotency_keys_of_member ON idempotency_keys
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')
               AND user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')
                    AND user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)`);
    await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
