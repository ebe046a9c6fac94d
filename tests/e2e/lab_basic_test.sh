#!/usr/bin/env bash
# End to end: the life of a 3-node `egret lab` — status, the objects `pod add` writes, exec,
# node stop/start (a stopped node is cut off; started again, it serves its pods again), pod
# del, and a teardown that leaves no namespace and no process behind. The connectivity matrix
# of every variant is lab_matrix_test.sh's, agent restarts lab_restart_test.sh's.
# Usage: lab_basic_test.sh EGRET_BINARY [IP_FAMILY [MODE]]   (root; exit 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
family=${2:-ipv4}
mode=${3:-encap}
lab_begin "$1" "b${family}${mode}"
fams=("")  # the probes' --family values: none in a single-stack lab, both in a dual-stack one
[[ $family == dual ]] && fams=(4 6)

lab_up --nodes 3 --ip-family "$family" --mode "$mode" || exit 1
must "ns add" l ns add team --labels team=a || exit 1
must "pod a" l pod add team/a --node n1 --labels app=a --serve tcp:80=serve-80-tcp,udp:80 || exit 1
must "pod b" l pod add team/b --node n2 --serve tcp:80,udp:80 || exit 1
must "pod c" l pod add default/c --node n3 --serve tcp:80,udp:80 || exit 1
must "pod d" l pod add default/d --node n1 --serve tcp:80,udp:80 || exit 1
must "ext add" l ext add out --serve tcp:80,udp:80 || exit 1

status=$(l status -o json)
[[ $(jq -r .phase <<<"$status") == ready ]] || fail "phase is $(jq -r .phase <<<"$status")"
for n in n1 n2 n3; do
  [[ $(jq -r ".nodes[] | select(.name==\"$n\") | .podCIDRs | length" <<<"$status") -ge 1 ]] ||
    fail "node $n has no pod CIDR"
done
npods=$(jq '.pods | length' <<<"$status")
[[ $npods == 4 ]] || fail "status lists $npods pods, want 4"
[[ $(jq -r '.eipPool | length' <<<"$status") -ge 1 ]] || fail "status has no eipPool"
ports=$("$egret" --lab "$lab" get pod a -n team -o json | jq -c '.spec.containers[0].ports[0]')
[[ $ports == *'"name":"serve-80-tcp"'* ]] || fail "pod a's container port: $ports"
labels=$("$egret" --lab "$lab" get pod a -n team -o json | jq -c .metadata.labels)
[[ $labels == '{"app":"a"}' ]] || fail "pod a's labels: $labels"
check_matrix tcp 4

# exec runs inside the target's namespace.
n1_ip=$(jq -r '.nodes[] | select(.name=="n1") | .addresses[0]' <<<"$status")
must "exec" l exec n1 -- ip -j addr show eth0
[[ $out == *"$n1_ip"* ]] || fail "exec n1 does not show $n1_ip: $out"

# A stopped node is cut off; started again, it serves its pods again.
must "node stop" l node stop n2
[[ $(l status -o json | jq -r '.nodes[] | select(.name=="n2") | .up') == false ]] ||
  fail "status does not show n2 down"
wait_for "team/a no longer reaches team/b on the stopped node" 30 probe_is team/a team/b false
probe_is default/c default/d true || fail "default/c -> default/d broke while n2 was stopped"
must "pod add on a stopped node is refused" bash -c "! $egret lab --name $lab pod add \
  default/e --node n2"
must "node start" l node start n2
wait_for "team/a reaches team/b again" 30 probe_is team/a team/b true
wait_for "team/b reaches default/c again" 30 probe_is team/b default/c true
for fam in "${fams[@]}"; do
  check_matrix tcp 4 "$fam"
  check_matrix udp 4 "$fam"
done

must "pod del" l pod del default/d
! ip netns list | grep -qF "$lab-p-default.d" || fail "pod d's namespace remains"
[[ $(l status -o json | jq '.pods | length') == 3 ]] || fail "status still lists pod d"
