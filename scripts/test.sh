#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds with ASan + UBSan and warnings as
# errors, runs every ctest test (unit, fuzz-corpus replay, store crash test, CLI end to end)
# and prints the ctest summary. Run as root from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

build=build-ci
export CCACHE_BASEDIR="$PWD"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DEGRET_SANITIZE=ON -DEGRET_WERROR=ON >/dev/null
ninja -C "$build" -j2

# Leaks are real bugs; abort on the first sanitizer report.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$build"
ctest -j2 --output-on-failure --timeout 600
