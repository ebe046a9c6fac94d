#!/usr/bin/env bash
# The demo on the embedded default: builds Egret, brings up `egret lab` — a 3-node cluster made
# of network namespaces, with the controller on its embedded sqlite store, an agent per node and
# pods attached through the real CNI plugin — shows pods talking across nodes and to a host
# outside the cluster, applies the example egress objects, and tears everything down.
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

echo; echo "# egress: two nodes become gateway nodes; the controller allocates EIPs and places them"
echo "# (the egress datapath itself is the next milestone):"
l node label n2 kubernetes.io/hostname=n2,egret.io/gateway=true
l node label n3 kubernetes.io/hostname=n3,egret.io/gateway=true
run --lab "$lab" apply -f examples/egress-demo.yaml
for _ in $(seq 1 50); do  # wait (bounded) for the controller to write the policy's status
  "$egret" --lab "$lab" get egp checkout -n shop -o json 2>/dev/null | grep -q '"eip"' && break
  sleep 0.1
done
run --lab "$lab" get egressgateways
run --lab "$lab" get egresspolicies -A -o wide
echo; echo "# a bad object is refused with the field that is wrong, and nothing is written:"
run --lab "$lab" apply -f examples/invalid/bad-pool.yaml || true

l down
trap - EXIT
