# Helpers of lab_netpol_test.sh (sourced after lab_lib.sh; uses $lab, $egret, $work,
# $expect_bin):
#   netpol_model_up            namespaces x, y, z and pods a, b, c in each, spread over n1-n3
#   np NS NAME SPEC            a NetworkPolicy document (SPEC in YAML flow style)
#   anp NAME PRIORITY SUBJECT RULES / banp SUBJECT RULES   AdminNetworkPolicy / baseline
#   scenario NAME PROBES -- DOC...   apply DOCs, check the matrices PROBES (proto:port[/family],
#                              comma-separated) against the evaluator's, delete DOCs
#   expect_matrices NAME PROBES [HELPER ARGS...] -- FILE...   only the check
#   netpol_changes_test        label changes, policy edits and a new pod, without restarts

scenarios_run=0

serve_ports=tcp:80=serve-80-tcp,tcp:81=serve-81-tcp,udp:80=serve-80-udp,udp:81=serve-81-udp

netpol_model_up() {
  local ns pod k=0
  for ns in x y z; do
    must "ns add $ns" l ns add "$ns" --labels "ns=$ns,kubernetes.io/metadata.name=$ns" || return 1
  done
  for ns in x y z; do
    for pod in a b c; do
      must "pod add $ns/$pod" l pod add "$ns/$pod" --node "n$((k % 3 + 1))" \
        --labels "pod=$pod" --serve "$serve_ports" || return 1
      k=$((k + 1))
    done
  done
  l status -o json >"$work/status.json" || return 1
}

np() {
  printf '%s\n' "apiVersion: networking.k8s.io/v1" "kind: NetworkPolicy" \
    "metadata: {name: $2, namespace: $1}" "spec: $3"
}

anp() {
  printf '%s\n' "apiVersion: policy.networking.k8s.io/v1alpha1" "kind: AdminNetworkPolicy" \
    "metadata: {name: $1}" "spec: {priority: $2, subject: $3, $4}"
}

banp() {
  printf '%s\n' "apiVersion: policy.networking.k8s.io/v1alpha1" \
    "kind: BaselineAdminNetworkPolicy" "metadata: {name: default}" "spec: {subject: $1, $2}"
}

# pod_ip NS/POD [4|6]: the pod's first address (of that family).
pod_ip() {
  local list
  list=$(jq -c ".pods[] | select(.namespace + \"/\" + .name == \"$1\") | .addresses" \
    "$work/status.json")
  if [[ -z $2 ]]; then jq -r '.[0]' <<<"$list"; else family_addr "$list" "$2"; fi
}

# block_of IP: a block around the cluster's pods (IPv4 /16, IPv6 /48).
block_of() {
  if [[ $1 == *:* ]]; then
    local a b c
    IFS=: read -r a b c _ <<<"$1"
    echo "$a:$b:$c::/48"
  else
    echo "${1%.*.*}.0.0/16"
  fi
}

host_cidr() { if [[ $1 == *:* ]]; then echo "$1/128"; else echo "$1/32"; fi; }

