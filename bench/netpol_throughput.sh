#!/usr/bin/env bash
# Forwarding throughput under NetworkPolicy as ratios: iperf3 TCP from a pod on n1 to a pod on
# n2 with 10,000 policies installed ÷ with none. Two 3-node `egret lab`s (IPv4, encap) exist
# side by side and the runs alternate between them:
#   many  lab with BENCH_POLICIES background policies (netpol_lib.sh: namespaces bg-*, realistic
#         shapes, background pods they select) that all miss the measured flow, plus two
#         policies that select the measured pods and allow exactly the flow (egress of
#         bench/src to bench/dst on TCP 5201, ingress of bench/dst from bench/src on TCP 5201),
#         so that the flow's connections really pass both pods' program chains;
#   sel   lab without background policies, the same two policies on its pair src → dst;
#   none  the same lab, pair usrc → udst that no policy selects.
# Before measuring, each selected pair is checked to be isolated (TCP 80 to dst is blocked) and
# the unselected one to be open. Prints the medians, many ÷ none (the issue's ratio) and
# many ÷ sel (the cost of the 10,000 others alone).
#
# Run as root: bench/netpol_throughput.sh. Settings (environment): EGRET_BIN, BENCH_RUNS (3),
# BENCH_SECONDS (5), BENCH_POLICIES (10000), BENCH_BG_PODS (6), BENCH_BG_NAMESPACES (100),
# BENCH_BG_BATCH (1000). See docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/netpol_lib.sh
source "$(dirname "$0")/netpol_lib.sh"

readonly RUNS="${BENCH_RUNS:-3}"
readonly SECONDS_PER_RUN="${BENCH_SECONDS:-5}"
readonly MANY="${BENCH_POLICIES:-10000}"
readonly PORT=5201
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || bench_die "BENCH_RUNS \"$RUNS\": use a whole number 1-99"
[[ $SECONDS_PER_RUN =~ ^[1-9][0-9]?$ ]] ||
  bench_die "BENCH_SECONDS \"$SECONDS_PER_RUN\": use a whole number 1-99"
[[ $MANY =~ ^[0-9]{1,6}$ ]] || bench_die "BENCH_POLICIES \"$MANY\": use 0-999999"

bench_require_root
bench_install_packages iperf3 jq
bench_find_egret
bench_lab_setup

# The two policies that let bench/src reach bench/dst on TCP PORT and nothing else.
allow_policies() {
  cat <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bench-dst-ingress, namespace: bench}
spec:
  podSelector: {matchLabels: {pod: dst}}
  ingress:
  - from:
    - podSelector: {matchLabels: {pod: src}}
    ports: [{protocol: TCP, port: $PORT}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bench-src-egress, namespace: bench}
spec:
  podSelector: {matchLabels: {pod: src}}
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector: {matchLabels: {pod: dst}}
    ports: [{protocol: TCP, port: $PORT}]
YAML
}

# Whether FROM reaches TO on TCP 80 now: prints true / false.
reaches() {
  "$EGRET" lab --name "$LAB" probe "$1" "$2" --proto tcp --port 80 --timeout-ms 300 -o json \
    2>/dev/null | jq -r .connected 2>/dev/null || echo false
}

# Waits (deadline $3 s) until `reaches $1 $2` prints $4.
wait_reach() {
  local deadline=$((SECONDS + $3))
  until [[ $(reaches "$1" "$2") == "$4" ]]; do
    ((SECONDS < deadline)) || bench_die "lab $LAB: $1 → $2 (TCP 80) not $4 within $3 s"
  done
}

# First address of pod bench/$1 in lab $LAB, checked to be one of the lab's.
pod_address() {
  local ip
  STATUS=$("$EGRET" lab --name "$LAB" status -o json)
  ip=$(jq -r --arg n "$1" '.pods[] | select(.namespace == "bench" and .name == $n) |
    .addresses[0] | split("/")[0]' <<<"$STATUS")
  require_in_lab "$ip" .clusterCIDRs
  echo "$ip"
}

# Lab $1 with $2 background policies, pair src → dst selected by the allow policies and, with
# $3 = yes, the unselected pair usrc → udst. Sets ADDR[<lab>/<pod>].
setup_lab() {
  local name=$1 policies=$2 unselected=$3
  netpol_lab_up "$name" "$policies"
  LAB=$name
  INSTALL[$name]="$policies policies in $BG_BATCHES calls: $BG_APPLY_SECONDS s"
  lab pod add bench/src --node n1 --labels pod=src >/dev/null
  lab pod add bench/dst --node n2 --labels pod=dst --serve tcp:80 >/dev/null
  allow_policies >"$WORK/allow.yaml"
  "$EGRET" --lab "$name" apply -f "$WORK/allow.yaml" >/dev/null
  ADDR[$name/dst]=$(pod_address dst)
  # Isolated: only TCP PORT is allowed, so TCP 80 (served by dst) must be blocked.
  wait_reach bench/src bench/dst 60 false
  if [[ $unselected == yes ]]; then
    lab pod add bench/usrc --node n1 --labels pod=usrc >/dev/null
    lab pod add bench/udst --node n2 --labels pod=udst --serve tcp:80 >/dev/null
    ADDR[$name/udst]=$(pod_address udst)
    wait_reach bench/usrc bench/udst 60 true
  fi
  netpol_wait_quiet "$name" 2
  INSTALL[$name]+=", quiet after $QUIET_AFTER s"
  bench_log "bench: lab $name: ready, quiet after $QUIET_AFTER s"
}

declare -A ADDR INSTALL
FACTS=$(bench_machine_facts)
bench_log "bench: $FACTS"
LAB_MANY="bench$$tpmany"
LAB_NONE="bench$$tpnone"
setup_lab "$LAB_MANY" "$MANY" no
setup_lab "$LAB_NONE" 0 yes

many=() sel=() none=()
for ((r = 1; r <= RUNS; r++)); do
  LAB=$LAB_MANY
  measure bench/dst bench/src "${ADDR[$LAB_MANY/dst]}"
  many+=("$MEASURED")
  LAB=$LAB_NONE
  measure bench/dst bench/src "${ADDR[$LAB_NONE/dst]}"
  sel+=("$MEASURED")
  measure bench/udst bench/usrc "${ADDR[$LAB_NONE/udst]}"
  none+=("$MEASURED")
  bench_log "bench: run $r/$RUNS: many ${many[-1]}, sel ${sel[-1]}, none ${none[-1]} Gbit/s"
done

mm=$(bench_median "${many[@]}")
sm=$(bench_median "${sel[@]}")
nm=$(bench_median "${none[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "# netpol_throughput: iperf3 TCP pod (n1) → pod (n2), ${SECONDS_PER_RUN} s per run," \
  "median of $RUNS interleaved runs, two 3-node labs (encap)"
echo "# many: $MANY background policies (${INSTALL[$LAB_MANY]}) + 2 allowing the flow;" \
  "sel: only the 2; none: a pair no policy selects"
echo "# $FACTS"
printf '%-8s %-8s %-8s %-11s %-10s %s\n' many sel none many/none many/sel \
  "samples many | sel | none (Gbit/s)"
printf '%-8s %-8s %-8s %-11s %-10s %s\n' "$mm" "$sm" "$nm" "$(ratio "$mm" "$nm")" \
  "$(ratio "$mm" "$sm")" "${many[*]} | ${sel[*]} | ${none[*]}"
