#!/usr/bin/env bash
# NetworkPolicy realization latency as a ratio: the time from `egret apply` of one
# NetworkPolicy to the first new connection it blocks, and to the first it allows, with 10,000
# other policies installed ÷ with 10 installed. Two 3-node `egret lab`s (IPv4, encap) exist side
# by side, each with the same background generator (namespaces bg-*, realistic policies, a few
# background pods they select; netpol_lib.sh), one with BENCH_POLICIES and one with BENCH_FEW
# background policies; the runs alternate between them.
#
# In each lab, pod bench/src (n1) connects to pod bench/dst (n2, TCP 80). One run:
#   block  apply `bench-deny` (isolates dst for ingress, no rule): first connection blocked;
#   allow  apply `bench-allow` (dst accepts src on TCP 80):         first connection allowed;
#   reset  delete both; wait until src connects again (not measured).
# A prober inside src (netpol_probe.py) starts a new connection every BENCH_PROBE_INTERVAL_MS,
# each with a BENCH_PROBE_TIMEOUT_MS timeout; a sample is the start of the first connection
# with the new outcome minus the start of `egret apply`. The resolution (the gap between that
# connection and the one before it, which still had the old outcome) is printed.
#
# Run as root: bench/netpol_realization.sh. Settings (environment): EGRET_BIN, BENCH_RUNS (5),
# BENCH_POLICIES (10000), BENCH_FEW (10), BENCH_BG_PODS (6), BENCH_BG_NAMESPACES (100),
# BENCH_BG_BATCH (1000), BENCH_PROBE_INTERVAL_MS (10), BENCH_PROBE_TIMEOUT_MS (200).
# See docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/netpol_lib.sh
source "$(dirname "$0")/netpol_lib.sh"

readonly RUNS="${BENCH_RUNS:-5}"
readonly MANY="${BENCH_POLICIES:-10000}"
readonly FEW="${BENCH_FEW:-10}"
readonly INTERVAL_MS="${BENCH_PROBE_INTERVAL_MS:-10}"
readonly TIMEOUT_MS="${BENCH_PROBE_TIMEOUT_MS:-200}"
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || bench_die "BENCH_RUNS \"$RUNS\": use a whole number 1-99"
for v in MANY FEW; do
  [[ ${!v} =~ ^[0-9]{1,6}$ ]] || bench_die "BENCH_POLICIES / BENCH_FEW \"${!v}\": use 0-999999"
done
[[ $INTERVAL_MS =~ ^[1-9][0-9]{0,2}$ ]] ||
  bench_die "BENCH_PROBE_INTERVAL_MS \"$INTERVAL_MS\": use a whole number 1-999"
[[ $TIMEOUT_MS =~ ^[1-9][0-9]{1,2}$ ]] ||
  bench_die "BENCH_PROBE_TIMEOUT_MS \"$TIMEOUT_MS\": use a whole number 10-999" \
    "(below TCP's 1 s SYN retry)"

bench_require_root
bench_install_packages jq python3
bench_find_egret
bench_lab_setup

readonly PROBER="$BENCH_ROOT/bench/netpol_probe.py"

write_policies() {
  cat >"$WORK/deny.yaml" <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bench-deny, namespace: bench}
spec:
  podSelector: {matchLabels: {pod: dst}}
  policyTypes: [Ingress]
YAML
  cat >"$WORK/allow.yaml" <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bench-allow, namespace: bench}
spec:
  podSelector: {matchLabels: {pod: dst}}
  ingress:
  - from:
    - podSelector: {matchLabels: {pod: src}}
    ports: [{protocol: TCP, port: 80}]
YAML
  cat "$WORK/deny.yaml" <(echo ---) "$WORK/allow.yaml" >"$WORK/both.yaml"
}

