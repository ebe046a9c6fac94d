#!/usr/bin/env bash
# End to end: which pods leave with which egress IP (issue #4, "EIP seen for"). A 3-node lab,
# n2 and n3 gateway nodes of EgressGateway "lab" (cluster default), two external hosts that
# report the source address they see. Per family in use, over TCP (and UDP, WebSocket where
# said), the external host sees:
#  - the gateway's default EIP for pods selected by podSelector, on the non-gateway node n1 and
#    on both gateway nodes (the active one and the passive one), TCP and UDP and a WebSocket;
#  - an explicit EIP for a pod selected by podSubnet (its own address) through a policy that
#    names no gateway (so the cluster default serves it);
#  - an rr EIP for a pod of a namespace selected by an EgressClusterPolicy's namespaceSelector,
#    and another rr EIP, different from it and from the default, for an rr EgressPolicy;
#  - useNodeIP: the address of the gateway node the policy's status names;
#  - destSubnet: the EIP to the host inside it, the pod's node address to the other host;
#  - a pod that no policy selects (its namespace or its labels do not match), on n1 and on the
#    gateway node n3: its node address.
# And internal destinations are never steered although the policy has no destSubnet: a
# selected pod reaching a pod (same node, and on the active gateway node) or a node address is
# seen with its own pod address.
# Usage: lab_egress_select_test.sh EGRET_BINARY ipv4|ipv6|dual encap|noencap  (root; 77 = skip)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
source "$(dirname "$0")/egress_lib.sh"
egress_families "$2"
mode=$3
lab_begin "$1" "es${2}${mode}"
node_srv=""
stop_node_srv() { [[ -n $node_srv ]] && kill "$node_srv" 2>/dev/null; }
exit_hooks+=(stop_node_srv)

lab_up --nodes 3 --ip-family "$2" --mode "$mode" || exit 1
must "ns shop" l ns add shop --labels team=a || exit 1
must "ns corp" l ns add corp --labels team=b || exit 1
must "ns misc" l ns add misc --labels team=c || exit 1
# pod:node:labels
for spec in shop/web1:n1:app=web shop/web2:n2:app=web shop/web3:n3:app=web \
  shop/plain:n1:app=plain shop/plain3:n3:app=plain shop/sub:n1:app=sub corp/any:n1:app=any \
  misc/other:n1:app=any shop/rr:n1:app=rr shop/nodeip:n1:app=nodeip shop/dst:n1:app=dst; do
  IFS=: read -r pod node labels <<<"$spec"
  must "pod add $pod" l pod add "$pod" --node "$node" --labels "$labels" \
    --serve tcp:80,udp:80 || exit 1
done
must "ext partner" l ext add partner --serve tcp:80,udp:80,ws:8080 || exit 1
must "ext other" l ext add other --serve tcp:80,udp:80 || exit 1
label_gateways n2 n3 || exit 1
refresh_status

# podSubnet: shop/sub's own addresses. destSubnet: the partner host only.
sub_cidrs="" dst_cidrs=""
for f in "${families[@]}"; do
  sub_cidrs+="${sub_cidrs:+, }$(cidr_of "$(pod_addr shop/sub "$f")")"
  dst_cidrs+="${dst_cidrs:+, }$(cidr_of "$(ext_addr partner "$f")")"
done
apply "gateway and policies" <<EOF
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: lab}
spec:
  nodeSelector: {selector: {matchLabels: {egret.io/gateway: "true"}}}
  ippools: $(pools_yaml 200 209)
  clusterDefault: true
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: web, namespace: shop}
spec:
  egressGatewayName: lab
  appliedTo: {podSelector: {matchLabels: {app: web}}}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: sub, namespace: shop}
spec:
  egressIP: $(eip_yaml 205)
  appliedTo: {podSubnet: [$sub_cidrs]}
---
apiVersion: egret.io/v1
kind: EgressClusterPolicy
metadata: {name: corp}
spec:
  egressGatewayName: lab
  egressIP: {allocatorPolicy: rr}
  appliedTo: {podSelector: {}, namespaceSelector: {matchLabels: {team: b}}}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: rr, namespace: shop}
spec:
  egressGatewayName: lab
  egressIP: {allocatorPolicy: rr}
  appliedTo: {podSelector: {matchLabels: {app: rr}}}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: nodeip, namespace: shop}
spec:
  egressGatewayName: lab
  egressIP: {useNodeIP: true}
  appliedTo: {podSelector: {matchLabels: {app: nodeip}}}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: dst, namespace: shop}
spec:
  egressGatewayName: lab
  egressIP: $(eip_yaml 206)
  appliedTo: {podSelector: {matchLabels: {app: dst}}}
  destSubnet: [$dst_cidrs]
