#!/usr/bin/env bash
# Sets up (missing apt packages), builds and runs every test:
#   1. the whole project with its Qt Test suites and bench smoke runs (ctest);
#   2. everything again under ThreadSanitizer: any report fails the run;
#   3. everything again under AddressSanitizer + UndefinedBehaviorSanitizer (with leak checks);
#   4. the libFuzzer targets (clang), each run for SLUICE_FUZZ_SECONDS (default 60) from fresh
#      seeds: a crash, leak, sanitizer report or broken invariant fails the run;
#   after 1, as root (or with sudo): the Debian package built, checked by lintian, installed
#   with apt, run and purged (scripts/test-deb.sh), and a one-node Slurm cluster running a job
#   array of shards, one killed and requeued (scripts/slurm-cluster-test.sh).
# Exits non-zero when anything fails to build or any test fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${SLUICE_JOBS:-$(nproc)}
export QT_QPA_PLATFORM=offscreen

"$root/scripts/setup-deps.sh"

step() { echo; echo "== test: $* =="; }

step "build (RelWithDebInfo) in build-test"
cmake -S "$root" -B "$root/build-test" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSLUICE_BUILD_TESTS=ON -DSLUICE_BUILD_BENCH=ON >/dev/null
cmake --build "$root/build-test" -j "$jobs"

step "ctest"
ctest --test-dir "$root/build-test" --output-on-failure --timeout 600

step "Debian package: build, lintian, install with apt, run, purge (scripts/test-deb.sh)"
"$root/scripts/test-deb.sh"

step "one-node Slurm cluster: 4 shards as a job array, one killed and requeued (scripts/slurm-cluster-test.sh)"
SLUICE_CLI="$root/build-test/src/cli/sluice-cli" "$root/scripts/slurm-cluster-test.sh"

step "build everything with -fsanitize=thread in build-tsan"
cmake -S "$root" -B "$root/build-tsan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DSLUICE_SANITIZE=thread -DSLUICE_BUILD_BENCH=ON -DSLUICE_BUILD_TESTS=ON -DSLUICE_POOL_ONLY=OFF >/dev/null
cmake --build "$root/build-tsan" -j "$jobs"

step "ctest under ThreadSanitizer (any report fails)"
# die_after_fork=0: QProcess forks and execs at once (tests run vipsheader, sluice-cli).
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 die_after_fork=0 suppressions=$root/tests/tsan.supp" \
    ctest --test-dir "$root/build-tsan" --output-on-failure --timeout 900 \
    --label-exclude single-threaded

step "build everything with -fsanitize=address,undefined in build-asan"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DSLUICE_SANITIZE=address,undefined -DSLUICE_BUILD_BENCH=ON -DSLUICE_BUILD_TESTS=ON -DSLUICE_POOL_ONLY=OFF >/dev/null
cmake --build "$root/build-asan" -j "$jobs"

step "ctest under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included)"
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    LSAN_OPTIONS="suppressions=$root/tests/lsan.supp" \
    ctest --test-dir "$root/build-asan" --output-on-failure --timeout 900

step "build the libFuzzer targets with clang in build-fuzz"
cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSLUICE_BUILD_FUZZERS=ON \
    -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCH=OFF >/dev/null
cmake --build "$root/build-fuzz" -j "$jobs"

step "fuzz the decode, ZIP, HEIF and JPEG XL input paths, ${SLUICE_FUZZ_SECONDS:-60}s each (any finding fails)"
"$root/fuzz/run-fuzzers.sh" "$root/build-fuzz" "${SLUICE_FUZZ_SECONDS:-60}"

echo
echo "test: all suites passed (regular build, Debian package, Slurm, ThreadSanitizer, AddressSanitizer + UBSan, fuzzers)"
