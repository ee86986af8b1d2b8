#!/usr/bin/env bash
# `rlsctl audit` on 10, 100 and 1,000 generated tenant tables, as a ratio to
# `pg_dump --schema-only` of the same database in the same run.
# Usage: bench/audit.sh [--release]   (default: the dev profile, as bench/cluster.sh;
# the audit's own work is mostly in pg_query and the server, compiled optimised either way)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--release" ]]; then
  cargo bench --bench audit
else
  cargo bench --profile dev --bench audit
fi
