-- Server-side settings for NAT's database, run once by a superuser: by the PostgreSQL container on first start
-- (mounted at /docker-entrypoint-initdb.d) or by hand with `psql -d <database> -f` on a server you run.
-- The schema is not here: the application's TypeORM migrations own it (`make migrate`, and at every start).

-- Timestamps are stored as timestamptz; UTC sessions keep ad-hoc queries and dumps unambiguous.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
  -- A transaction left open by a crashed client holds row locks (completions lock their opportunity):
  -- end such sessions instead of letting them block a rep's next completion.
  EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout TO %L', current_database(), '60s');
  -- No single statement of the API needs more than a few seconds; stop runaway ones.
  EXECUTE format('ALTER DATABASE %I SET statement_timeout TO %L', current_database(), '30s');
END
$$;
