#!/usr/bin/env bash
# Egress gateway throughput as ratios, in one 3-node `egret lab` (IPv4, encap) and one run.
# Three pods on n1 send to an external host with iperf3 (TCP), interleaved, each over one path:
#   plain  pod "plain": routed straight out of n1, masqueraded to n1's address (no policy);
#   egret  pod "egret": selected by an EgressPolicy whose gateway is n2: steered through the
#          tunnel to n2 and SNATed to the EIP by Egret's datapath (nftables map + policy routing);
#   ref    pod "ref": the same path built by this script alone from iptables + ipset rules of
#          the shape existing egress gateways use (ipset of source pods and of internal
#          destinations, a mangle MARK rule, an ip rule and a route table on n1, an ipset SNAT
#          rule and the EIP on n2). It borrows Egret's tunnel device, and its mark lies in
#          Egret's egress mark range so that n1's node-IP masquerade leaves it alone (that
#          NAT decision is taken once per connection, not per packet).
# Prints the medians, egret ÷ plain (the cost of the detour through a gateway) and egret ÷ ref
# (Egret's datapath against the iptables + ipset one: 1 or more means not slower).
#
# Run as root: bench/egress_throughput.sh. Settings (environment): EGRET_BIN, BENCH_RUNS (3),
# BENCH_SECONDS (5). See docs/reference/bench.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

readonly RUNS="${BENCH_RUNS:-3}"
readonly SECONDS_PER_RUN="${BENCH_SECONDS:-5}"
readonly PORT=5201
readonly EGRET_EIP=172.18.0.200
readonly REF_EIP=172.18.0.210
readonly REF_MARK=0x3ff00000/0x3ff00000
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || bench_die "BENCH_RUNS \"$RUNS\": use a whole number 1-99"
[[ $SECONDS_PER_RUN =~ ^[1-9][0-9]?$ ]] ||
  bench_die "BENCH_SECONDS \"$SECONDS_PER_RUN\": use a whole number 1-99"

bench_require_root
bench_install_packages iperf3 jq iptables ipset
bench_find_egret
bench_lab_setup

# The source address the external host sees for a new connection of pod $1.
seen() {
  lab probe "shop/$1" ext:sink --proto tcp --port 80 --timeout-ms 500 -o json 2>/dev/null |
    jq -r 'select(.connected) | .source' 2>/dev/null || true
}

wait_until() {
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    ((SECONDS < deadline)) || bench_die "lab $LAB: not within $2 s: $1"
    sleep 0.1
  done
}

# The reference datapath, built with iptables + ipset in the lab's nodes (only there).
build_reference() {
  local ref_ip=$1 gw_pod_gateway=$2 cidr
  lab exec n1 -- ipset create egw-src hash:ip
  lab exec n1 -- ipset add egw-src "$ref_ip"
  lab exec n1 -- ipset create egw-internal hash:net
  # What Egret treats as internal: pod and service CIDRs, node addresses.
  for cidr in $(jq -r '.clusterCIDRs[], .serviceCIDRs[], .nodes[].addresses[]' <<<"$STATUS"); do
    [[ $cidr == *:* ]] || lab exec n1 -- ipset add egw-internal "$cidr"
  done
  lab exec n1 -- iptables -t mangle -A PREROUTING -m set --match-set egw-src src \
    -m set ! --match-set egw-internal dst -j MARK --set-xmark "$REF_MARK"
  lab exec n1 -- ip rule add iif lo lookup main pref 19999
  lab exec n1 -- ip rule add fwmark "$REF_MARK" lookup 200 pref 20000
  lab exec n1 -- ip route add default via "$gw_pod_gateway" dev egret.vxlan onlink table 200
  lab exec n2 -- ipset create egw-src hash:ip
  lab exec n2 -- ipset add egw-src "$ref_ip"
  lab exec n2 -- iptables -t nat -I POSTROUTING -m set --match-set egw-src src \
    -j SNAT --to-source "$REF_EIP"
  lab exec n2 -- ip addr add "$REF_EIP/32" dev eth0
}

LAB="bench$$egress"
LABS+=("$LAB")
bench_log "bench: lab $LAB: up (3 nodes, ipv4, encap)"
lab up --nodes 3 --mode encap >/dev/null
lab ns add shop >/dev/null
for p in plain egret ref; do lab pod add "shop/$p" --node n1 --labels "app=$p" >/dev/null; done
lab ext add sink --serve tcp:80 >/dev/null
lab node label n2 egret.io/gateway=true >/dev/null
STATUS=$(lab status -o json)
EXT_IP=$(jq -r '.externals[] | select(.name == "sink") | .addresses[0] | split("/")[0]' <<<"$STATUS")
N1_IP=$(jq -r '.nodes[] | select(.name == "n1") | .addresses[0] | split("/")[0]' <<<"$STATUS")
REF_IP=$(jq -r '.pods[] | select(.name == "ref") | .addresses[0] | split("/")[0]' <<<"$STATUS")
N2_POD_GW=$(jq -r '.nodes[] | select(.name == "n2") | .podCIDRs[0] | split("/")[0]' <<<"$STATUS" |
  awk -F. '{ printf "%s.%s.%s.%d", $1, $2, $3, $4 + 1 }')
require_in_lab "$EXT_IP" .underlay.cidrs

"$EGRET" --lab "$LAB" apply -f - >/dev/null <<YAML
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: bench}
spec:
  nodeSelector: {selector: {matchLabels: {egret.io/gateway: "true"}}}
  ippools: {ipv4: [$EGRET_EIP]}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: egret, namespace: shop}
spec:
  egressGatewayName: bench
  appliedTo: {podSelector: {matchLabels: {app: egret}}}
YAML
build_reference "$REF_IP" "$N2_POD_GW"
wait_until '[[ $(seen egret) == "$EGRET_EIP" ]]' 30
wait_until '[[ $(seen ref) == "$REF_EIP" ]]' 30
wait_until '[[ $(seen plain) == "$N1_IP" ]]' 30
bench_log "bench: sources seen: plain $N1_IP, egret $EGRET_EIP, ref $REF_EIP"

plain=() egret=() ref=()
for ((r = 1; r <= RUNS; r++)); do
  measure ext:sink shop/plain "$EXT_IP"
  plain+=("$MEASURED")
  measure ext:sink shop/egret "$EXT_IP"
  egret+=("$MEASURED")
  measure ext:sink shop/ref "$EXT_IP"
  ref+=("$MEASURED")
  bench_log "bench: run $r/$RUNS: plain ${plain[-1]}, egret ${egret[-1]}, ref ${ref[-1]} Gbit/s"
done
pm=$(bench_median "${plain[@]}")
em=$(bench_median "${egret[@]}")
rm_=$(bench_median "${ref[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "# egress_throughput: iperf3 TCP pod (n1) → external host, ${SECONDS_PER_RUN} s per run," \
  "median of $RUNS interleaved runs; gateway n2"
echo "# $(bench_machine_facts)"
printf '%-8s %-8s %-8s %-14s %-12s %s\n' "plain" "egret" "ref" "egret/plain" "egret/ref" \
  "samples plain | egret | ref (Gbit/s)"
printf '%-8s %-8s %-8s %-14s %-12s %s\n' "$pm" "$em" "$rm_" "$(ratio "$em" "$pm")" \
  "$(ratio "$em" "$rm_")" "${plain[*]} | ${egret[*]} | ${ref[*]}"
