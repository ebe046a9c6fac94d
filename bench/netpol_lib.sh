# shellcheck shell=bash
# Helpers of the NetworkPolicy benchmarks (netpol_realization.sh, netpol_throughput.sh): sourced
# after lib.sh, never run. They generate the background: namespaces bg-000 ... with labels,
# NetworkPolicies of realistic shapes spread over them, and a few background pods those
# policies select, so that every node's policy table holds chains and sets, not just entries.
# No background policy can select a pod of namespace `bench` (a NetworkPolicy selects pods of
# its own namespace only), where the measured pods live. Reference: docs/reference/bench.md.

# Namespaces the background policies are spread over (100 policies each at 10,000).
readonly NETPOL_BG_NAMESPACES="${BENCH_BG_NAMESPACES:-100}"
# Policies per `egret apply` when installing the background.
readonly NETPOL_BG_BATCH="${BENCH_BG_BATCH:-1000}"

# Namespace objects bg-000 ... bg-<$1 - 1>, as YAML documents on stdout.
netpol_bg_namespaces() {
  awk -v n="$1" 'BEGIN {
    split("prod staging dev", env, " ")
    for (k = 0; k < n; k++) {
      printf "---\napiVersion: v1\nkind: Namespace\n"
      printf "metadata: {name: bg-%03d, labels: {kubernetes.io/metadata.name: bg-%03d, ", k, k
      printf "team: t%d, env: %s}}\n", k % 10, env[k % 3 + 1]
    }
  }'
}

# NetworkPolicies number $1 to $2 - 1 of the background (deterministic: policy i lives in
# namespace bg-<i mod NETPOL_BG_NAMESPACES> and has shape i mod 6), as YAML documents on stdout.
# The shapes are those of real clusters: allow from same-namespace clients, from labelled
# namespaces AND pods with a named port and a port range, egress to an ipBlock with except and
# to DNS, selection by matchExpressions with ingress from an ipBlock, default deny of one app,
# UDP from namespaces chosen by expressions.
netpol_bg_policies() {
  awk -v first="$1" -v last="$2" -v nns="$NETPOL_BG_NAMESPACES" 'BEGIN {
    for (i = first; i < last; i++) {
      ns = sprintf("bg-%03d", i % nns)
      app = sprintf("svc-%d", int(i / nns) % 20)
      printf "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
      printf "metadata: {name: np-%05d, namespace: %s}\nspec:\n", i, ns
      shape = i % 6
      if (shape == 0) {
        printf "  podSelector: {matchLabels: {app: %s}}\n", app
        printf "  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: client-%d}}\n", i % 7
        printf "    ports: [{protocol: TCP, port: 8080}]\n"
      } else if (shape == 1) {
        printf "  podSelector: {matchLabels: {app: %s, role: api}}\n", app
        printf "  ingress:\n  - from:\n"
        printf "    - namespaceSelector: {matchLabels: {team: t%d}}\n", i % 10
        printf "      podSelector: {matchLabels: {role: gateway}}\n"
        printf "    ports: [{protocol: TCP, port: http},\n"
        printf "            {protocol: TCP, port: 9000, endPort: 9100}]\n"
      } else if (shape == 2) {
        printf "  podSelector: {matchLabels: {app: %s}}\n  policyTypes: [Egress]\n", app
        printf "  egress:\n  - to:\n    - ipBlock: {cidr: 192.168.%d.0/24, ", i % 256
        printf "except: [192.168.%d.128/26]}\n", i % 256
        printf "    ports: [{protocol: TCP, port: 443}]\n"
        printf "  - to:\n"
        printf "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: bg-000}}\n"
        printf "      podSelector: {matchLabels: {app: dns}}\n"
        printf "    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n"
      } else if (shape == 3) {
        printf "  podSelector:\n    matchExpressions:\n"
        printf "    - {key: tier, operator: In, values: [frontend, backend]}\n"
        printf "    - {key: app, operator: NotIn, values: [svc-%d]}\n", (i + 1) % 20
        printf "  ingress:\n  - from:\n    - ipBlock: {cidr: 10.%d.0.0/16}\n", 100 + i % 100
        printf "    ports: [{protocol: TCP, port: 80}, {protocol: TCP, port: 443}]\n"
      } else if (shape == 4) {
        printf "  podSelector: {matchLabels: {app: %s}}\n  policyTypes: [Ingress, Egress]\n", app
      } else {
        printf "  podSelector: {matchLabels: {app: %s}}\n", app
        printf "  ingress:\n  - from:\n    - namespaceSelector:\n        matchExpressions:\n"
        printf "        - {key: env, operator: In, values: [prod, staging]}\n"
        printf "    ports: [{protocol: UDP, port: 5000}]\n"
      }
    }
  }'
}

