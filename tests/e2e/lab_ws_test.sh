#!/usr/bin/env bash
# End to end: WebSocket probes through a lab (`--serve ws:PORT`, `probe --proto ws`).
#  - a pod on n1 and a pod on n2 each hold a WebSocket to an external host for 1.5 s: connected,
#    all 15 echoes back, held at least 1.5 s, and the host saw the pod's node address
#    (masquerade), as it does for TCP;
#  - pod -> pod across nodes: the server sees the client pod's own address;
#  - a ws port is a TCP container port in the Pod object and `ws:PORT` in status;
#  - a ws probe to a plain TCP port fails in the handshake; probe-matrix refuses ws; --hold-ms
#    is refused without ws.
# Usage: lab_ws_test.sh EGRET_BINARY [IP_FAMILY [MODE]]   (root; exit 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
family=${2:-ipv4}
mode=${3:-encap}
lab_begin "$1" "w${family}${mode}"
fam=4
[[ $family == ipv6 ]] && fam=6

lab_up --nodes 3 --ip-family "$family" --mode "$mode" || exit 1
must "pod a" l pod add default/a --node n1 --serve ws:8080 || exit 1
must "pod b" l pod add default/b --node n2 --serve tcp:80,ws:8080=serve-ws || exit 1
must "ext add" l ext add out --serve tcp:80,ws:8080 || exit 1

status=$(l status -o json)
serve=$(jq -c '.externals[] | select(.name=="out") | .serve' <<<"$status")
[[ $serve == '["tcp:80","ws:8080"]' ]] || fail "status shows the external host serving $serve"
port=$("$egret" --lab "$lab" get pod b -n default -o json |
  jq -c '.spec.containers[0].ports[] | select(.containerPort == 8080)')
[[ $port == *'"name":"serve-ws"'* && $port == *'"protocol":"TCP"'* ]] ||
  fail "pod b's ws container port: $port"

addr_of() {  # addr_of nodes|pods NAME: the first address of that family
  family_addr "$(jq -c ".$1[] | select(.name == \"$2\") | .addresses" <<<"$status")" "$fam"
}

# expect_ws FROM TO WANT_SOURCE: a 1.5 s hold with every echo back, and the source seen.
expect_ws() {
  local r
  r=$(l probe "$1" "$2" --proto ws --port 8080 --hold-ms 1500 --timeout-ms 2000 \
    --family "$fam" -o json)
  if [[ $(jq -r .connected <<<"$r") != true ]]; then
    fail "ws $1 -> $2 did not hold: $r"
    return
  fi
  [[ $(jq -r .source <<<"$r") == "$3" ]] ||
    fail "ws $1 -> $2: the server saw $(jq -r .source <<<"$r"), want $3"
  [[ $(jq -r .echoes <<<"$r") == 15 ]] || fail "ws $1 -> $2: echoes in $r, want 15"
  (($(jq -r .held_ms <<<"$r") >= 1500)) || fail "ws $1 -> $2: held_ms in $r, want >= 1500"
}

expect_ws default/a ext:out "$(addr_of nodes n1)"
expect_ws default/b ext:out "$(addr_of nodes n2)"
expect_ws default/a default/b "$(addr_of pods a)"

# A plain TCP probe server is no WebSocket server: the handshake fails, with a reason.
r=$(l probe default/a ext:out --proto ws --port 80 --family "$fam" -o json)
[[ $(jq -r .connected <<<"$r") == false && $(jq -r .error <<<"$r") == *handshake* ]] ||
  fail "ws to a plain TCP port: $r"
if out=$(l probe-matrix --proto ws --port 8080 2>&1); then
  fail "probe-matrix accepted ws: $out"
elif [[ $out != *"probe-matrix runs tcp or udp"* ]]; then
  fail "probe-matrix --proto ws: $out"
fi
if out=$(l probe default/a ext:out --proto tcp --port 80 --hold-ms 100 2>&1); then
  fail "--hold-ms without ws was accepted: $out"
elif [[ $out != *"--hold-ms is only for --proto ws"* ]]; then
  fail "--hold-ms without ws: $out"
fi
