import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * nat_read_scope(): how a read-only request scopes each statement without a transaction around them (see
 * tenancy/read-scope.ts). Called just before the statement, in the same implicit transaction, it refuses with
 * SQLSTATE NAT01 unless the caller's membership is still exactly the row the request was admitted with, so the
 * statement never runs on an assumption that no longer holds (a removed member, a changed role or time zone);
 * then it sets the role and the tenant until that transaction ends. The connecting (owner) role calls it; the
 * application role cannot.
 */
export class ReadScope1764648000000 implements MigrationInterface {
  name = 'ReadScope1764648000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE PROCEDURE nat_read_scope(p_tenant_id text, p_user_id uuid, p_membership jsonb)
      LANGUAGE plpgsql AS $$
      BEGIN
        IF p_membership IS NULL
           OR (SELECT to_jsonb(m) FROM nat_membership(p_tenant_id, p_user_id) AS m) IS DISTINCT FROM p_membership
        THEN
          RAISE EXCEPTION 'the membership of % in % is not the one the request assumed', p_user_id, p_tenant_id
            USING ERRCODE = 'NAT01';
        END IF;
        PERFORM set_config('role', '${APP_ROLE}', true),
                set_config('app.tenant_id', p_tenant_id, true),
                set_config('app.user_id', p_user_id::text, true);
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON PROCEDURE nat_read_scope(text, uuid, jsonb) FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP PROCEDURE nat_read_scope(text, uuid, jsonb)`);
  }
}
