#!/usr/bin/env bash
# The isolation proof (`rlsctl test`'s automatic probes) on 10, 100 and 1,000
# generated tenant tables: total and per-table time, and the ratio to
# `pg_dump --schema-only` of the same database in the same run.
# Usage: bench/prove.sh [--release]   (default: the dev profile; the time is
# spent mostly in the server executing probes, not in rlsctl)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--release" ]]; then
  cargo bench --bench prove
else
  cargo bench --profile dev --bench prove
fi
