#!/usr/bin/env bash
# Pod network throughput as a ratio: for each mode (encap, noencap) it brings up a 3-node
# `egret lab`, puts one pod on n1 and one on n2, and measures with iperf3 (TCP) in that one lab
# and run, interleaved: (a) pod on n1 → pod on n2 and (b) node n1 → node n2 over the underlay.
# It prints the medians and pod/node, the cost of the pod network over the plain underlay.
# Every lab is torn down on exit, also on failure or Ctrl-C, and checked to be gone.
#
# Run as root: bench/pod_throughput.sh. Settings (environment): EGRET_BIN, BENCH_MODES
# (default "encap noencap"), BENCH_RUNS (3), BENCH_SECONDS (5). See docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

readonly MODES="${BENCH_MODES:-encap noencap}"
readonly RUNS="${BENCH_RUNS:-3}"
readonly SECONDS_PER_RUN="${BENCH_SECONDS:-5}"
readonly PORT=5201
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || bench_die "BENCH_RUNS \"$RUNS\": use a whole number 1-99"
[[ $SECONDS_PER_RUN =~ ^[1-9][0-9]?$ ]] ||
  bench_die "BENCH_SECONDS \"$SECONDS_PER_RUN\": use a whole number 1-99"
for m in $MODES; do
  [[ $m == encap || $m == noencap ]] || bench_die "BENCH_MODES: \"$m\" is not encap or noencap"
done

bench_require_root
bench_install_packages iperf3 jq
bench_find_egret

bench_lab_setup

# First address (without prefix length) of a pod or node in the lab's status.
address_of() { jq -r "$1 | .addresses[0] | split(\"/\")[0]" <<< "$STATUS"; }

# Runs one mode; appends its row to ROWS.
bench_mode() {
  local mode=$1 pod_ip node_ip r pods=() nodes=()
  LAB="bench$$$mode"
  LABS+=("$LAB")
  bench_log "bench: lab $LAB: up (3 nodes, $mode)"
  lab up --nodes 3 --mode "$mode" >/dev/null
  lab pod add default/src --node n1 >/dev/null
  lab pod add default/dst --node n2 >/dev/null
  STATUS=$(lab status -o json)
  pod_ip=$(address_of '.pods[] | select(.namespace == "default" and .name == "dst")')
  node_ip=$(address_of '.nodes[] | select(.name == "n2")')
  require_in_lab "$pod_ip" .clusterCIDRs
  require_in_lab "$node_ip" .underlay.cidrs
  for ((r = 1; r <= RUNS; r++)); do
    measure default/dst default/src "$pod_ip"
    pods+=("$MEASURED")
    measure node:n2 node:n1 "$node_ip"
    nodes+=("$MEASURED")
    bench_log "bench: $mode run $r/$RUNS:" \
      "pod→pod ${pods[-1]} Gbit/s, node→node ${nodes[-1]} Gbit/s"
  done
  local pod_med node_med
  pod_med=$(bench_median "${pods[@]}")
  node_med=$(bench_median "${nodes[@]}")
  ROWS+=("$(printf '%-8s %14s %16s %9s   %s | %s' "$mode" "$pod_med" "$node_med" \
    "$(awk -v p="$pod_med" -v n="$node_med" 'BEGIN { printf "%.2f", (n > 0 ? p / n : 0) }')" \
    "${pods[*]}" "${nodes[*]}")")
  teardown "$LAB"
  unset 'LABS[-1]'
}

ROWS=()
FACTS=$(bench_machine_facts)
bench_log "bench: $FACTS"
for mode in $MODES; do bench_mode "$mode"; done

echo "# pod_throughput: iperf3 TCP, ${SECONDS_PER_RUN} s per run, median of $RUNS runs;" \
  "pods on n1 → n2, nodes n1 → n2, one lab per mode"
echo "# $FACTS"
printf '%-8s %14s %16s %9s   %s\n' mode "pod→pod Gbit/s" "node→node Gbit/s" "pod/node" \
  "samples pod | node"
printf '%s\n' "${ROWS[@]}"
