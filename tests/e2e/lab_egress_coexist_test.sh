#!/usr/bin/env bash
# End to end: foreign source NAT does not change the EIP (issue #4, "Coexistence"). In every
# node's namespace the test installs, as another CNI or kube-proxy would, masquerade rules for
# the pod network (`-t nat -A POSTROUTING -s PODS ! -d PODS -j MASQUERADE`, IPv4 and IPv6),
# with iptables-legacy and with iptables-nft, before Egret's egress is configured and after:
#  1. legacy rules, then the gateway and policy;
#  2. nft rules added (and the legacy ones inserted again at the top) with egress in force;
#  3. egress and every foreign rule removed; nft rules first, then the gateway and policy;
#  4. legacy rules added with egress in force.
# After each step the external host sees the EIP for selected pods on the non-gateway node n1
# and on both gateway nodes (TCP and UDP, each family), and the node address for an
# unselected pod. The test touches iptables only to play the third party, never to set up
# what Egret does.
# Usage: lab_egress_coexist_test.sh EGRET_BINARY ipv4|ipv6|dual encap|noencap (root; 77 = skip)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
source "$(dirname "$0")/egress_lib.sh"
egress_families "$2"
mode=$3
lab_begin "$1" "ex${2}${mode}"
for tool in iptables-legacy iptables-nft ip6tables-legacy ip6tables-nft; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: needs $tool (scripts/install-deps.sh installs it)"
    exit 77
  fi
done

lab_up --nodes 3 --ip-family "$2" --mode "$mode" || exit 1
must "ns shop" l ns add shop || exit 1
for spec in shop/web:n1:app=web shop/gw2:n2:app=web shop/gw3:n3:app=web \
  shop/plain:n1:app=plain; do
  IFS=: read -r pod node labels <<<"$spec"
  must "pod add $pod" l pod add "$pod" --node "$node" --labels "$labels" --serve tcp:80 || exit 1
done
must "ext partner" l ext add partner --serve tcp:80,udp:80 || exit 1
label_gateways n2 n3 || exit 1
refresh_status
declare -A pods=([4]=10.244.0.0/16 [6]=fd00:10:244::/56)

# foreign FLAVOUR -A|-I|-F: the third party's rules on every node (-F: its chains flushed).
foreign() {
  local flavour=$1 op=$2 n f tool
  for n in n1 n2 n3; do
    for f in "${families[@]}"; do
      tool=iptables-$flavour
      [[ $f == 6 ]] && tool=ip6tables-$flavour
      if [[ $op == -F ]]; then
        must "$tool -F on $n" l exec "$n" -- "$tool" -t nat -F POSTROUTING
      else
        must "$tool $op on $n" l exec "$n" -- "$tool" -t nat "$op" POSTROUTING \
          -s "${pods[$f]}" ! -d "${pods[$f]}" -j MASQUERADE || continue
        must "$tool -S on $n" l exec "$n" -- "$tool" -t nat -S POSTROUTING
        [[ $out == *MASQUERADE* ]] || fail "$tool on $n does not list the rule: $out"
      fi
    done
  done
}

apply_egress() {
  apply "gateway and policy" <<EOF
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: lab}
spec:
  nodeSelector: {selector: {matchLabels: {egret.io/gateway: "true"}}}
  ippools: $(pools_yaml 200 209)
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: web, namespace: shop}
spec:
  egressGatewayName: lab
  egressIP: $(eip_yaml 207)
  appliedTo: {podSelector: {matchLabels: {app: web}}}
EOF
}

check() {  # check STEP
  local f pod proto
  for f in "${families[@]}"; do
    for pod in shop/web shop/gw2 shop/gw3; do
      for proto in tcp udp; do
        expect_src "$1: $pod" "$pod" ext:partner "$f" "$proto" "$(eip 207 "$f")"
      done
    done
    expect_src "$1: unselected pod" shop/plain ext:partner "$f" tcp "$(node_addr n1 "$f")"
  done
}

foreign legacy -A
apply_egress
check "legacy rules before egress"
foreign nft -A
foreign legacy -I
check "nft rules after egress, legacy ones again on top"

must "delete policy and gateway" eg delete egp web -n shop
must "delete gateway" eg delete egw lab
foreign legacy -F
foreign nft -F
for f in "${families[@]}"; do
  wait_for "no node holds the IPv$f EIP" 10 held_only_by "$(eip 207 "$f")" ""
  expect_src "egress removed" shop/web ext:partner "$f" tcp "$(node_addr n1 "$f")"
done
foreign nft -A
apply_egress
check "nft rules before egress"
foreign legacy -A
check "legacy rules after egress"
