#!/usr/bin/env bash
# load.sh — load every corpus schema into a throwaway PostgreSQL cluster and
# print, per schema, the count of each object kind read from pg_catalog.
#
#   tests/corpus/load.sh              # every tests/corpus/*/schema.sql
#   tests/corpus/load.sh b2b_saas     # only the named ones
#   PG_BINDIR=/usr/lib/postgresql/16/bin tests/corpus/load.sh
#   FORMAT=markdown tests/corpus/load.sh   # counts as markdown tables
#   UPDATE_READMES=1 tests/corpus/load.sh  # rewrite the count table of each README.md
#
# A schema whose first lines contain "corpus: requires supabase_stub" gets
# ../supabase_stub.sql first — twice, to prove the stub is idempotent. The
# counts are the schema's own: counts.sql is run after the stub (or on the
# empty database) and again after schema.sql, and the difference is printed.
# Exits non-zero on the first failure. The cluster lives in a temp directory
# with a private socket directory and no TCP listener, and is stopped and
# removed on exit, whatever happens.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
format="${FORMAT:-text}"

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" ]] && { echo "$d"; return; }
  done
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return
  fi
  echo "load.sh: no PostgreSQL server binaries found (set PG_BINDIR)" >&2
  exit 1
}
bindir="$(find_bindir)"

# Postgres refuses to run as root: run the server as the postgres user then.
if [[ "$(id -u)" -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

work="$(mktemp -d /tmp/rlsctl-corpus.XXXXXX)"
sock="$work/sock"
data="$work/data"
mkdir -p "$sock"
[[ "$(id -u)" -eq 0 ]] && chown -R postgres: "$work"

cleanup() {
  local rc=$?
  if [[ -f "$data/postmaster.pid" ]]; then
    as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT INT TERM

as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-sync \
  -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
as_pg "$bindir/pg_ctl" -D "$data" -w -l "$work/server.log" \
  -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c wal_level=logical -c max_wal_senders=0" \
  start >/dev/null \
  || { cat "$work/server.log" >&2; exit 1; }

psql_() { "$bindir/psql" -X -q -h "$sock" -U postgres -v ON_ERROR_STOP=1 "$@"; }
version="$(psql_ -d postgres -At -c 'show server_version')"
echo "PostgreSQL $version (bindir $bindir)"

if [[ $# -gt 0 ]]; then
  names=("$@")
else
  names=()
  for f in "$here"/*/schema.sql; do names+=("$(basename "$(dirname "$f")")"); done
fi

status=0
for name in "${names[@]}"; do
  schema="$here/$name/schema.sql"
  [[ -f "$schema" ]] || { echo "load.sh: $schema: no such file" >&2; exit 1; }
  db="corpus_$name"
  PGOPTIONS='-c client_min_messages=warning' psql_ -d postgres -c "drop database if exists $db" -c "create database $db"
  stub=no
  if head -n 20 "$schema" | grep -q 'corpus: requires supabase_stub'; then
    stub="loaded twice"
    psql_ -d "$db" -f "$here/supabase_stub.sql" >"$work/$name.stub.log" 2>&1 \
      || { echo "FAIL $name: supabase_stub.sql" >&2; cat "$work/$name.stub.log" >&2; exit 1; }
    psql_ -d "$db" -f "$here/supabase_stub.sql" >>"$work/$name.stub.log" 2>&1 \
      || { echo "FAIL $name: supabase_stub.sql (second run: not idempotent)" >&2; cat "$work/$name.stub.log" >&2; exit 1; }
  fi
  psql_ -d "$db" -At -F $'\t' -f "$here/counts.sql" >"$work/$name.before"
  start=$EPOCHREALTIME
  if ! psql_ -d "$db" -f "$schema" >"$work/$name.log" 2>&1; then
    echo "FAIL $name: schema.sql did not load" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  ms=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
  psql_ -d "$db" -At -F $'\t' -f "$here/counts.sql" >"$work/$name.after"
  lines=$(wc -l <"$schema")
  echo
  echo "== $name: loaded OK (schema.sql: $lines lines, ${ms} ms; supabase stub: $stub)"
  warnings=$(grep -c -E 'WARNING|NOTICE' "$work/$name.log" || true)
  [[ "$warnings" -gt 0 ]] && { echo "   notices/warnings while loading:"; grep -E 'WARNING|NOTICE' "$work/$name.log" | sed 's/^/   /'; }
  {
    echo "| object kind | count |"
    echo "|---|---:|"
  } >"$work/$name.md"
  paste "$work/$name.before" "$work/$name.after" | while IFS=$'\t' read -r o1 k1 n1 o2 k2 n2; do
    [[ "$o1" == "$o2" ]] || { echo "load.sh: counts out of step" >&2; exit 1; }
    n=$((n2 - n1))
    if [[ "$k1" == "  "* ]]; then k="↳ ${k1#  }"; else k="$k1"; fi
    echo "| ${k} | $n |" >>"$work/$name.md"
    [[ "$format" == markdown ]] || printf '   %-52s %5d\n' "$k1" "$n"
  done
  if [[ "$format" == markdown ]]; then echo; cat "$work/$name.md"; fi
  # UPDATE_READMES=1: replace the table between the count markers of README.md
  readme="$here/$name/README.md"
  if [[ "${UPDATE_READMES:-}" == 1 && -f "$readme" ]] && grep -q '^<!-- counts:begin -->$' "$readme"; then
    awk -v table="$work/$name.md" '
      /^<!-- counts:begin -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
      /^<!-- counts:end -->$/ { skip = 0 }
      !skip { print }' "$readme" >"$work/$name.readme" && cat "$work/$name.readme" >"$readme"
    echo "   (count table of $name/README.md updated)"
  fi
  if [[ -f "$here/$name/witness.sql" ]]; then
    echo
    echo "   witness.sql (planted holes and clean twins, in a rolled-back transaction):"
    if ! psql_ -d "$db" -f "$here/$name/witness.sql" >"$work/$name.witness" 2>&1; then
      grep -E 'NOTICE|ERROR|FAILED' "$work/$name.witness" | sed 's/^/   /' >&2
      echo "FAIL $name: witness.sql" >&2
      exit 1
    fi
    grep -E 'NOTICE:  (HOLE|CLEAN)' "$work/$name.witness" | sed -E 's/^.*NOTICE:  /     /'
    echo "     ($(grep -c 'NOTICE:  HOLE' "$work/$name.witness") hole and $(grep -c 'NOTICE:  CLEAN' "$work/$name.witness") clean-twin checks passed)"
  fi
done
echo
echo "all ${#names[@]} schema(s) loaded"
exit $status
