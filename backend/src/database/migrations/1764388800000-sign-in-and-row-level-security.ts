import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/** The tenant and the user of the current transaction, as every policy reads them: unset matches nothing. */
const TENANT = `NULLIF(current_setting('app.tenant_id', true), '')`;
const USER = `NULLIF(current_setting('app.user_id', true), '')::uuid`;

/** Tables that belong to one tenant: RLS enabled and forced, every command limited to the current tenant. */
const TENANT_TABLES = ['opportunities', 'opportunity_actions', 'audit_events', 'invitations'];

/**
 * Users, memberships and sessions, owners on opportunities, an audit log, and row-level security: the API runs
 * its queries as APP_ROLE (no table of its own, not a superuser) with the tenant set per transaction, so a
 * query that forgets `WHERE tenant_id` still sees only the current tenant.
 *
 * The sign-in path must find a user before any tenant is known: it goes through SECURITY DEFINER functions
 * that each answer one narrow question (the password hash for an email, the owner of a token hash), never
 * through a disabled policy.
 */
export class SignInAndRowLevelSecurity1764388800000 implements MigrationInterface {
  name = 'SignInAndRowLevelSecurity1764388800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);

    // The lookups below are SECURITY DEFINER: they read as the owner, which row-level security must not filter.
    await q(`
      DO $$
      BEGIN
        IF NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) THEN
          RAISE EXCEPTION 'NAT migrations must run as the owner of the schema with SUPERUSER or BYPASSRLS (role %)',
            current_user;
        END IF;
      END
      $$`);

