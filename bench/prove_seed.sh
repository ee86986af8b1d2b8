#!/usr/bin/env bash
# The seeding figure: a generated schema of TABLES (default 1,000) tenant tables
# with regex, IN, range, domain, enum, array and expression-index constraints and
# range/list/hash partitioned tables, proven without samples. Prints the tenant
# relations seeded and the verdict counts; fails unless every relation was seeded
# and no probe is UNRELIABLE, with the proof's time beside pg_dump --schema-only.
# Release build (the bench profile); PROFILE=dev reuses the debug build's deps.
# Usage: [PROFILE=dev] bench/prove_seed.sh [TABLES]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench ${PROFILE:+--profile "$PROFILE"} --bench prove_seed -- "${1:-1000}"
