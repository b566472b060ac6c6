import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant's time zone decides when its "today" ends: an unknown zone would make every due query fail.
 * PostgreSQL cannot reference pg_timezone_names in a CHECK, so a function asks the zone database instead.
 * It is declared IMMUTABLE for the CHECK's sake: zones are only ever added, so an accepted value stays valid.
 */
export class KnownTimeZones1764216000000 implements MigrationInterface {
  name = 'KnownTimeZones1764216000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION nat_is_time_zone(zone text) RETURNS boolean
      LANGUAGE plpgsql IMMUTABLE STRICT AS $$
      BEGIN
        PERFORM now() AT TIME ZONE zone;
        RETURN btrim(zone) <> '';
      EXCEPTION WHEN invalid_parameter_value THEN
        RETURN false;
      END
      $$`);
    await queryRunner.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_timezone_not_blank`);
    await queryRunner.query(
      `ALTER TABLE tenants ADD CONSTRAINT tenants_timezone_known CHECK (nat_is_time_zone(timezone))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_timezone_known`);
    await queryRunner.query(
      `ALTER TABLE tenants ADD CONSTRAINT tenants_timezone_not_blank CHECK (btrim(timezone) <> '')`,
    );
    await queryRunner.query(`DROP FUNCTION nat_is_time_zone(text)`);
  }
}
