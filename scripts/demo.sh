#!/usr/bin/env bash
# The demo on the embedded default: builds Egret, brings up `egret lab` — a 3-node cluster made
# of network namespaces, with the controller on its embedded sqlite store, an agent per node and
# pods attached through the real CNI plugin — shows pods talking across nodes and to a host
# outside the cluster, then the egress gateway: an external host sees the pod's EIP, the gateway
# node carrying it is stopped, and the EIP is seen again through the other gateway node within
# a second. Tears everything down.
# Run as root from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

build=build-demo
export CCACHE_BASEDIR="$PWD"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j2 egret egret-cni
egret="$PWD/$build/bin/egret"
lab="demo$$"

cleanup() { "$egret" lab down --name "$lab" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step() { printf '\n\033[1m$ egret %s\033[0m\n' "$*"; }
run() { step "$@"; "$egret" "$@"; }
l() { run lab "$@" --name "$lab"; }

l up --nodes 3 --ip-family dual --mode encap
run --lab "$lab" get nodes -o wide
l ns add shop --labels team=shop
l pod add shop/web --node n1 --labels app=web --serve tcp:80=http,udp:80=dns
l pod add shop/api --node n2 --labels app=api --serve tcp:80=http,udp:80=dns
l pod add shop/db --node n3 --labels app=db --serve tcp:80=http,udp:80=dns
l ext add partner --serve tcp:80
run --lab "$lab" get pods -n shop

echo; echo "# every pod reaches every pod, across nodes, over TCP (IPv4 and IPv6):"
l probe-matrix --proto tcp --port 80 -o json
l probe shop/web shop/db --proto tcp --port 80 --family 6 -o json
echo; echo "# a pod reaching a host outside the cluster leaves with its node's address:"
l probe shop/web ext:partner --proto tcp --port 80 -o json

echo; echo "# egress gateway: n2 and n3 become gateway nodes; shop/web's traffic now leaves"
echo "# through one of them with a fixed egress IP (EIP), whatever node the pod runs on:"
l node label n2 kubernetes.io/hostname=n2,egret.io/gateway=true
l node label n3 kubernetes.io/hostname=n3,egret.io/gateway=true
run --lab "$lab" apply -f examples/lab-egress.yaml
seen() {  # the source address the external host sees for one new connection of shop/web
  "$egret" lab --name "$lab" probe shop/web ext:partner --proto tcp --port 80 --timeout-ms 300 \
    "$@" -o json 2>/dev/null | sed -n 's/.*"source":"\([^"]*\)".*/\1/p'
}
for _ in $(seq 1 100); do  # wait (bounded) until the datapath steers the pod
  [[ $(seen) == 172.18.0.2* ]] && break
  sleep 0.1
done
run --lab "$lab" get egresspolicies -A -o wide
l probe shop/web ext:partner --proto tcp --port 80 -o json
l probe shop/web ext:partner --proto tcp --port 80 --family 6 -o json
eip=$(seen)
# The gateway node n1's agent sends shop/web's traffic to (its own heartbeat-based choice):
active=""
for _ in $(seq 1 50); do  # bounded
  active=$("$egret" lab --name "$lab" node status n1 | jq -r '.egressTargets[0].active // ""')
  [[ $active == n2 || $active == n3 ]] && break
  sleep 0.1
done
echo; echo "# the gateway node carrying the EIP ($active) dies; the next one takes the EIP over:"
start=$(date +%s%3N)
l node stop "$active"
for _ in $(seq 1 100); do  # bounded: new connections until one leaves with the EIP again
  [[ $(seen) == "$eip" ]] && break
done
echo "# EIP $eip seen again $(( $(date +%s%3N) - start )) ms after the gateway node stopped"
l probe shop/web ext:partner --proto tcp --port 80 -o json
l node start "$active"
run --lab "$lab" get egressgateways
echo; echo "# a bad object is refused with the field that is wrong, and nothing is written:"
run --lab "$lab" apply -f examples/invalid/bad-pool.yaml || true

l down
trap - EXIT
