#!/bin/sh
# audit trail write overhead: 10,000-row inserts and updates on an audited table
# as a ratio to the same writes on an identical unaudited table, same run.
set -eu
cd "$(dirname "$0")/.."
exec cargo bench --bench trail "$@"
