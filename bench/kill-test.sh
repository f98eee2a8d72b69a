#!/usr/bin/env bash
# The kill test: sluice-cli on N inputs, killed with SIGKILL at a random point three times in a
# row, then resumed with --resume to the end. Reports the outputs (must be N), how many decode,
# temporary files left (must be 0) and duplicates (must be 0), as one JSON line.
#
#   bench/kill-test.sh [SLUICE_CLI] [INPUT_FOLDER] [SIZE]
#
# Defaults: build-release/src/cli/sluice-cli, 400 generated 1600x1200 JPEGs (ImageMagick),
# size 256. Kill points are random (seed printed; SEED=... repeats).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=${1:-$root/build-release/src/cli/sluice-cli}
work=$(mktemp -d /tmp/sluice-kill-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
input=${2:-}
size=${3:-256}
seed=${SEED:-$RANDOM}
RANDOM=$seed
export XDG_DATA_HOME=$work/data # the journal goes here, not into the user's own folder

if [ -z "$input" ]; then
    input=$work/in
    mkdir -p "$input"
    for i in $(seq 1 8); do
        convert -seed "$i" -size 1600x1200 plasma:fractal -quality 90 "$work/base$i.jpg"
    done
    for i in $(seq 1 400); do cp "$work/base$((i % 8 + 1)).jpg" "$input/p$i.jpg"; done
fi
n=$(find "$input" -type f | wc -l)
out=${OUT_DIR:-$work/out} # OUT_DIR: e.g. a file system without O_TMPFILE
args=("$input" -o "$out" --size "$size" --quiet)

count() { { find "$out" -type f 2>/dev/null || true; } | wc -l; }
for round in 1 2 3; do
    extra=()
    [ "$round" -gt 1 ] && extra=(--resume)
    "$cli" "${args[@]}" "${extra[@]}" &
    pid=$!
    before=$(count)
    # A random point: after 2..(remaining/2) more outputs have appeared.
    target=$((before + 2 + RANDOM % ((n - before) / 2 + 1)))
    while [ "$(count)" -lt "$target" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    kill -9 "$pid" 2>/dev/null || { echo "run $round finished before its kill point" >&2; exit 1; }
    wait "$pid" 2>/dev/null || true
    echo "round $round: killed at $(count) of $n outputs" >&2
done
"$cli" "${args[@]}" --resume --report "$work/report.json" >&2
outputs=$(count)
decoded=0
while IFS= read -r -d '' f; do
    identify -regard-warnings "$f" >/dev/null 2>&1 && decoded=$((decoded + 1))
done < <(find "$out" -type f -print0)
temporaries=$(find "$out" -type f \( -regex '.*\.[A-Za-z0-9]\{6\}$' -o -name '*.part' \) | wc -l)
duplicates=$(find "$out" -type f -name '* ([0-9]*).*' | wc -l)
journals=$(find "$XDG_DATA_HOME" -name '*.journal' 2>/dev/null | wc -l)
echo "{\"bench\":\"kill-test\",\"seed\":$seed,\"inputs\":$n,\"kills\":3,\"outputs\":$outputs,\"decoded\":$decoded,\"temporaries\":$temporaries,\"duplicates\":$duplicates,\"journals_left\":$journals}"
[ "$outputs" -eq "$n" ] && [ "$decoded" -eq "$n" ] && [ "$temporaries" -eq 0 ] && [ "$duplicates" -eq 0 ]
