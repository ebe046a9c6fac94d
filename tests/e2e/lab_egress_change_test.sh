#!/usr/bin/env bash
# End to end: the egress datapath follows every change (issue #4, "Priority" and "Changes").
# A 3-node lab, EgressGateway "lab" on n2 and n3, pods on n1 (non-gateway) and n3. In order:
#  - priority: two policies select the same pods with explicit EIPs A (priority 100) and B
#    (10): A is seen; lowering A's priority below B's hands the traffic to B and raising it
#    back returns it to A; deleting A hands it to B;
#  - a pod relabelled out of the policy leaves with its node's address, relabelled in with
#    the EIP again;
#  - the gateway moves: relabelling the nodes (only n1 a gateway node) moves the EIP to n1,
#    which alone holds it; editing the gateway's nodeSelector (n3 only) moves it to n3;
#  - deleting the gateway: the policy reports GatewayNotFound, no node holds the EIP and the
#    pods leave with their node's address; re-creating it brings the EIP back;
#  - deleting the policy: node address; re-creating it: the EIP;
#  - pool exhaustion: three rr policies on a 2-address pool: the ones left without an address
#    report Ready=False PoolExhausted with a message naming the gateway and spec.ippools, have
#    no EIP in status, their pods leave with the node address, nothing crashes; deleting the
#    policies in force brings an exhausted one into force by itself.
# Usage: lab_egress_change_test.sh EGRET_BINARY ipv4|ipv6|dual encap|noencap  (root; 77 = skip)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
source "$(dirname "$0")/egress_lib.sh"
egress_families "$2"
mode=$3
lab_begin "$1" "ec${2}${mode}"

lab_up --nodes 3 --ip-family "$2" --mode "$mode" || exit 1
must "ns shop" l ns add shop || exit 1
must "pod a" l pod add shop/a --node n1 --labels app=web --serve tcp:80 || exit 1
must "pod c" l pod add shop/c --node n3 --labels app=web --serve tcp:80 || exit 1
must "pod x" l pod add shop/x --node n1 --labels app=none --serve tcp:80 || exit 1
must "ext partner" l ext add partner --serve tcp:80,udp:80 || exit 1
label_gateways n2 n3 || exit 1
refresh_status

gateway_yaml() {  # gateway_yaml NAME SELECTOR_LABELS FIRST LAST
  cat <<EOF
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: $1}
spec:
  nodeSelector: {selector: {matchLabels: {$2}}}
  ippools: $(pools_yaml "$3" "$4")
EOF
}
policy_yaml() {  # policy_yaml NAME PRIORITY EIP_DIGITS
  cat <<EOF
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: $1, namespace: shop}
spec:
  egressGatewayName: lab
  egressIP: $(eip_yaml "$3")
  appliedTo: {podSelector: {matchLabels: {app: web}}}
  priority: $2
EOF
}
# sees WHAT DESC: shop/a and shop/c, every family, TCP (and UDP from a): the source WHAT is
# an EIP's last digits, or "node" for each pod's node address.
sees() {
  local f pod want
  for f in "${families[@]}"; do
    for pod in shop/a shop/c; do
      if [[ $1 == node ]]; then
        want=$(node_addr "$([[ $pod == shop/a ]] && echo n1 || echo n3)" "$f")
      else
        want=$(eip "$1" "$f")
      fi
      expect_src "$2" "$pod" ext:partner "$f" tcp "$want"
    done
    [[ $1 == node ]] && want=$(node_addr n1 "$f") || want=$(eip "$1" "$f")
    expect_src "$2" shop/a ext:partner "$f" udp "$want"
  done
}
f0=${families[0]}

# Priority. hi is created first, so creation order cannot explain the outcome.
{ gateway_yaml lab 'egret.io/gateway: "true"' 200 209; echo ---; policy_yaml hi 100 204; } |
  apply "gateway and policy hi"
sees 204 "policy hi alone"
policy_yaml lo 10 203 | apply "policy lo (priority 10)"
sees 204 "priority: hi (100) over lo (10)"
policy_yaml hi 5 204 | apply "hi's priority 100 -> 5"
sees 203 "priority: lo (10) over hi (5)"
policy_yaml hi 100 204 | apply "hi's priority 5 -> 100"
sees 204 "priority: hi (100) over lo (10) again"
must "delete hi" eg delete egp hi -n shop
sees 203 "hi deleted: lo takes over"
wait_for "no node holds hi's EIP $(eip 204 "$f0") after its deletion" 10 \
  held_only_by "$(eip 204 "$f0")" ""

# A pod relabelled out of the policy and back in.
must "relabel a out" l pod label shop/a app=other
expect_src "pod relabelled out" shop/a ext:partner "$f0" tcp "$(node_addr n1 "$f0")"
expect_src "the other pod still selected" shop/c ext:partner "$f0" tcp "$(eip 203 "$f0")"
must "relabel a in" l pod label shop/a app=web
sees 203 "pod relabelled back in"

# The gateway moves: by node labels (n1 only), then by its own nodeSelector (n3 only).
first=$(policy_node lo shop)
[[ $first == n2 || $first == n3 ]] || fail "lo's gateway node is '$first', want n2 or n3"
label_gateways n1
for f in "${families[@]}"; do
  wait_for "IPv$f EIP held by n1 alone after relabelling" 10 held_only_by "$(eip 203 "$f")" n1
