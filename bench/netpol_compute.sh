#!/usr/bin/env bash
# Policy controller compute, no kernel: runs egret-netpol-bench (bench/netpol_compute.cc), which
# generates 100,000 pods / 75,000 NetworkPolicies / 25,000 namespaces on 100 nodes and runs the
# controller's computation - decode every object, compile every node, encode every node's
# state - printing wall time per phase and peak resident memory beside a published reference
# figure for the same sizes (about 6 s and 1.6 GB), with the rough ratios.
#
# Needs no root and no lab. Settings (environment): EGRET_BIN (egret-netpol-bench is taken from
# beside it; otherwise it is built, RelWithDebInfo, in build-bench), BENCH_PODS (100000),
# BENCH_POLICIES (75000), BENCH_NAMESPACES (25000), BENCH_NODES (100), BENCH_SEED (1).
# See docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

args=()
for v in PODS:pods POLICIES:policies NAMESPACES:namespaces NODES:nodes SEED:seed; do
  name="BENCH_${v%%:*}"
  [[ -z ${!name:-} ]] && continue
  [[ ${!name} =~ ^[0-9]{1,9}$ ]] || bench_die "$name \"${!name}\": use a whole number"
  args+=("--${v#*:}" "${!name}")
done

# The benchmark program: beside EGRET_BIN's egret, or built here.
if [[ -n "${EGRET_BIN:-}" ]]; then
  dir="$EGRET_BIN"
  [[ -d $dir ]] || dir=$(dirname "$dir")
  PROGRAM="$dir/egret-netpol-bench"
else
  build="$BENCH_ROOT/build-bench"
  if [[ $(id -u) -eq 0 ]]; then "$BENCH_ROOT/scripts/install-deps.sh"; fi
  export CCACHE_BASEDIR="$BENCH_ROOT"
  cmake -S "$BENCH_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C "$build" -j "${EGRET_BUILD_JOBS:-$(nproc)}" egret-netpol-bench >&2
  PROGRAM="$build/bin/egret-netpol-bench"
fi
[[ -x $PROGRAM ]] ||
  bench_die "no executable egret-netpol-bench at \"$PROGRAM\" (build the target egret-netpol-bench)"

FACTS=$(bench_machine_facts)
bench_log "bench: $FACTS"
out=$("$PROGRAM" "${args[@]}") || bench_die "egret-netpol-bench failed"
# The program's first line names the sizes; the machine facts go right after it.
head -n1 <<<"$out"
echo "# ${FACTS% | *}"
tail -n +2 <<<"$out"
