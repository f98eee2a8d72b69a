#!/usr/bin/env bash
# sluice-cli's shards under GNU parallel, as the README shows them: four shards of one tree run
# side by side into one shared folder, each with its own report; then --merge-reports joins
# the reports. Passes when the union of the shards' outputs equals a single run of the same
# command, file for file and byte for byte, and the merged report lists every input once.
# Usage: parallel-shards.sh SLUICE_CLI   (a ctest case: tests/cli/CMakeLists.txt)
set -euo pipefail
cli=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "parallel-shards: FAIL: $*" >&2; exit 1; }

mkdir -p "$work/in/sub/deeper" "$work/reports"
for i in $(seq 1 14); do
    dir="$work/in"
    [ $((i % 3)) -eq 0 ] && dir="$work/in/sub"
    [ $((i % 5)) -eq 0 ] && dir="$work/in/sub/deeper"
    ext=jpg
    [ $((i % 4)) -eq 0 ] && ext=png
    convert -size "$((160 + i * 7))x$((120 + i * 3))" -seed "$i" plasma: "$dir/img$i.$ext"
done
echo "not an image" > "$work/in/notes.txt"
cp "$work/in/img1.jpg" "$work/in/.hidden.jpg"

command=(--size 96 --format jpg --quality 85 --workers 1)
parallel --will-cite --halt now,fail=1 \
    "$cli" -q "$work/in" -o "$work/out" "${command[@]}" --shard {}/4 \
    --report "$work/reports/run.json" ::: 1 2 3 4
"$cli" -q "$work/in" -o "$work/single" "${command[@]}" --report "$work/single.json"

(cd "$work/out" && find . -type f | sort) > "$work/sharded.list"
(cd "$work/single" && find . -type f | sort) > "$work/single.list"
diff -u "$work/single.list" "$work/sharded.list" || fail "the shards wrote other files than one run"
[ "$(grep -c 'img' "$work/single.list")" -eq 14 ] || fail "expected 14 outputs"
while read -r f; do
    cmp -s "$work/single/$f" "$work/out/$f" || fail "$f differs from the single run's"
done < "$work/single.list"

"$cli" --merge-reports "$work"/reports/run-shard-*-of-4.json -o "$work/merged.json" \
    --expect "$work/in" 2> "$work/merge.err" || { cat "$work/merge.err" >&2; fail "merge"; }
grep -q "every input in exactly one report" "$work/merge.err" || fail "merge: $(cat "$work/merge.err")"
python3 - "$work/merged.json" "$work/single.json" <<'PY' || fail "merged report"
import json, sys
merged = [i["relativePath"] for i in json.load(open(sys.argv[1]))["items"]]
single = [i["relativePath"] for i in json.load(open(sys.argv[2]))["items"]]
assert len(merged) == len(set(merged)) == 16, merged   # 14 images, a text file, a dot-file
assert sorted(merged) == sorted(single), (merged, single)
PY
echo "parallel-shards: PASS: 4 shards under GNU parallel, 14 outputs equal to one run, 16 inputs once"
