#!/usr/bin/env bash
# The demo on the embedded default: builds Egret, starts a controller with the embedded sqlite
# store, applies the example objects and shows them with `egret get`. Run as root from the
# repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

build=build-demo
export CCACHE_BASEDIR="$PWD"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j2 egret
egret="$PWD/$build/bin/egret"

work=$(mktemp -d /tmp/egret-demo.XXXXXX)
sock="$work/egret.sock"
"$egret" controller --store "sqlite:$work/egret.db" --listen "unix:$sock" \
  --ip-family dual 2>"$work/controller.log" &
controller=$!
cleanup() {
  kill "$controller" 2>/dev/null && wait "$controller" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Wait (with a deadline) for the controller to answer.
for _ in $(seq 1 100); do
  "$egret" --server "unix:$sock" version >/dev/null 2>&1 && \
    "$egret" --server "unix:$sock" get ns >/dev/null 2>&1 && break
  sleep 0.1
done

run() { echo "\$ egret $*"; "$egret" --server "unix:$sock" "$@"; echo; }
run apply -f examples/egress-demo.yaml
run get egressgateways
run get egresspolicies -A -o wide
run get egw default -o yaml
echo "# a bad object is refused with the field that is wrong, and nothing is written:"
run apply -f examples/invalid/bad-pool.yaml || true
run get networkpolicies -n shop
