#!/usr/bin/env bash
# catalog::inspect on 1,000 tenant tables that also carry ~200 views, ~300
# triggers with their trigger functions and ~50 enums, as a ratio to
# `pg_dump --schema-only` of the same database in the same run.
# Usage: bench/inspect.sh [--release]   (default: the dev profile, as bench/audit.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--release" ]]; then
  cargo bench --bench inspect
else
  cargo bench --profile dev --bench inspect
fi
