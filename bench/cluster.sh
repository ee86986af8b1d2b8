#!/usr/bin/env bash
# Ephemeral cluster start-up: the first start on a machine builds the template
# data directory (initdb); later starts copy it and start the server.
# Prints the median of RUNS cold starts and of all warm starts, and the ratio.
#
# Usage: bench/cluster.sh [RUNS] [WARM_RUNS_PER_COLD]   (defaults: 5 and 5)
# The dev profile is used on purpose: the time is spent in initdb, cp and
# postgres, not in rlsctl, and a release build of every dependency takes minutes.
set -euo pipefail

runs=${1:-5}
warm_per_run=${2:-5}
cd "$(dirname "$0")/.."

cargo build --quiet --example cluster_timing
timer=target/debug/examples/cluster_timing

cold=()
warm=()
for _ in $(seq "$runs"); do
  cache=$(mktemp -d)
  # An empty cache makes the first start build the template.
  output=$(RLSCTL_CACHE_DIR=$cache "$timer" "$warm_per_run")
  rm -rf "$cache"
  cold+=("$(awk '$1 == "cold_ms" { print $2 }' <<<"$output")")
  while read -r ms; do warm+=("$ms"); done < <(awk '$1 == "warm_ms" { print $2 }' <<<"$output")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cold_median=$(median "${cold[@]}")
warm_median=$(median "${warm[@]}")
awk -v cold="$cold_median" -v warm="$warm_median" -v nc="${#cold[@]}" -v nw="${#warm[@]}" 'BEGIN {
  printf "first start, cold cache (initdb template + copy + start): %7.1f ms  (median of %d)\n", cold, nc
  printf "start from cached template (copy + start):               %7.1f ms  (median of %d)\n", warm, nw
  printf "template build alone (difference):                       %7.1f ms\n", cold - warm
  printf "ratio cold / warm:                                       %7.1fx\n", cold / warm
}'
