#!/usr/bin/env bash
# Runs every benchmark in bench/ once, in order, with one build of Egret shared by all (or the
# binaries EGRET_BIN names). Prints each benchmark's table; exits 1 if any benchmark failed,
# after running the others. Run as root, on a machine as quiet as you can get it.
# Reference: docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

readonly BENCHMARKS=(pod_throughput egress_throughput egress_failover netpol_realization
  netpol_throughput netpol_compute)

bench_require_root
bench_install_packages iperf3 jq iptables ipset python3
built_here=${EGRET_BIN:+no}
bench_find_egret
export EGRET_BIN="$EGRET"
# netpol_compute runs egret-netpol-bench from beside egret: build it into the same directory.
if [[ ${built_here:-yes} == yes ]]; then
  ninja -C "$(dirname "$(dirname "$EGRET")")" -j "${EGRET_BUILD_JOBS:-$(nproc)}" \
    egret-netpol-bench >&2
fi

failed=()
for b in "${BENCHMARKS[@]}"; do
  bench_log "bench: == $b =="
  "$BENCH_ROOT/bench/$b.sh" || failed+=("$b")
  echo
done
if ((${#failed[@]} > 0)); then
  bench_die "failed: ${failed[*]}"
fi
