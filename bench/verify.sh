#!/bin/sh
# rlsctl verify stage by stage on the bundled example and on generated projects
# of 100 and 1,000 tenant tables, beside pg_dump --schema-only of the replayed
# database and the raw psql replay of the same migrations, same run.
# Extra arguments go to cargo (e.g. `--profile dev` to skip the optimised build).
set -eu
cd "$(dirname "$0")/.."
exec cargo bench --bench verify "$@"