done
wait_for "lo's status names n1" 10 eval '[[ $(policy_node lo shop) == n1 ]]'
sees 203 "gateway moved to n1 by node labels"
label_gateways n2 n3
gateway_yaml lab 'kubernetes.io/hostname: n3' 200 209 | apply "gateway on n3 by nodeSelector"
for f in "${families[@]}"; do
  wait_for "IPv$f EIP held by n3 alone after the nodeSelector edit" 10 \
    held_only_by "$(eip 203 "$f")" n3
done
wait_for "lo's status names n3" 10 eval '[[ $(policy_node lo shop) == n3 ]]'
sees 203 "gateway moved to n3 by its nodeSelector"

# Delete and re-create the gateway, then the policy.
must "delete gateway" eg delete egw lab
wait_for "lo reports GatewayNotFound" 10 eval '[[ $(policy_reason lo shop) == GatewayNotFound ]]'
wait_for "no node holds the EIP without a gateway" 10 held_only_by "$(eip 203 "$f0")" ""
sees node "gateway deleted"
gateway_yaml lab 'egret.io/gateway: "true"' 200 209 | apply "gateway re-created"
wait_for "lo is Applied again" 10 eval '[[ $(policy_reason lo shop) == Applied ]]'
sees 203 "gateway re-created"
must "delete lo" eg delete egp lo -n shop
sees node "policy deleted"
wait_for "no node holds the EIP without a policy" 10 held_only_by "$(eip 203 "$f0")" ""
policy_yaml lo 10 203 | apply "policy re-created"
sees 203 "policy re-created"

# Pool exhaustion: three rr policies on a gateway of two addresses.
{
  gateway_yaml small 'egret.io/gateway: "true"' 220 221
  for p in x1 x2 x3; do
    cat <<EOF
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: $p, namespace: shop}
spec:
  egressGatewayName: small
  egressIP: {allocatorPolicy: rr}
  appliedTo: {podSelector: {matchLabels: {app: $p}}}
EOF
  done
} | apply "gateway small and rr policies x1..x3"
all_decided() {
  local p
  for p in x1 x2 x3; do [[ -n $(policy_reason "$p" shop) ]] || return 1; done
}
wait_for "x1..x3 have a Ready condition" 10 all_decided
in_force=() exhausted=()
for p in x1 x2 x3; do
  case $(policy_reason "$p" shop) in
    Applied) in_force+=("$p") ;;
    PoolExhausted) exhausted+=("$p") ;;
    *) fail "policy $p: Ready reason '$(policy_reason "$p" shop)'" ;;
  esac
done
echo "pool of 2: in force ${in_force[*]}; exhausted ${exhausted[*]}"
((${#in_force[@]} >= 1 && ${#exhausted[@]} >= 1)) ||
  fail "3 rr policies on a pool of 2: in force '${in_force[*]}', exhausted '${exhausted[*]}'"
if ((${#exhausted[@]})); then
  ex=${exhausted[0]}
  j=$(eg get egp "$ex" -n shop -o json)
  echo "exhausted policy $ex, as get -o yaml shows its status:"
  eg get egp "$ex" -n shop -o yaml | sed -n '/^status:/,$p' | sed 's/^/  | /'
  echo "  gateway small: status.ipUsage $(eg get egw small -o json | jq -c .status.ipUsage)"
  cond=$(jq -c '[.status.conditions[]? | select(.type == "Ready")][0]' <<<"$j")
  [[ $(jq -r .status <<<"$cond") == False ]] || fail "$ex: Ready is not False: $cond"
  msg=$(jq -r .message <<<"$cond")
  [[ $msg == *'"small"'* && $msg == *spec.ippools* ]] ||
    fail "$ex: the message names neither the gateway nor spec.ippools: $msg"
  [[ $(jq -c '.status.eip // {}' <<<"$j") == '{}' ]] ||
    fail "$ex has an EIP: $(jq -c .status <<<"$j")"
  must "relabel x to $ex" l pod label shop/x "app=$ex"
  for f in "${families[@]}"; do
    expect_src "pod of exhausted policy $ex" shop/x ext:partner "$f" tcp "$(node_addr n1 "$f")"
  done
  live=$(l status -o json | jq -r '[.controller.running] + [.nodes[].agent.running] | all')
  [[ $live == true ]] || fail "a process of the lab died: $(l status -o json | jq -c \
    '{controller: .controller.running, agents: [.nodes[].agent.running]}')"
  must "delete the policies in force" eg delete egp "${in_force[@]}" -n shop
  wait_for "exhausted policy $ex comes into force by itself" 10 \
    eval "[[ \$(policy_reason $ex shop) == Applied ]]"
  for f in "${families[@]}"; do
    e=$(policy_eip "$ex" shop "$f")
    [[ $e == "$(eip 220 "$f")" || $e == "$(eip 221 "$f")" ]] ||
      fail "$ex: EIP '$e' is not in the pool of small"
    expect_src "pod of $ex, now in force" shop/x ext:partner "$f" tcp "$e"
  done
fi