EOF

wait_policies web@shop sub@shop corp rr@shop nodeip@shop dst@shop
in_pool() { [[ $1 =~ ^(172\.18\.0\.|fd00:18::)20[0-9]$ ]]; }
for f in "${families[@]}"; do
  # The EIPs the controller reports; the allocated ones are checked to be distinct pool
  # addresses, the explicit ones to be what the policies asked for.
  web=$(policy_eip web shop "$f")
  corp=$(policy_eip corp "" "$f")
  rr=$(policy_eip rr shop "$f")
  for e in "$web" "$corp" "$rr"; do
    in_pool "$e" || fail "IPv$f: an allocated EIP '$e' (web $web, corp $corp, rr $rr) is not" \
      "in the pool"
  done
  [[ $web != "$corp" && $web != "$rr" && $corp != "$rr" ]] ||
    fail "IPv$f: the default EIP and the two rr EIPs are not distinct: $web $corp $rr"
  [[ $(policy_eip sub shop "$f") == $(eip 205 "$f") ]] ||
    fail "IPv$f: policy sub reports EIP '$(policy_eip sub shop "$f")', want $(eip 205 "$f")"
  [[ -z $(policy_eip nodeip shop "$f") ]] ||
    fail "IPv$f: the useNodeIP policy reports an EIP: $(policy_eip nodeip shop "$f")"

  # podSelector, from the non-gateway node and both gateway nodes; TCP and UDP.
  for pod in shop/web1 shop/web2 shop/web3; do
    expect_src "podSelector ($pod)" "$pod" ext:partner "$f" tcp "$web" 15
  done
  expect_src "podSelector over UDP" shop/web1 ext:partner "$f" udp "$web"
  expect_src "podSelector over UDP, pod on a gateway node" shop/web3 ext:partner "$f" udp "$web"
  expect_src "podSubnet, cluster-default gateway" shop/sub ext:partner "$f" tcp "$(eip 205 "$f")"
  expect_src "namespaceSelector (EgressClusterPolicy)" corp/any ext:partner "$f" tcp "$corp"
  expect_src "rr EgressPolicy" shop/rr ext:partner "$f" tcp "$rr"
  gw=$(policy_node nodeip shop)
  [[ $gw == n2 || $gw == n3 ]] || fail "the useNodeIP policy's status names node '$gw'"
  expect_src "useNodeIP (active gateway $gw)" shop/nodeip ext:partner "$f" tcp \
    "$(node_addr "$gw" "$f")"
  expect_src "destSubnet: inside" shop/dst ext:partner "$f" tcp "$(eip 206 "$f")"
  expect_src "destSubnet: outside it, not steered" shop/dst ext:other "$f" tcp \
    "$(node_addr n1 "$f")"
  expect_src "destSubnet: outside it over UDP" shop/dst ext:other "$f" udp "$(node_addr n1 "$f")"
  # Not selected: masquerade to the node's address.
  expect_src "unselected pod" shop/plain ext:partner "$f" tcp "$(node_addr n1 "$f")"
  expect_src "unselected pod over UDP" shop/plain ext:partner "$f" udp "$(node_addr n1 "$f")"
  expect_src "unselected pod on a gateway node" shop/plain3 ext:partner "$f" tcp \
    "$(node_addr n3 "$f")"
  expect_src "namespace outside the namespaceSelector" misc/other ext:partner "$f" tcp \
    "$(node_addr n1 "$f")"
  # Internal destinations: the pod's own address, same node and on the gateway nodes.
  for to in shop/plain shop/web2 shop/web3; do
    expect_src "internal destination $to" shop/web1 "$to" "$f" tcp "$(pod_addr shop/web1 "$f")"
  done
  expect_src "internal destination over UDP" shop/web1 shop/web3 "$f" udp \
    "$(pod_addr shop/web1 "$f")"
  # A WebSocket held open through the gateway.
  r=$(l probe shop/web1 ext:partner --proto ws --port 8080 --hold-ms 1000 --timeout-ms 2000 \
    --family "$f" -o json)
  [[ $(jq -r .connected <<<"$r") == true && $(jq -r .source <<<"$r") == "$web" ]] ||
    fail "WebSocket IPv$f shop/web1 -> partner held 1 s: $r, want source $web"
done

# A node address is internal too: a probe server in n2's namespace (started here as a third
# party would) sees the selected pod's own address, not the EIP.
l exec n2 -- "$egret" lab serve --listen tcp:80 >/dev/null 2>&1 &
node_srv=$!
for f in "${families[@]}"; do
  expect_src "internal destination: node n2's address" shop/web1 "$(node_addr n2 "$f")" "$f" \
    tcp "$(pod_addr shop/web1 "$f")"
done
