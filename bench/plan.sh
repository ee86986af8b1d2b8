#!/bin/sh
# plan time for generated schemas of 10, 100 and 1,000 tenant tables (no changes
# and ~5% changed), beside pg_dump --schema-only of the same database, same run.
set -eu
cd "$(dirname "$0")/.."
exec cargo bench --bench plan "$@"