# Installs background policies $2 to $3 - 1 into lab $1 with `egret apply`, NETPOL_BG_BATCH per
# call (the namespaces must exist: netpol_bg_namespaces). Sets BG_APPLY_SECONDS to the time the
# calls took and BG_BATCHES to their number.
netpol_bg_apply() {
  local lab_name=$1 from=$2 to=$3 i end t0 file="$WORK/bg-$1.yaml"
  t0=$(date +%s%N)
  BG_BATCHES=0
  for ((i = from; i < to; i += NETPOL_BG_BATCH)); do
    end=$((i + NETPOL_BG_BATCH < to ? i + NETPOL_BG_BATCH : to))
    netpol_bg_policies "$i" "$end" >"$file"
    "$EGRET" --lab "$lab_name" apply -f "$file" >/dev/null ||
      bench_die "lab $lab_name: applying background policies $i-$((end - 1)) failed"
    BG_BATCHES=$((BG_BATCHES + 1))
  done
  BG_APPLY_SECONDS=$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
}

# Adds $2 background pods to lab $1, round robin over its 3 nodes, in namespaces bg-000 ...:
# labels app=svc-0, role=api, tier=backend and a container port named http (8080), so several
# background policies of each shape select them.
netpol_bg_pods() {
  local lab_name=$1 count=$2 k
  for ((k = 0; k < count; k++)); do
    "$EGRET" lab --name "$lab_name" pod add \
      "$(printf 'bg-%03d/bg%d' $((k % NETPOL_BG_NAMESPACES)) "$k")" \
      --node "n$((k % 3 + 1))" --labels app=svc-0,role=api,tier=backend \
      --serve tcp:8080=http >/dev/null ||
      bench_die "lab $lab_name: adding background pod $k failed"
  done
}

# Builds lab $1 for a NetworkPolicy benchmark: 3 nodes (IPv4, encap), namespace `bench`, the
# background namespaces, BENCH_BG_PODS (default 6) background pods, and background policies 0 to
# $2 - 1. Sets BG_APPLY_SECONDS and BG_BATCHES (netpol_bg_apply). The caller adds the measured
# pods to namespace `bench`.
netpol_lab_up() {
  local lab_name=$1 policies=$2 file="$WORK/ns-$1.yaml"
  LABS+=("$lab_name")
  bench_log "bench: lab $lab_name: up (3 nodes, ipv4, encap), $policies background policies"
  "$EGRET" lab --name "$lab_name" up --nodes 3 --mode encap >/dev/null
  "$EGRET" lab --name "$lab_name" ns add bench --labels kubernetes.io/metadata.name=bench \
    >/dev/null
  netpol_bg_namespaces "$NETPOL_BG_NAMESPACES" >"$file"
  "$EGRET" --lab "$lab_name" apply -f "$file" >/dev/null ||
    bench_die "lab $lab_name: applying the background namespaces failed"
  netpol_bg_pods "$lab_name" "${BENCH_BG_PODS:-6}"
  netpol_bg_apply "$lab_name" 0 "$policies"
  bench_log "bench: lab $lab_name: $policies background policies applied in $BG_BATCHES" \
    "calls, $BG_APPLY_SECONDS s"
}

# CPU time (clock ticks) used so far by lab $1's controller and agents.
netpol_lab_ticks() {
  local pid total=0 t
  for pid in $("$EGRET" lab --name "$1" status -o json |
    jq -r '.controller.pid, .nodes[].agent.pid | select(. != null)'); do
    # Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    t=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# Waits until lab $1's controller and agents together used less than 5 % of one CPU over the last
# $2 seconds (default 2): whatever they do after a change (compiling, rendering, writing
# statuses) is done. Deadline BENCH_SETTLE_DEADLINE (300 s). Sets QUIET_AFTER to the seconds
# waited.
netpol_wait_quiet() {
  local lab_name=$1 window=${2:-2} hz start now prev cur deadline
  hz=$(getconf CLK_TCK)
  start=$(date +%s%N)
  deadline=$((SECONDS + ${BENCH_SETTLE_DEADLINE:-300}))
  prev=$(netpol_lab_ticks "$lab_name")
  while true; do
    sleep "$window"  # the measuring window itself, not a synchronisation
    cur=$(netpol_lab_ticks "$lab_name")
    # 5 % of one CPU over the window, in ticks.
    if (((cur - prev) * 100 < 5 * hz * window)); then break; fi
    ((SECONDS < deadline)) ||
      bench_die "lab $lab_name: still busy after ${BENCH_SETTLE_DEADLINE:-300} s"
    prev=$cur
  done
  now=$(date +%s%N)
  # shellcheck disable=SC2034  # read by the caller
  QUIET_AFTER=$(awk -v ns=$((now - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
}
