#!/usr/bin/env bash
# make backup: one timestamped backup of NAT's database in BACKUP_DIR (./backups), its path printed on stdout.
#   COMPOSE=1 or DATABASE_URL: pg_dump in custom format (-Fc), restorable with pg_restore / make restore.
#   embedded (neither set): a tar.gz of the PGlite folder, taken only while NAT is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ops/lib.sh
source ops/lib.sh
resolve_database_settings

umask 077 # a backup holds password hashes and, for the embedded database, the generated JWT secret
backup_dir=${BACKUP_DIR:-./backups}
mkdir -p "$backup_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

case "$(target_kind)" in
  compose | server)
    require_server_tools
    file="$backup_dir/nat-$stamp.dump"
    [[ -e $file ]] && die "$file already exists"
    PARTIAL_FILE="$file.partial"
    db_pg_dump >"$PARTIAL_FILE"
    ;;
  embedded)
    # A copy of the stopped folder rather than PGlite's dumpDataDir(): that would have to open the database
    # in-process (with the same lock), and this copy also keeps the JWT secret NAT generated there.
    dir=$(embedded_dir)
    [[ -d $dir/pgdata ]] || die "no embedded database in $dir (set DATABASE_URL to back up a PostgreSQL server)"
    lock_embedded_dir "$dir"
    file="$backup_dir/nat-embedded-$stamp.tar.gz"
    [[ -e $file ]] && die "$file already exists"
    PARTIAL_FILE="$file.partial"
    tar -C "$dir" --exclude=./nat.pid -czf "$PARTIAL_FILE" .
    ;;
esac

mv "$PARTIAL_FILE" "$file"
PARTIAL_FILE=
note "backed up $(target_label) to $file ($(du -h "$file" | cut -f1))"
echo "$file"
