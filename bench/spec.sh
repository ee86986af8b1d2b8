#!/bin/sh
# load + validate + render time for generated specs of 10, 100 and 1,000 tenant
# tables, beside plain TOML parsing of the same files, same run.
set -eu
cd "$(dirname "$0")/.."
exec cargo bench --bench spec "$@"
