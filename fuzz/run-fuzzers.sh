#!/usr/bin/env bash
# Runs each libFuzzer target of a build (fuzz_decode, fuzz_zip, fuzz_heif, fuzz_jxl) for a
# bounded time:
#   fuzz/run-fuzzers.sh BUILD_DIR [SECONDS]     (SECONDS: $SLUICE_FUZZ_SECONDS, default 60)
# BUILD_DIR is configured with -DSLUICE_BUILD_FUZZERS=ON and built (scripts/test.sh does both).
# Each fuzzer starts from freshly generated seeds (make_seeds; heif-enc and cjxl) plus the stored
# inputs of fuzz/regressions/<target>/, in a scratch corpus under BUILD_DIR/fuzz-run/, as one process on
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
# frees. What Qt keeps in its global statics stays reachable; tests/lsan.supp names the one
# library whose own leak the fuzzers reach (dav1d, under libheif) and why.
# allocator_may_return_null: a failed allocation returns null as glibc's does, so Qt handles it.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# The fuzzers write each input to a file here (in memory when /dev/shm exists); a crashed
# process leaves its folder behind, so the whole place goes at the end.
scratch=$(mktemp -d /dev/shm/sluice-fuzz-run.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export SLUICE_FUZZ_SCRATCH="$scratch"

rm -rf "$run/seeds" "$run/corpus"
mkdir -p "$run/artifacts"
"$build/fuzz/make_seeds" "$run/seeds" >/dev/null

# HEIF, AVIF and JPEG XL seeds, made from the PNG and JPEG seeds with the codecs' own tools
# (libheif-examples, libjxl-tools): lossy and lossless, alpha, 16 bit, a thumbnail, metadata.
mkdir -p "$run/seeds/heif" "$run/seeds/jxl"
heif_seed() { heif-enc "$@" >/dev/null 2>&1 || echo "fuzz: heif-enc $* failed" >&2; }
jxl_seed() { cjxl "$@" >/dev/null 2>&1 || echo "fuzz: cjxl $* failed" >&2; }
if command -v heif-enc >/dev/null; then
    d="$run/seeds/decode" h="$run/seeds/heif"
    heif_seed -q 30 "$d/quadrants.png" -o "$h/quadrants.heic"
    heif_seed -q 30 -t 8 "$d/alpha.png" -o "$h/alpha-thumbnail.heic"
    heif_seed -q 30 -b 10 "$d/gray16.png" -o "$h/deep.heic"
    heif_seed -q 30 "$d/metadata.jpg" -o "$h/metadata.heic"
    heif_seed -A -q 30 "$d/quadrants.png" -o "$h/quadrants.avif"
    heif_seed -A -q 30 "$d/alpha.png" -o "$h/alpha.avif"
else
    echo "fuzz: heif-enc is missing (libheif-examples): fuzz_heif starts without seeds" >&2
fi
if command -v cjxl >/dev/null; then
    d="$run/seeds/decode" j="$run/seeds/jxl"
    jxl_seed "$d/quadrants.png" "$j/quadrants.jxl" -d 2
    jxl_seed "$d/alpha.png" "$j/alpha-lossless.jxl" -d 0
    jxl_seed "$d/gray16.png" "$j/gray16.jxl" -d 0
    jxl_seed "$d/metadata.jpg" "$j/recompressed.jxl"
    jxl_seed "$d/quadrants.gif" "$j/from-gif.jxl"
else
    echo "fuzz: cjxl is missing (libjxl-tools): fuzz_jxl starts without seeds" >&2
fi

status=0
for target in decode zip heif jxl; do
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