# Brings up lab $1 with $2 background policies and the measured pods; records the install.
setup_lab() {
  local name=$1 policies=$2 dst
  netpol_lab_up "$name" "$policies"
  "$EGRET" lab --name "$name" pod add bench/src --node n1 --labels pod=src >/dev/null
  "$EGRET" lab --name "$name" pod add bench/dst --node n2 --labels pod=dst --serve tcp:80 \
    >/dev/null
  STATUS=$("$EGRET" lab --name "$name" status -o json)
  LAB=$name
  dst=$(jq -r '.pods[] | select(.namespace == "bench" and .name == "dst") |
    .addresses[0] | split("/")[0]' <<<"$STATUS")
  require_in_lab "$dst" .clusterCIDRs
  DST[$name]=$dst
  INSTALL[$name]="$policies policies in $BG_BATCHES calls: ${BG_APPLY_SECONDS} s"
  netpol_wait_quiet "$name" 2
  INSTALL[$name]+=", quiet after ${QUIET_AFTER} s"
  bench_log "bench: lab $name: quiet after $QUIET_AFTER s"
}

# One sample in lab $1: runs the prober in bench/src waiting for outcome $2 (connected or
# blocked), then `egret $3 -f $4` (apply / delete). Sets SAMPLE_MS and SAMPLE_RES_MS.
sample() {
  local name=$1 want=$2 verb=$3 file=$4 tag out t0 rc=0
  tag="$WORK/probe-$name-$((++PROBES))"
  out="$tag.json"
  "$EGRET" lab --name "$name" exec bench/src -- /usr/bin/python3 "$PROBER" \
    --target "${DST[$name]}" --port 80 --want "$want" --ready-file "$tag.ready" \
    --go-file "$tag.go" --interval-ms "$INTERVAL_MS" --timeout-ms "$TIMEOUT_MS" \
    >"$out" 2>"$tag.err" &
  local pid=$!
  PROBER_PID=$pid
  until [[ -e $tag.ready ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" || true
      bench_die "lab $name: prober (want $want) stopped before the change:" \
        "$(cat "$out" "$tag.err" 2>/dev/null | head -c 500)"
    fi
    sleep 0.01
  done
  t0=$(date +%s%3N)
  echo "$t0" >"$tag.go.tmp" && mv "$tag.go.tmp" "$tag.go"
  "$EGRET" --lab "$name" "$verb" -f "$file" >/dev/null ||
    bench_die "lab $name: egret $verb -f $(basename "$file") failed"
  wait "$pid" || rc=$?
  PROBER_PID=""
  jq -e '.latency_ms' "$out" >/dev/null 2>&1 ||
    bench_die "lab $name: prober (want $want) failed (exit $rc):" \
      "$(cat "$out" "$tag.err" 2>/dev/null | head -c 500)"
  SAMPLE_MS=$(jq -r '.latency_ms | round' "$out")
  SAMPLE_RES_MS=$(jq -r '.resolution_ms // 0 | round' "$out")
}

# One run in lab $1: block, allow, reset. Appends to BLOCK_<n>, ALLOW_<n>, RES.
run_once() {
  local name=$1 key=$2
  sample "$name" blocked apply "$WORK/deny.yaml"
  eval "BLOCK_$key+=(\"$SAMPLE_MS\")"
  RES+=("$SAMPLE_RES_MS")
  sample "$name" connected apply "$WORK/allow.yaml"
  eval "ALLOW_$key+=(\"$SAMPLE_MS\")"
  RES+=("$SAMPLE_RES_MS")
  # Reset: both gone (the prober of the next block sample waits until src connects again).
  "$EGRET" --lab "$name" delete -f "$WORK/both.yaml" >/dev/null ||
    bench_die "lab $name: deleting the measured policies failed"
}

# Stops a prober still running (the `egret lab exec` that runs it; `lab down` ends the prober).
stop_prober() {
  [[ -n ${PROBER_PID:-} ]] && kill "$PROBER_PID" 2>/dev/null
  return 0
}
CLEANUP_HOOKS+=(stop_prober)

declare -A DST INSTALL
PROBES=0
PROBER_PID=""
BLOCK_many=() ALLOW_many=() BLOCK_few=() ALLOW_few=() RES=()
FACTS=$(bench_machine_facts)
bench_log "bench: $FACTS"
write_policies
LAB_MANY="bench$$npmany"
LAB_FEW="bench$$npfew"
setup_lab "$LAB_MANY" "$MANY"
setup_lab "$LAB_FEW" "$FEW"

# A warm-up run in each lab, not counted: the first change after the install may pay one-off
# costs (the first program chain of a node, the controller's caches).
for name in "$LAB_MANY" "$LAB_FEW"; do
  run_once "$name" warm
done
RES=()
for ((r = 1; r <= RUNS; r++)); do
  # Alternate which lab goes first, so neither always follows the other's reset.
  if ((r % 2)); then order=(many few); else order=(few many); fi
  for k in "${order[@]}"; do
    if [[ $k == many ]]; then run_once "$LAB_MANY" many; else run_once "$LAB_FEW" few; fi
  done
  bench_log "bench: run $r/$RUNS: block ${BLOCK_many[-1]} | ${BLOCK_few[-1]} ms," \
    "allow ${ALLOW_many[-1]} | ${ALLOW_few[-1]} ms ($MANY | $FEW policies)"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
row() {
  local what=$1 many_name=$2 few_name=$3 mm fm
  local -n m=$many_name f=$few_name
  mm=$(printf '%.0f' "$(bench_median "${m[@]}")")
  fm=$(printf '%.0f' "$(bench_median "${f[@]}")")
  printf '%-8s %14s %14s %10s   %s | %s\n' "$what" "$mm" "$fm" "$(ratio "$mm" "$fm")" \
    "${m[*]}" "${f[*]}"
}
echo "# netpol_realization: egret apply of one NetworkPolicy → first new connection it blocks /"
echo "# allows, pod n1 → pod n2 (TCP 80), 3-node labs; median of $RUNS interleaved runs"
echo "# $MANY-policy lab: ${INSTALL[$LAB_MANY]}; $FEW-policy lab: ${INSTALL[$LAB_FEW]};" \
  "${BENCH_BG_PODS:-6} background pods each"
res_median=$(printf '%.0f' "$(bench_median "${RES[@]}")")
res_max=$(printf '%s\n' "${RES[@]}" | sort -g | tail -n1)
echo "# probes: a new connection every $INTERVAL_MS ms, timeout $TIMEOUT_MS ms; resolution" \
  "(gap before the first changed connection) median $res_median ms, max $res_max ms"
echo "# $FACTS"
printf '%-8s %14s %14s %10s   %s\n' change "$MANY pol. ms" "$FEW pol. ms" \
  "$MANY/$FEW" "samples $MANY | $FEW (ms)"
row block BLOCK_many BLOCK_few
row allow ALLOW_many ALLOW_few
