#!/usr/bin/env bash
# End to end: a real controller process with the sqlite store, driven through the egret CLI.
# Usage: cli_test.sh EGRET_BINARY EXAMPLES_DIR
set -uo pipefail
egret=$1
examples=$2
work=$(mktemp -d /tmp/egret-cli-test.XXXXXX)
sock="$work/egret.sock"
controller=""
failures=0

start_controller() {
  "$egret" controller --store "sqlite:$work/egret.db" --listen "unix:$sock" --ip-family dual \
    2>>"$work/controller.log" &
  controller=$!
  # Wait for the API with a deadline (10 s).
  for _ in $(seq 1 200); do
    "$egret" -s "unix:$sock" get ns default >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "controller did not come up"; cat "$work/controller.log"; exit 1
}
stop_controller() {
  [[ -n $controller ]] && kill "$controller" 2>/dev/null && wait "$controller" 2>/dev/null
  controller=""
}
cleanup() { stop_controller; rm -rf "$work"; }
trap cleanup EXIT

e() { "$egret" -s "unix:$sock" "$@"; }
check() {  # check NAME CMD... : the command must succeed
  local name=$1; shift
  if ! out=$("$@" 2>&1); then echo "FAIL: $name"; echo "$out"; failures=$((failures+1)); fi
}
check_fails() {  # check_fails NAME EXPECTED_STDERR_PART CMD...
  local name=$1 want=$2; shift 2
  if out=$("$@" 2>&1); then echo "FAIL: $name (succeeded)"; echo "$out"; failures=$((failures+1)); return; fi
  if [[ $out != *"$want"* ]]; then echo "FAIL: $name: want '$want' in:"; echo "$out"; failures=$((failures+1)); fi
}
check_out() {  # check_out NAME EXPECTED_STDOUT_PART CMD...
  local name=$1 want=$2; shift 2
  out=$("$@" 2>&1) || { echo "FAIL: $name (exit $?)"; echo "$out"; failures=$((failures+1)); return; }
  if [[ $out != *"$want"* ]]; then echo "FAIL: $name: want '$want' in:"; echo "$out"; failures=$((failures+1)); fi
}

start_controller

check_out "apply creates" "egressgateway.egret.io/default created" e apply -f "$examples/egress-demo.yaml"
check_out "re-apply is unchanged" "egressgateway.egret.io/default unchanged" e apply -f "$examples/egress-demo.yaml"
check_out "get table" "default" e get egw
check_out "short name egp in namespace" "checkout" e get egp -n shop
check_out "all namespaces" "shop" e get egresspolicies -A
check_out "get yaml" "kind: EgressGateway" e get egw default -o yaml
check_out "get json" '"kind": "EgressClusterPolicy"' e get egcp all-batch-jobs -o json
check_out "get name" "networkpolicy.networking.k8s.io/checkout-ingress" e get netpol -n shop -o name
check_out "describe" "Name:" e describe egw default
check_out "label selector" "shop" e get ns -l team=shop

# Round trip: what get -o yaml prints can be applied back unchanged.
e get egw default -o yaml > "$work/egw.yaml"
check_out "apply get output" "unchanged" e apply -f "$work/egw.yaml"

# Stdin.
check_out "apply from stdin" "namespace/from-stdin created" \
  bash -c "printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-stdin\n' | '$egret' -s 'unix:$sock' apply -f -"

# A bad object in a batch: a precise error and nothing written.
check_fails "invalid batch refused" 'EgressGateway "broken": spec.ippools.ipv4[1]' \
  e apply -f "$examples/invalid/bad-pool.yaml"
check_fails "nothing of the batch written" "NotFound" e get ns never-created
check_fails "unknown field" "spec.bogus: unknown field" \
  bash -c "printf 'apiVersion: egret.io/v1\nkind: EgressGateway\nmetadata: {name: x}\nspec: {bogus: 1}\n' | '$egret' -s 'unix:$sock' apply -f -"
check_fails "malformed yaml" "YAML line" \
  bash -c "printf 'a: [1, 2\n' | '$egret' -s 'unix:$sock' apply -f -"
check_fails "missing namespace" 'namespace "nope" not found' \
  bash -c "printf 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: nope}\nspec: {podSelector: {}}\n' | '$egret' -s 'unix:$sock' apply -f -"
check_fails "unknown kind" "doesn't have a resource type" e get frobs
check_fails "not found" 'EgressGateway "nope" not found' e get egw nope

# Acknowledged writes survive a controller kill -9.
check_out "write before crash" "namespace/durable created" \
  bash -c "printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: durable\n' | '$egret' -s 'unix:$sock' apply -f -"
kill -9 "$controller"; wait "$controller" 2>/dev/null; controller=""
start_controller
check_out "survives kill -9" "durable" e get ns durable

# Delete: by name, by file, namespace cascade.
check_out "delete by name" 'egressclusterpolicy.egret.io "all-batch-jobs" deleted' e delete egcp all-batch-jobs
check_fails "delete missing" "NotFound" e delete egcp all-batch-jobs
check "delete missing ignored" e delete egcp all-batch-jobs --ignore-not-found
check_out "namespace delete cascades" 'egresspolicy.egret.io "checkout" deleted' e delete ns shop
check_fails "cascaded object gone" "NotFound" e get egp checkout -n shop

# Usage errors exit non-zero with a message.
check_fails "unknown command" "unknown command" e frobnicate
check_fails "unknown flag" "unknown flag" e get ns --bogus

if ((failures > 0)); then
  echo "$failures check(s) failed"; echo "--- controller log"; cat "$work/controller.log"; exit 1
fi
echo "all CLI checks passed"
