#!/usr/bin/env bash
# make restore FILE=…: a backup written by make backup, restored into an EMPTY database; refuses anything else.
#   .dump (pg_dump -Fc) into DATABASE_URL or, with COMPOSE=1, the compose database: one transaction, objects
#     owned by the restoring role, after creating NAT's application role when the cluster lacks it.
#   .tar.gz of the embedded database into an empty EMBEDDED_DB_DIR (./data), while NAT is stopped.
set -euo pipefail
file=${1:-}
if [[ -n $file && $file != /* ]]; then file="$PWD/$file"; fi
cd "$(dirname "$0")/.."
# shellcheck source=ops/lib.sh
source ops/lib.sh
resolve_database_settings

[[ -n $file ]] || die "which backup? make restore FILE=backups/nat-<time>.dump (or a nat-embedded-<time>.tar.gz)"
[[ -f $file && -r $file ]] || die "cannot read $file"

sql_literal() {
  printf "'%s'" "${1//\'/\'\'}"
}

refuse_unless_empty() {
  local relations
  relations=$(db_psql <<'SQL'
SELECT format('%I.%I', n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
 ORDER BY 1
SQL
  ) || die "cannot query $(target_label): is the server running and the database created?"
  if [[ -n $relations ]]; then
    local count names
    count=$(wc -l <<<"$relations")
    names=$(head -n 5 <<<"$relations" | paste -sd, - | sed 's/,/, /g')
    if ((count > 5)); then names="$names, …"; fi
    die "refusing to restore: $(target_label) is not empty, it has $count tables or views ($names)." \
      "Restore into a new, empty database (createdb, or a fresh compose volume before the API starts)."
  fi
}

# Roles are cluster-wide and not part of a dump, but its GRANTs name them: NAT's application role is created
# here when missing, exactly as the migration creates it; any other role must exist already.
ensure_roles() {
  local role roles
  roles=$(dump_schema_sql "$file" | sed -nE 's/^GRANT .* TO (.+);$/\1/p' | tr ',' '\n' |
    sed -E 's/^ +//; s/ +$//; s/^"(.*)"$/\1/' | grep -vx PUBLIC | sort -u || true)
  for role in $roles; do
    if [[ -n $(db_psql <<<"SELECT 1 FROM pg_roles WHERE rolname = $(sql_literal "$role")") ]]; then continue; fi
    [[ $role == "$NAT_APP_ROLE" ]] || die "the backup grants privileges to role $role, which this server lacks: create it first"
    db_psql <<SQL || die "could not create role $role: restore as a role with CREATEROLE, or have a superuser run CREATE ROLE $role NOLOGIN; GRANT $role TO <the role NAT connects as>"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NAT_APP_ROLE') THEN
    CREATE ROLE $NAT_APP_ROLE NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
\$\$;
SQL
    note "created role $role (NOLOGIN), as NAT's migration does on a new server"
  done
  # NAT switches to its role with SET LOCAL ROLE, which a role that is not a superuser may only do as a member.
  db_psql <<SQL || die "could not grant $NAT_APP_ROLE to the restoring role: restore as the role NAT connects as, with CREATEROLE"
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$NAT_APP_ROLE')
     AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, '$NAT_APP_ROLE', 'MEMBER') THEN
    EXECUTE format('GRANT $NAT_APP_ROLE TO %I', current_user);
  END IF;
END
\$\$;
SQL
}

# Per-database settings (UTC, timeouts) live in the database, not in a dump: a server you run gets them from
# database/init as the PostgreSQL container does on first start (where compose has applied them already).
apply_database_settings() {
  local script
  [[ $(target_kind) == server ]] || return 0
  for script in database/init/*.sql; do
    [[ -f $script ]] || continue
    db_psql <"$script" >/dev/null || die "could not apply $script"
    note "applied $script"
  done
}

restore_dump() {
  require_server_tools
  refuse_unless_empty
  ensure_roles
  apply_database_settings
  db_pg_restore "$file" || die "pg_restore failed; nothing was restored (it runs in one transaction)"
  note "restored $file into $(target_label)"
}

restore_embedded() {
  local dir entries
  dir=$(embedded_dir)
  [[ $(target_kind) == embedded ]] ||
    die "$file is a backup of the embedded database: unset DATABASE_URL and COMPOSE to restore it into $dir"
  entries=$(tar -tzf "$file") || die "cannot read $file"
  grep -qx './pgdata/PG_VERSION' <<<"$entries" || die "$file is not a backup of NAT's embedded database"
  mkdir -p "$dir"
  lock_embedded_dir "$dir"
  entries=$(find "$dir" -mindepth 1 -maxdepth 1 ! -name nat.pid)
  [[ -z $entries ]] ||
    die "refusing to restore: $dir is not empty. Move it away first (mv $dir $dir.old), or set EMBEDDED_DB_DIR."
  tar -C "$dir" -xzf "$file"
  note "restored $file into $(target_label)"
}

case "$(head -c 5 "$file" | od -An -c | tr -d ' \n')" in
  PGDMP) restore_dump ;;
  037213*) restore_embedded ;; # gzip
  *) die "$file is neither a pg_dump custom-format file nor a tar.gz of the embedded database" ;;
esac
