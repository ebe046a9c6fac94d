#!/usr/bin/env bash
# End to end, one lab variant: 3 nodes with 2 pods each and an external host.
#  - the full connectivity matrix, same node and cross node, TCP and UDP (in a dual-stack lab
#    once per family, `--family 4` and `--family 6`);
#  - pod -> external host: the host sees the pod's node address (masquerade), per node, per
#    family, TCP and UDP;
#  - pod -> pod: the server sees the client pod's own address (no masquerade in the cluster),
#    same node and cross node, per family, TCP and UDP.
# Usage: lab_matrix_test.sh EGRET_BINARY ipv4|ipv6|dual encap|noencap   (root; 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
family=$2
mode=$3
case $family in
  ipv4) families=(4) ;;
  ipv6) families=(6) ;;
  dual) families=(4 6) ;;
  *) echo "unknown family $family"; exit 2 ;;
esac
lab_begin "$1" "m${family}${mode}"

lab_up --nodes 3 --ip-family "$family" --mode "$mode" || exit 1
must "ns add" l ns add team || exit 1
# Two pods per node, in two namespaces: a,b on n1; c,d on n2; e,f on n3.
declare -A node_of=([team/a]=n1 [default/b]=n1 [team/c]=n2 [default/d]=n2 [team/e]=n3
  [default/f]=n3)
for pod in team/a default/b team/c default/d team/e default/f; do
  must "pod add $pod" l pod add "$pod" --node "${node_of[$pod]}" --serve tcp:80,udp:80 || exit 1
done
must "ext add" l ext add out --serve tcp:80,udp:80 || exit 1

status=$(l status -o json)
# Every node has a pod CIDR per family and every pod an address per family.
for n in n1 n2 n3; do
  got=$(jq -c ".nodes[] | select(.name==\"$n\") | .podCIDRs" <<<"$status")
  for fam in "${families[@]}"; do
    [[ -n $(family_addr "$got" "$fam") ]] || fail "node $n has no IPv$fam pod CIDR: $got"
  done
done
for pod in "${!node_of[@]}"; do
  got=$(jq -c ".pods[] | select(.namespace + \"/\" + .name == \"$pod\") | .addresses" \
    <<<"$status")
  [[ $(jq length <<<"$got") == "${#families[@]}" ]] ||
    fail "pod $pod has addresses $got, want one per family (${families[*]})"
done

pod_addr() {  # pod_addr NS/POD FAMILY
  family_addr "$(jq -c ".pods[] | select(.namespace + \"/\" + .name == \"$1\") | .addresses" \
    <<<"$status")" "$2"
}
node_addr() {  # node_addr NODE FAMILY
  family_addr "$(jq -c ".nodes[] | select(.name == \"$1\") | .addresses" <<<"$status")" "$2"
}
# expect_source FROM TO PROTO FAMILY WANT: a probe connects and the server saw WANT.
expect_source() {
  local r
  r=$(l probe "$1" "$2" --proto "$3" --port 80 --family "$4" --timeout-ms 2000 -o json)
  if [[ $(jq -r .connected <<<"$r") != true ]]; then
    fail "$3 IPv$4 $1 -> $2 did not connect: $r"
  elif [[ $(jq -r .source <<<"$r") != "$5" ]]; then
    fail "$3 IPv$4 $1 -> $2: the server saw $(jq -r .source <<<"$r"), want $5"
  fi
}

for fam in "${families[@]}"; do
  fam_arg=$fam
  ((${#families[@]} == 1)) && fam_arg=""  # single-stack: the default address must do
  for proto in tcp udp; do
    check_matrix "$proto" 6 "$fam_arg"
    # Leaving the cluster: masqueraded to the node's address, from every node.
    for pod in team/a team/c default/f; do
      expect_source "$pod" ext:out "$proto" "$fam" "$(node_addr "${node_of[$pod]}" "$fam")"
    done
    # Inside the cluster: the pod's own address, same node (a -> b) and cross node.
    expect_source team/a default/b "$proto" "$fam" "$(pod_addr team/a "$fam")"
    expect_source team/a team/c "$proto" "$fam" "$(pod_addr team/a "$fam")"
    expect_source default/f team/a "$proto" "$fam" "$(pod_addr default/f "$fam")"
  done
done
