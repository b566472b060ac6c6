# shellcheck shell=bash
# shellcheck disable=SC2016 # single-quoted $POSTGRES_* expand inside the database container, see compose_db_sh
# Shared by ops/backup.sh and ops/restore.sh (sourced, not run). Which database a command acts on:
#   COMPOSE=1     the `db` service of docker-compose.prod.yml (COMPOSE_FILE picks another file, as docker compose
#                 does); the PostgreSQL tools run inside that container, as POSTGRES_USER on POSTGRES_DB.
#   DATABASE_URL  a PostgreSQL server, with this machine's pg_dump / pg_restore / psql (PostgreSQL 15 here).
#   neither       the embedded database NAT starts by itself: the PGlite folder EMBEDDED_DB_DIR (./data).

# The role the API's queries run as (backend/src/database/app-role.ts); the dump grants it privileges.
# shellcheck disable=SC2034 # read by restore.sh
NAT_APP_ROLE=nat_app

# The database settings as NAT reads them (backend/src/config/config.ts): each may come from a file instead
# (NAME_FILE, as Docker secrets are mounted), and the password may be kept out of the URL, where libpq then
# takes it from PGPASSWORD.
resolve_database_settings() {
  local name file
  for name in DATABASE_URL DATABASE_PASSWORD; do
    file=${name}_FILE
    [[ -n ${!file:-} ]] || continue
    [[ -z ${!name:-} ]] || die "set $name or $file, not both"
    [[ -r ${!file} ]] || die "$file: cannot read ${!file}"
    printf -v "$name" '%s' "$(<"${!file}")"
  done
  if [[ -n ${DATABASE_PASSWORD:-} ]]; then export PGPASSWORD=$DATABASE_PASSWORD; fi
}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

note() {
  echo "$(basename "$0"): $*" >&2
}

target_kind() {
  if [[ -n ${COMPOSE:-} && ${COMPOSE} != 0 ]]; then
    echo compose
  elif [[ -n ${DATABASE_URL:-} ]]; then
    echo server
  else
    echo embedded
  fi
}

target_label() {
  case "$(target_kind)" in
    compose) echo "the compose service '${COMPOSE_DB_SERVICE:-db}' (${COMPOSE_FILE:-docker-compose.prod.yml})" ;;
    server) echo "DATABASE_URL" ;;
    embedded) echo "the embedded database in ${EMBEDDED_DB_DIR:-./data}" ;;
  esac
}

require_tool() {
  command -v "$1" >/dev/null || die "$1 not found: $2"
}

require_server_tools() {
  if [[ $(target_kind) == compose ]]; then
    require_tool docker "install Docker with the compose plugin, or set DATABASE_URL instead of COMPOSE"
  else
    local tool
    for tool in pg_dump pg_restore psql; do
      require_tool "$tool" "install PostgreSQL's client tools (Debian: apt-get install postgresql-client-15)"
    done
  fi
}

# Runs a shell command inside the database container. The container's environment supplies POSTGRES_USER and
# POSTGRES_DB, and its local socket needs no password.
compose_db_sh() {
  local files=()
  [[ -z ${COMPOSE_FILE:-} ]] && files=(-f docker-compose.prod.yml)
  docker compose "${files[@]}" exec -T "${COMPOSE_DB_SERVICE:-db}" sh -c "$1"
}

# SQL from stdin, rows to stdout (unaligned, tuples only), stopping at the first error.
db_psql() {
  if [[ $(target_kind) == compose ]]; then
    compose_db_sh 'exec psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'
  else
    psql -X -q -A -t -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL"
  fi
}

# A custom-format dump (pg_dump -Fc) to stdout.
db_pg_dump() {
  if [[ $(target_kind) == compose ]]; then
    compose_db_sh 'exec pg_dump --format=custom -U "$POSTGRES_USER" -d "$POSTGRES_DB"'
  else
    pg_dump --format=custom --dbname="$DATABASE_URL"
  fi
}

# The SQL script of the dump's schema, from a dump file (for the roles its GRANTs name).
dump_schema_sql() {
  if [[ $(target_kind) == compose ]]; then
    compose_db_sh 'exec pg_restore --schema-only --file=-' <"$1"
  else
    pg_restore --schema-only --file=- "$1"
  fi
}

# Restores a dump file in one transaction: all of it or nothing. Objects are owned by the restoring role.
db_pg_restore() {
  local options='--no-owner --exit-on-error --single-transaction'
  if [[ $(target_kind) == compose ]]; then
    compose_db_sh "exec pg_restore $options -U \"\$POSTGRES_USER\" -d \"\$POSTGRES_DB\"" <"$1"
  else
    # shellcheck disable=SC2086 # the options are words on purpose
    pg_restore $options --dbname="$DATABASE_URL" "$1"
  fi
}

embedded_dir() {
  echo "${EMBEDDED_DB_DIR:-./data}"
}

# The process that has the embedded folder open, if any, read from the lock file NAT writes at start
# (backend/src/database/embedded-postgres.ts): the same test NAT applies before it opens the folder.
embedded_lock_holder() {
  local pid
  pid=$(cat "$1/nat.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ && $pid != "$$" ]] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  fi
}

# Removed when the script ends, however it ends: a half-written backup, and the lock taken below.
PARTIAL_FILE=
LOCKED_DIR=
cleanup() {
  if [[ -n $PARTIAL_FILE ]]; then rm -f "$PARTIAL_FILE"; fi
  if [[ -n $LOCKED_DIR && $(cat "$LOCKED_DIR/nat.pid" 2>/dev/null) == "$$" ]]; then rm -f "$LOCKED_DIR/nat.pid"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Refuses while NAT (or a migrate/seed run) has the folder open, then holds NAT's lock until this script ends,
# so NAT cannot start on a folder that is being copied or replaced.
lock_embedded_dir() {
  local dir=$1 holder
  holder=$(embedded_lock_holder "$dir")
  if [[ -n $holder ]]; then
    die "the embedded database in $dir is in use by process $holder (is NAT running?). Stop it first, or set DATABASE_URL to act on a PostgreSQL server."
  fi
  echo "$$" >"$dir/nat.pid"
  LOCKED_DIR=$dir
}
