#!/usr/bin/env bash
# `rlsctl pull` on 1,000 generated tables (end to end, and its inspect and TOML
# halves), beside `pg_dump --schema-only` of the same database in the same run.
# Usage: bench/pull.sh [--release]   (default: the dev profile, as bench/audit.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--release" ]]; then
  cargo bench --bench pull
else
  cargo bench --profile dev --bench pull
fi
