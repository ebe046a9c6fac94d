#!/usr/bin/env bash
# Egress gateway failover time: a 3-node `egret lab` (IPv4, encap), a pod on n1 selected by an
# EgressPolicy whose gateway has two nodes (n2, n3), and an external host. Each run stops the
# node that carries the EIP (agent killed, underlay interface down: the node is dead to
# everyone) and measures the time from just before the stop to the end of the first new TCP
# connection that reaches the external host with the same EIP through the other node. The dead
# node is started again and the lab left to settle (its hold-down passes) before the next run.
# Prints min / median / max over the runs and median ÷ 1 s (the target: below 1).
#
# Run as root: bench/egress_failover.sh. Settings (environment): EGRET_BIN, BENCH_RUNS (5),
# BENCH_PROBE_TIMEOUT_MS (100: one probe's connect timeout, the resolution of the measurement).
# See docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

readonly RUNS="${BENCH_RUNS:-5}"
readonly PROBE_MS="${BENCH_PROBE_TIMEOUT_MS:-100}"
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || bench_die "BENCH_RUNS \"$RUNS\": use a whole number 1-99"
[[ $PROBE_MS =~ ^[1-9][0-9]{1,3}$ ]] ||
  bench_die "BENCH_PROBE_TIMEOUT_MS \"$PROBE_MS\": use a whole number 10-9999"

bench_require_root
bench_install_packages jq
bench_find_egret
bench_lab_setup

now_ms() { date +%s%3N; }

# The EIP the external host sees for one new connection of shop/web ("" when none connects).
seen() {
  lab probe shop/web ext:partner --proto tcp --port 80 --timeout-ms "$PROBE_MS" -o json 2>/dev/null |
    jq -r 'select(.connected) | .source' 2>/dev/null || true
}

# The node n1's agent currently routes the EIP's traffic to.
active_node() {
  lab node status n1 2>/dev/null | jq -r '.egressTargets[0].active // ""' 2>/dev/null || true
}

# Waits (deadline $2 s) until "$1" (a command) succeeds.
wait_until() {
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    ((SECONDS < deadline)) || bench_die "lab $LAB: not within $2 s: $1"
    sleep 0.1
  done
}

LAB="bench$$failover"
LABS+=("$LAB")
bench_log "bench: lab $LAB: up (3 nodes, ipv4, encap)"
lab up --nodes 3 --mode encap >/dev/null
lab ns add shop >/dev/null
lab pod add shop/web --node n1 --labels app=web >/dev/null
lab ext add partner --serve tcp:80 >/dev/null
lab node label n2 egret.io/gateway=true >/dev/null
lab node label n3 egret.io/gateway=true >/dev/null
"$EGRET" --lab "$LAB" apply -f - >/dev/null <<'YAML'
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: bench}
spec:
  nodeSelector: {selector: {matchLabels: {egret.io/gateway: "true"}}}
  ippools: {ipv4: [172.18.0.200-172.18.0.209]}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: web, namespace: shop}
spec:
  egressGatewayName: bench
  appliedTo: {podSelector: {matchLabels: {app: web}}}
YAML
wait_until '[[ $(seen) == 172.18.0.2* ]]' 30
EIP=$(seen)
bench_log "bench: EIP $EIP"

samples=()
for ((r = 1; r <= RUNS; r++)); do
  wait_until '[[ $(lab node status n1 | jq -r "[.peers[]] | all(. == \"Alive\")") == true ]]' 30
  wait_until '[[ $(seen) == "$EIP" ]]' 30
  victim=$(active_node)
  [[ $victim == n2 || $victim == n3 ]] || bench_die "lab $LAB: active node is \"$victim\""
  t0=$(now_ms)
  lab node stop "$victim" >/dev/null
  while true; do
    got=$(seen)
    [[ $got == "$EIP" ]] && break
    (($(now_ms) - t0 < 10000)) || bench_die "lab $LAB: no connection with $EIP 10 s after stopping $victim"
  done
  t1=$(now_ms)
  now=$(active_node)
  [[ $now != "$victim" && -n $now ]] || bench_die "lab $LAB: traffic still routed to $victim"
  samples+=("$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.3f", ms / 1000 }')")
  bench_log "bench: run $r/$RUNS: stopped $victim, $EIP through $now after ${samples[-1]} s"
  lab node start "$victim" >/dev/null
done

read -r min max < <(printf '%s\n' "${samples[@]}" | sort -g | awk 'NR == 1 { a = $1 } { b = $1 }
  END { print a, b }')
med=$(bench_median "${samples[@]}")
echo "# egress_failover: gateway node stopped → first new TCP connection with the same EIP"
echo "# through the next gateway node; $RUNS runs; probe timeout ${PROBE_MS} ms (resolution)"
echo "# $(bench_machine_facts)"
printf '%-10s %-10s %-10s %-14s %s\n' "min s" "median s" "max s" "median / 1 s" samples
printf '%-10s %-10s %-10s %-14s %s\n' "$min" "$med" "$max" \
  "$(awk -v m="$med" 'BEGIN { printf "%.2f", m / 1 }')" "${samples[*]}"