# matrix_matches PROTO PORT FAMILY WANT_FILE: one probe-matrix equals the expected one; the
# differing pairs are left in $matrix_diff.
matrix_matches() {
  local args=() got
  [[ -n $3 ]] && args=(--family "$3")
  got=$(l probe-matrix --proto "$1" --port "$2" --timeout-ms 1000 "${args[@]}" -o json) || return 1
  matrix_diff=$(jq -rn --argjson got "$got" --slurpfile want "$4" '
    [$want[0] | to_entries[] | .key as $f | .value | to_entries[] |
     select($got[$f][.key] != .value) |
     "\($f)->\(.key) is \($got[$f][.key]), want \(.value)"] | join("; ")')
  [[ -z $matrix_diff ]]
}

# expect_matrices NAME PROBES [HELPER ARGS...] -- FILE...
expect_matrices() {
  local name=$1 probes=$2 helper_args=() files=() probe proto port fam want deadline
  shift 2
  while (($#)) && [[ $1 != -- ]]; do helper_args+=("$1"); shift; done
  shift
  files=("$@")
  IFS=, read -ra probes <<<"$probes"
  for probe in "${probes[@]}"; do
    proto=${probe%%:*}
    port=${probe#*:}
    fam=""
    [[ $port == */* ]] && fam=${port#*/} && port=${port%/*}
    want="$work/want-$name-$proto-$port.json"
    local fam_args=()
    [[ -n $fam ]] && fam_args=(--family "$fam")
    if ! "$expect_bin" --status "$work/status.json" --proto "$proto" --port "$port" \
      "${fam_args[@]}" "${helper_args[@]}" "${files[@]}" >"$want"; then
      fail "$name: egret-netpol-expect failed"
      continue
    fi
    # The policies take effect asynchronously (controller -> agents): the matrix must reach the
    # truth table within the deadline.
    deadline=$(($(now_ms) + 20000))
    until matrix_matches "$proto" "$port" "$fam" "$want"; do
      if (($(now_ms) >= deadline)); then
        fail "$name $probe: ${matrix_diff:-probe-matrix failed}"
        break
      fi
    done
  done
}

# scenario NAME PROBES -- DOC...
scenario() {
  local name=$1 probes=$2 file="$work/$1.yaml" doc first=1
  shift 3
  : >"$file"
  for doc in "$@"; do
    ((first)) || echo "---" >>"$file"
    printf '%s\n' "$doc" >>"$file"
    first=0
  done
  if must "$name: apply" "$egret" --lab "$lab" apply -f "$file"; then
    expect_matrices "$name" "$probes" -- "$file"
  fi
  must "$name: delete" "$egret" --lab "$lab" delete -f "$file"
  scenarios_run=$((scenarios_run + 1))
}

# A probe FROM -> TO (tcp/80) right away, without retrying: prints connected (true/false).
probe_now() {
  l probe "$1" "$2" --proto tcp --port 80 --timeout-ms 1000 -o json | jq -r .connected
}

netpol_changes_test() {
  local file="$work/changes.yaml"
  # Pods labelled pod=b anywhere may reach x's pods; then y/a becomes pod=b, z's namespace
  # takes y's label, and the policy is edited: each change shows in the matrix.
  np x from-b '{podSelector: {}, ingress: [{from: [{namespaceSelector: {},
                                                   podSelector: {matchLabels: {pod: b}}}]}]}' \
    >"$file"
  must "changes: apply" "$egret" --lab "$lab" apply -f "$file" || return
  expect_matrices changes-initial tcp:80 -- "$file"
  must "pod label" l pod label y/a pod=b
  expect_matrices changes-pod-label tcp:80 --pod-labels y/a=pod=b -- "$file"
  # Only a set's members changed: the controller streamed that as a member delta, not whole
  # states (watchPolicy DELTA frames, counted by each agent).
  local deltas=0 n
  for n in n1 n2 n3; do
    deltas=$((deltas + $(l node status "$n" | jq -r '.policy.deltasReceived // 0')))
  done
  ((deltas > 0)) || fail "changes: the relabel reached no agent as a member delta"
  must "pod label back" l pod label y/a pod=a
  np x from-b '{podSelector: {},
                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]}' >"$file"
  must "changes: edit" "$egret" --lab "$lab" apply -f "$file"
  expect_matrices changes-policy-edit tcp:80 -- "$file"
  must "ns label" l ns label z ns=y,kubernetes.io/metadata.name=z
  expect_matrices changes-ns-label tcp:80 \
    --ns-labels z=ns=y,kubernetes.io/metadata.name=z -- "$file"
  must "ns label back" l ns label z ns=z,kubernetes.io/metadata.name=z
  must "changes: delete" "$egret" --lab "$lab" delete -f "$file"
  scenarios_run=$((scenarios_run + 4))

  # A pod created under policies that isolate it is never reachable, nor able to send, against
  # them: probed at once after `pod add` returns, before anything could catch up.
  np x deny-both '{podSelector: {matchLabels: {pod: d}}, policyTypes: [Ingress, Egress]}' \
    >"$file"
  must "new pod: apply" "$egret" --lab "$lab" apply -f "$file" || return
  must "pod add x/d" l pod add x/d --node n2 --labels pod=d --serve tcp:80 || return
  [[ $(probe_now y/a x/d) == false ]] || fail "new pod: y/a reached x/d against deny-both"
  [[ $(probe_now x/d y/a) == false ]] || fail "new pod: x/d reached y/a against deny-both"
  [[ $(probe_now y/b x/d) == false ]] || fail "new pod: y/b reached x/d against deny-both"
  # Once the policy goes, the pod is reachable (no pod stays held).
  must "new pod: delete" "$egret" --lab "$lab" delete -f "$file"
  wait_for "new pod: y/a reaches x/d once the policy is gone" 20 probe_is y/a x/d true
  wait_for "new pod: x/d reaches y/a once the policy is gone" 20 probe_is x/d y/a true
  # Unselected: a new pod nothing selects is reachable as soon as the controller has seen it
  # (it may be held for that moment, never longer).
  must "pod add x/e" l pod add x/e --node n3 --labels pod=e --serve tcp:80 || return
  wait_for "new unselected pod: y/a reaches x/e" 5 probe_is y/a x/e true
  must "pod del x/d" l pod del x/d
  must "pod del x/e" l pod del x/e
  scenarios_run=$((scenarios_run + 1))
}
