#!/usr/bin/env bash
# What the journal costs: alternating runs of sluice-cli with and without it (--no-journal) on
# the same inputs, in the same session; prints mean and best wall time and mean CPU per mode.
#
#   bench/journal-cost.sh INPUT SIZE ROUNDS [SLUICE_CLI]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
input=$1; size=$2; rounds=$3
cli=${4:-$root/build-release/src/cli/sluice-cli}
work=$(mktemp -d /tmp/sluice-journal-cost.XXXXXX)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data
for r in $(seq 1 "$rounds"); do
  for mode in journal nojournal; do
    rm -rf "$work/out"; extra=""; [ $mode = nojournal ] && extra=--no-journal
    /usr/bin/time -f "$mode %e %U %S" "$cli" "$input" -o "$work/out" --size "$size" --quiet $extra
  done
done 2>&1 | awk '{w[$1]+=$2; c[$1]+=$3+$4; n[$1]++; if (!(($1) in best) || $2 < best[$1]) best[$1]=$2} END {for (k in w) printf "%s: mean wall %.3f s, best wall %.3f s, mean cpu %.3f s (%d runs)\n", k, w[k]/n[k], best[k], c[k]/n[k], n[k]}'