    // Roles are cluster-wide while every test run has its own database: create it once, tolerate a race.
    await q(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END
      $$`);
    // The connecting role switches to APP_ROLE with SET LOCAL ROLE, which needs membership unless it is a superuser.
    await q(`
      DO $$
      BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
        END IF;
      END
      $$`);
    await q(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);

    await q(`
      CREATE TABLE users (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email               text NOT NULL CONSTRAINT users_email_key UNIQUE
                            CONSTRAINT users_email_format
                            CHECK (email = lower(btrim(email)) AND email ~ '^[^@\\s]+@[^@\\s]+$' AND length(email) <= 254),
        name                text NOT NULL CONSTRAINT users_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        timezone            text NOT NULL CONSTRAINT users_timezone_known CHECK (nat_is_time_zone(timezone)),
        password_hash       text,
        password_changed_at timestamptz(3),
        created_at          timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q(
      `COMMENT ON COLUMN users.password_hash IS 'argon2id; NULL while an invited user has not set one'`,
    );

    await q(`
      CREATE TABLE memberships (
        tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role       text NOT NULL CONSTRAINT memberships_role_known CHECK (role IN ('rep', 'manager', 'admin')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id)
      )`);
    await q(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);

    // An owner is a member of the same tenant; removing the member leaves the deal unassigned, not deleted.
    await q(`
      ALTER TABLE opportunities
        ADD COLUMN owner_id uuid,
        ADD CONSTRAINT opportunities_owner_is_member FOREIGN KEY (tenant_id, owner_id)
          REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (owner_id)`);
    // A rep's due list walks this index exactly like the team's walks opportunities_due_idx.
    await q(`
      CREATE INDEX opportunities_owner_due_idx
        ON opportunities (tenant_id, owner_id, next_action_at, id) INCLUDE (value)`);

    await q(`
      CREATE TABLE refresh_tokens (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id  uuid NOT NULL,
        token_hash bytea NOT NULL CONSTRAINT refresh_tokens_hash_key UNIQUE,
        expires_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        rotated_at timestamptz(3),
        revoked_at timestamptz(3)
      )`);
    await q(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await q(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);

    await q(`
      CREATE TABLE invitations (
        tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at timestamptz(3) NOT NULL,
        used_at    timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, token_hash),
        FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
      )`);
    await q(`CREATE UNIQUE INDEX invitations_token_idx ON invitations (token_hash)`);

    await q(`
      CREATE TABLE audit_events (
        tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        id          uuid NOT NULL DEFAULT gen_random_uuid(),
        at          timestamptz(3) NOT NULL DEFAULT now(),
        actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
        action      text NOT NULL,
        target_type text NOT NULL,
        target_id   text NOT NULL,
        details     jsonb,
        request_id  text,
        PRIMARY KEY (tenant_id, id)
      )`);
    await q(`CREATE INDEX audit_events_recent_idx ON audit_events (tenant_id, at DESC, id DESC)`);

    // Not tenant data: failed sign-ins (unknown emails included) and the shared rate-limit counters.
    await q(`
      CREATE TABLE auth_events (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at         timestamptz(3) NOT NULL DEFAULT now(),
        event      text NOT NULL,
        email      text,
        user_id    uuid REFERENCES users (id) ON DELETE SET NULL,
        ip         text,
        request_id text
      )`);
    await q(`CREATE INDEX auth_events_at_idx ON auth_events (at)`);
    // The shape rate-limiter-flexible's PostgreSQL store expects (tableCreated: true).
    await q(`
      CREATE TABLE rate_limits (
        key    varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);

    await this.enableRowLevelSecurity(queryRunner);
    await this.createSignInFunctions(queryRunner);

    await q(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON
        tenants, users, memberships, opportunities, opportunity_actions, refresh_tokens, invitations,
        audit_events, rate_limits
      TO ${APP_ROLE}`);
    await q(`GRANT INSERT ON auth_events TO ${APP_ROLE}`);
  }

  private async enableRowLevelSecurity(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const secure = async (table: string) => {
      await q(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    };

    for (const table of TENANT_TABLES) {
      await secure(table);
      await q(`
        CREATE POLICY ${table}_tenant_isolation ON ${table}
          USING (tenant_id = ${TENANT}) WITH CHECK (tenant_id = ${TENANT})`);
    }

    // A tenant is visible as the current one, or as one of the signed-in user's (to list them).
    await secure('tenants');
    await q(`
      CREATE POLICY tenants_current ON tenants
        USING (id = ${TENANT}) WITH CHECK (id = ${TENANT})`);
    await q(`
      CREATE POLICY tenants_of_user ON tenants FOR SELECT
        USING (id IN (SELECT m.tenant_id FROM memberships m WHERE m.user_id = ${USER}))`);

    // Memberships change only within the current tenant; a user also reads their own, across tenants.
    await secure('memberships');
    await q(`
      CREATE POLICY memberships_tenant_isolation ON memberships
        USING (tenant_id = ${TENANT}) WITH CHECK (tenant_id = ${TENANT})`);
    await q(`
      CREATE POLICY memberships_of_user ON memberships FOR SELECT
        USING (user_id = ${USER})`);

    // Users are global: one sees oneself and the members of the current tenant, and changes only oneself.
    // Creating users (sign-up, invitations) is open: the email's uniqueness is the guard.
    await secure('users');
    await q(`CREATE POLICY users_self ON users USING (id = ${USER}) WITH CHECK (id = ${USER})`);
    await q(`
      CREATE POLICY users_fellow_members ON users FOR SELECT
        USING (id IN (SELECT m.user_id FROM memberships m WHERE m.tenant_id = ${TENANT}))`);
    await q(`CREATE POLICY users_create ON users FOR INSERT WITH CHECK (true)`);

    await secure('refresh_tokens');
    await q(`
      CREATE POLICY refresh_tokens_of_user ON refresh_tokens
        USING (user_id = ${USER}) WITH CHECK (user_id = ${USER})`);
  }

  private async createSignInFunctions(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const definer = `LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp`;

    await q(`
      CREATE FUNCTION nat_login_lookup(p_email text) RETURNS TABLE (user_id uuid, password_hash text)
      ${definer} AS $$
        SELECT id, password_hash FROM users WHERE email = lower(btrim(p_email))
      $$`);
    await q(`
      CREATE FUNCTION nat_user_id_by_email(p_email text) RETURNS uuid
      ${definer} AS $$
        SELECT id FROM users WHERE email = lower(btrim(p_email))
      $$`);
    await q(`
      CREATE FUNCTION nat_refresh_token_owner(p_token_hash bytea) RETURNS uuid
      ${definer} AS $$
        SELECT user_id FROM refresh_tokens WHERE token_hash = p_token_hash
      $$`);
    await q(`
      CREATE FUNCTION nat_invitation_lookup(p_token_hash bytea) RETURNS TABLE (tenant_id text, user_id uuid)
      ${definer} AS $$
        SELECT tenant_id, user_id FROM invitations
        WHERE token_hash = p_token_hash AND used_at IS NULL AND expires_at > now()
      $$`);
    // A request's membership, read in the same statement that scopes its transaction: one round trip for both.
    await q(`
      CREATE FUNCTION nat_membership(p_tenant_id text, p_user_id uuid)
      RETURNS TABLE (role text, id text, name text, timezone text, currency text, created_at timestamptz)
      ${definer} AS $$
        SELECT m.role, t.id, t.name, t.timezone, t.currency::text, t.created_at
          FROM memberships m JOIN tenants t ON t.id = m.tenant_id
         WHERE m.tenant_id = p_tenant_id AND m.user_id = p_user_id
      $$`);
    for (const signature of [
      'nat_login_lookup(text)',
      'nat_user_id_by_email(text)',
      'nat_refresh_token_owner(bytea)',
      'nat_invitation_lookup(bytea)',
      'nat_membership(text, uuid)',
    ]) {
      await q(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
      await q(`GRANT EXECUTE ON FUNCTION ${signature} TO ${APP_ROLE}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    for (const fn of [
      'nat_membership(text, uuid)',
      'nat_login_lookup(text)',
      'nat_user_id_by_email(text)',
      'nat_refresh_token_owner(bytea)',
      'nat_invitation_lookup(bytea)',
    ])
      await q(`DROP FUNCTION ${fn}`);
    for (const table of TENANT_TABLES.filter((table) => !['audit_events', 'invitations'].includes(table))) {
      await q(`DROP POLICY ${table}_tenant_isolation ON ${table}`);
      await q(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await q(`DROP POLICY tenants_current ON tenants`);
    await q(`DROP POLICY tenants_of_user ON tenants`);
    await q(`ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY`);
    await q(`ALTER TABLE tenants DISABLE ROW LEVEL SECURITY`);
    await q(`DROP TABLE rate_limits, auth_events, audit_events, invitations, refresh_tokens`);
    await q(`DROP INDEX opportunities_owner_due_idx`);
    await q(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_owner_is_member, DROP COLUMN owner_id`);
    await q(`DROP TABLE memberships, users`);
    await q(`REVOKE ALL ON tenants, opportunities, opportunity_actions FROM ${APP_ROLE}`);
    await q(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
  }
}
