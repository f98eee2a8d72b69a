#!/usr/bin/env bash
# Runs each libFuzzer target of a build for a bounded time:
#   fuzz/run-fuzzers.sh BUILD_DIR [SECONDS]     (SECONDS: $SLUICE_FUZZ_SECONDS, default 60)
# BUILD_DIR is configured with -DSLUICE_BUILD_FUZZERS=ON and built (scripts/test.sh does both).
# Each fuzzer starts from freshly generated seeds (make_seeds) plus the stored inputs of
# fuzz/regressions/<target>/, in a scratch corpus under BUILD_DIR/fuzz-run/, as one process on
# one core (libFuzzer in-process, no -jobs). A crash, leak, sanitizer report, timeout (10 s) or
# broken invariant stops it and fails this script; the input is saved under
# BUILD_DIR/fuzz-run/artifacts/ (fuzz/README.md says what to do next).
# Extra arguments for libFuzzer go in SLUICE_FUZZ_ARGS (e.g. "-seed=1").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS]}" && pwd)
seconds=${2:-${SLUICE_FUZZ_SECONDS:-60}}
run="$build/fuzz-run"
export QT_QPA_PLATFORM=offscreen
# Leaks are checked: libFuzzer runs LeakSanitizer after any input that allocates more than it
# frees. No suppressions are needed (what Qt keeps in its global statics stays reachable).
# allocator_may_return_null: a failed allocation returns null as glibc's does, so Qt handles it.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# The fuzzers write each input to a file here (in memory when /dev/shm exists); a crashed
# process leaves its folder behind, so the whole place goes at the end.
scratch=$(mktemp -d /dev/shm/sluice-fuzz-run.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export SLUICE_FUZZ_SCRATCH="$scratch"

rm -rf "$run/seeds" "$run/corpus"
mkdir -p "$run/artifacts"
"$build/fuzz/make_seeds" "$run/seeds" >/dev/null

status=0
for target in decode zip; do
    corpus="$run/corpus/$target"
    mkdir -p "$corpus"
    regressions="$root/fuzz/regressions/$target"
    dirs=("$corpus" "$run/seeds/$target")
    [ -d "$regressions" ] && dirs+=("$regressions")
    echo "fuzz: fuzz_$target for ${seconds}s (corpus: ${dirs[*]})"
    log="$run/fuzz_$target.log"
    # shellcheck disable=SC2086
    if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$run/artifacts/${target}-" ${SLUICE_FUZZ_ARGS:-} "${dirs[@]}" \
        >"$log" 2>&1; then
        grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)|DONE' \
            "$log" | tr '\n' ' '
        echo
    else
        status=1
        echo "fuzz: fuzz_$target FAILED; the last lines of $log:" >&2
        tail -n 60 "$log" >&2
        echo "fuzz: the input that failed: $(ls -t "$run/artifacts/${target}-"* 2>/dev/null | head -1)" >&2
    fi
done
exit "$status"
