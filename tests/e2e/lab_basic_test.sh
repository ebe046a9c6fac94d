#!/usr/bin/env bash
# End to end: a 3-node `egret lab` with pods on different nodes and an external host; the
# cross-node connectivity matrix (TCP and UDP), pod -> external host, node stop/start, exec,
# and a teardown that leaves no namespace and no process behind.
# Usage: lab_basic_test.sh EGRET_BINARY [IP_FAMILY [MODE]]   (root; exit 77 = skipped)
set -uo pipefail
egret=$1
family=${2:-ipv4}
mode=${3:-encap}
if [[ $(id -u) != 0 ]]; then echo "SKIP: needs root (creates network namespaces)"; exit 77; fi
if ! command -v jq >/dev/null; then echo "SKIP: needs jq"; exit 77; fi

lab="egt-$$-$RANDOM"
failures=0
cleanup() { "$egret" lab down --name "$lab" >/dev/null 2>&1 || true; }
trap cleanup EXIT

l() { "$egret" lab --name "$lab" "$@"; }
fail() { echo "FAIL: $*"; failures=$((failures+1)); }
must() {  # must NAME CMD...: the command succeeds
  local name=$1; shift
  if ! out=$("$@" 2>&1); then fail "$name"; echo "$out"; return 1; fi
}
# wait_probe FROM TO WANT [FAMILY]: probes until `connected` is WANT, for up to 30 s (a node
# that just started reprograms its datapath).
wait_probe() {
  local from=$1 to=$2 want=$3 got=""
  for _ in $(seq 1 60); do
    got=$(l probe "$from" "$to" --proto tcp --port 80 --timeout-ms 500 -o json | jq -r .connected)
    [[ $got == "$want" ]] && return 0
    sleep 0.5
  done
  fail "probe $from -> $to: connected=$got, want $want"
}

must "lab up" l up --nodes 3 --ip-family "$family" --mode "$mode" || exit 1
must "ns add" l ns add team --labels team=a
must "pod a" l pod add team/a --node n1 --labels app=a --serve tcp:80=serve-80-tcp,udp:80
must "pod b" l pod add team/b --node n2 --serve tcp:80,udp:80
must "pod c" l pod add default/c --node n3 --serve tcp:80,udp:80
must "pod d" l pod add default/d --node n1 --serve tcp:80,udp:80
must "ext add" l ext add out --serve tcp:80,udp:80

status=$(l status -o json)
for n in n1 n2 n3; do
  [[ $(jq -r ".nodes[] | select(.name==\"$n\") | .podCIDRs | length" <<<"$status") -ge 1 ]] ||
    fail "node $n has no pod CIDR"
done
npods=$(jq '.pods | length' <<<"$status")
[[ $npods == 4 ]] || fail "status lists $npods pods, want 4"
[[ $(jq -r '.eipPool | length' <<<"$status") -ge 1 ]] || fail "status has no eipPool"
ports=$("$egret" --lab "$lab" get pod a -n team -o json | jq -c '.spec.containers[0].ports[0]')
[[ $ports == *'"name":"serve-80-tcp"'* ]] || fail "pod a's container port: $ports"

# Every pod reaches every pod, same node and cross node, TCP and UDP.
for proto in tcp udp; do
  matrix=$(l probe-matrix --proto "$proto" --port 80 --timeout-ms 2000 -o json)
  bad=$(jq -r 'to_entries[] | .key as $f | .value | to_entries[] | select(.value != true) |
               "\($f)->\(.key)"' <<<"$matrix")
  [[ -z $bad ]] || fail "$proto matrix has unreachable pairs: $bad"
  [[ $(jq '[.[] | length] | add' <<<"$matrix") == 16 ]] || fail "$proto matrix is not 4x4"
done

# A pod reaches the external host, which sees the node's address (masquerade).
n1_ip=$(jq -r '.nodes[] | select(.name=="n1") | .addresses[0]' <<<"$status")
probe=$(l probe team/a ext:out --proto tcp --port 80 -o json)
[[ $(jq -r .connected <<<"$probe") == true ]] || fail "team/a -> ext:out: $probe"
seen=$(jq -r .source <<<"$probe")
[[ $seen == "$n1_ip" ]] || fail "ext:out saw $seen, want $n1_ip"

# The server sees the pod's own address across nodes.
a_ip=$(jq -r '.pods[] | select(.name=="a") | .addresses[0]' <<<"$status")
probe=$(l probe team/a team/b --proto udp --port 80 -o json)
seen=$(jq -r .source <<<"$probe")
[[ $seen == "$a_ip" ]] || fail "team/b saw $seen, want $a_ip"

# exec runs inside the target's namespace.
must "exec" l exec n1 -- ip -j addr show eth0
[[ $out == *"$n1_ip"* ]] || fail "exec n1 does not show $n1_ip: $out"

# A stopped node is cut off; started again, it serves its pods again.
must "node stop" l node stop n2
wait_probe team/a team/b false
wait_probe default/c default/d true
must "node start" l node start n2
wait_probe team/a team/b true
wait_probe team/b default/c true

must "pod del" l pod del default/d
[[ -z $(ip netns list | grep -F "$lab-p-default.d") ]] || fail "pod d's namespace remains"

# Teardown leaves nothing: no namespace of the lab, no recorded process alive.
pids=$(jq -r '[.controller.pid] + [.nodes[].agent.pid] + [.externals[].server.pid] +
              [.pods[].server.pid] | map(select(. > 0)) | .[]' "/run/egret/lab/$lab/state.json")
must "lab down" l down
left=$(ip netns list | awk '{print $1}' | grep -E "^$lab-" || true)
[[ -z $left ]] || fail "namespaces left after down: $left"
for pid in $pids; do
  # Exited processes may stay zombies until their parent (init) reaps them: dead all the same.
  if [[ -r /proc/$pid/stat ]] && [[ $(awk '{print $3}' "/proc/$pid/stat") != Z ]]; then
    fail "process $pid survived down: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
  fi
done
[[ ! -e /run/egret/lab/$lab ]] || fail "/run/egret/lab/$lab remains"

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "PASS"
