#!/usr/bin/env bash
# End to end: NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy in the lab, on
# the upstream conformance model: namespaces x, y, z (labels ns=N, kubernetes.io/metadata.name=N),
# pods a, b, c in each (label pod=P) spread over 3 nodes, each serving TCP and UDP on 80 and 81
# under the names serve-80-tcp, serve-81-udp, ... Each scenario applies its policies and checks
# whole 9 x 9 matrices (`probe-matrix`) against the truth table of the reference evaluator
# (`egret-netpol-expect`, built beside egret), then deletes them. Label changes, a pod created
# under a policy, and policy edits take effect without restarting anything. Each policy's status
# (condition Ready) comes to say it is realized on every node hosting a pod it selects.
# Usage: lab_netpol_test.sh EGRET_BINARY ipv4|ipv6|dual encap|noencap   (root; 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
source "$(dirname "$0")/lab_netpol_lib.sh"
family=$2
mode=$3
lab_begin "$1" "np${family:0:2}${mode:0:2}"
expect_bin="$(dirname "$egret")/egret-netpol-expect"
[[ -x $expect_bin ]] || { echo "SKIP: $expect_bin not built"; exit 77; }
work=$(mktemp -d)
cleanup_work() { rm -rf "$work"; }
exit_hooks+=(cleanup_work)

lab_up --nodes 3 --ip-family "$family" --mode "$mode" || exit 1
netpol_model_up || exit 1
# In a dual-stack lab the probes go to each pod's first address (IPv4); the ipBlock scenario
# also runs once over IPv6.
fam6=""
[[ $family == dual ]] && fam6=6

# --- NetworkPolicy ---------------------------------------------------------------------------
scenario deny-all-ingress tcp:80 -- "$(np x deny '{podSelector: {}}')"
scenario deny-all-egress-udp udp:80 -- \
  "$(np x deny '{podSelector: {}, policyTypes: [Egress]}')"
scenario pod-and-namespace-selectors tcp:80 -- "$(np x p '{podSelector: {matchLabels: {pod: a}},
  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}},
                    {namespaceSelector: {matchLabels: {ns: y}},
                     podSelector: {matchLabels: {pod: c}}}]}]}')"
scenario namespace-selector-or tcp:80 -- "$(np x p '{podSelector: {matchLabels: {pod: a}},
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}},
                    {podSelector: {matchLabels: {pod: c}}}]}]}')"
scenario named-port tcp:80,tcp:81,udp:81 -- "$(np x p '{podSelector: {},
  ingress: [{ports: [{port: serve-81-tcp, protocol: TCP}, {port: serve-81-udp, protocol: UDP}]}]}')"
scenario end-port tcp:80,tcp:81 -- "$(np y p '{podSelector: {},
  ingress: [{ports: [{port: 81, endPort: 90, protocol: TCP}],
             from: [{namespaceSelector: {matchLabels: {ns: x}}}]}]}')"
scenario egress-to-z-port-80 tcp:80,tcp:81 -- "$(np x p '{podSelector: {matchLabels: {pod: a}},
  policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {ns: z}}}],
  ports: [{port: 80}]}]}')"
scenario egress-named-port-udp udp:80,udp:81 -- "$(np y p '{podSelector: {}, policyTypes: [Egress],
  egress: [{ports: [{port: serve-81-udp, protocol: UDP}]}]}')"
scenario stacked-union tcp:80 -- "$(np x deny '{podSelector: {}}')" \
  "$(np x allow-y '{podSelector: {matchLabels: {pod: a}},
                    ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]}')" \
  "$(np x allow-b '{podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]}')"
scenario ingress-and-egress tcp:80 -- "$(np y both '{podSelector: {matchLabels: {pod: b}},
  policyTypes: [Ingress, Egress],
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}}]}],
  egress: [{to: [{podSelector: {matchLabels: {pod: c}}}]}]}')"
# ipBlock with except: x/a may reach y's pods by address, except y/b's.
ya=$(pod_ip y/a "") yb=$(pod_ip y/b "")
scenario ipblock-except tcp:80 -- "$(np x p "{podSelector: {matchLabels: {pod: a}},
  policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: $(block_of "$ya"),
                                                   except: [$(host_cidr "$yb")]}}]}]}")"
if [[ -n $fam6 ]]; then
  ya6=$(pod_ip y/a 6) yb6=$(pod_ip y/b 6)
  scenario ipblock-except-ipv6 tcp:80/6 -- "$(np x p "{podSelector: {matchLabels: {pod: a}},
    policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: '$(block_of "$ya6")',
                                                     except: ['$(host_cidr "$yb6")']}}]}]}")"
fi

# --- AdminNetworkPolicy / BaselineAdminNetworkPolicy -----------------------------------------
subj_x='{namespaces: {matchLabels: {ns: x}}}'
subj_y='{namespaces: {matchLabels: {ns: y}}}'
from_ns() { echo "from: [{namespaces: {matchLabels: {ns: $1}}}]"; }
scenario anp-deny-over-np-allow tcp:80 -- \
  "$(anp deny-y 10 "$subj_x" "ingress: [{action: Deny, $(from_ns y)}]")" \
  "$(np x allow-all '{podSelector: {}, ingress: [{}]}')"
scenario anp-pass-then-np tcp:80 -- \
  "$(anp pass-y 10 "$subj_x" "ingress: [{action: Pass, $(from_ns y)},
                                        {action: Deny, from: [{namespaces: {}}]}]")" \
  "$(np x allow-from-a '{podSelector: {}, ingress: [{from: [{namespaceSelector: {},
                                                     podSelector: {matchLabels: {pod: a}}}]}]}')"
scenario anp-priorities tcp:80,udp:80 -- \
  "$(anp allow-z 5 "$subj_x" 'ingress: [{action: Allow, from: [{pods: {
     namespaceSelector: {matchLabels: {ns: z}}, podSelector: {matchLabels: {pod: a}}}}]}]')" \
  "$(anp deny-z 6 "$subj_x" "ingress: [{action: Deny, $(from_ns z)}]")"
scenario anp-egress-ports tcp:80,tcp:81 -- \
  "$(anp egress-ports 20 "$subj_y" 'egress: [
     {action: Allow, to: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 81}}]},
     {action: Deny, to: [{namespaces: {}}]}]')"
scenario banp-under-np tcp:80 -- \
  "$(banp "$subj_x" 'ingress: [{action: Deny, from: [{namespaces: {}}]}]')" \
  "$(np x allow-b '{podSelector: {matchLabels: {pod: a}},
                    ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]}')"

# --- Status: realized on every node with selected pods ---------------------------------------
# nodes_of NS/POD...: how many distinct nodes host these pods.
nodes_of() {
  local pods
  pods=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
  jq --argjson p "$pods" '[.pods[] | select(.namespace + "/" + .name | IN($p[])) | .node] |
                          unique | length' "$work/status.json"
}

# ready_is KIND NAME NS N: the policy's Ready condition says "realized on N of N nodes", True,
# for its current generation (NS "" for cluster-scoped kinds).
ready_is() {
  local ns_args=()
  [[ -n $3 ]] && ns_args=(-n "$3")
  "$egret" --lab "$lab" get "$1" "$2" "${ns_args[@]}" -o json |
    jq -e --arg m "realized on $4 of $4 nodes" '.metadata.generation as $g |
      .status.conditions[]? |
    select(.type == "Ready" and .status == "True" and .reason == "Realized" and
           .message == $m and .observedGeneration == $g)' >/dev/null
}

# expect_ready KIND NAME NS N: ready_is within the deadline; on failure shows the status.
expect_ready() {
  wait_for "status: $1 $2 realized on $4 of $4 nodes" 20 ready_is "$@" && return 0
  local ns_args=()
  [[ -n $3 ]] && ns_args=(-n "$3")
  "$egret" --lab "$lab" get "$1" "$2" "${ns_args[@]}" -o json | jq -c .status | sed 's/^/  | /'
  return 1
}

status_test() {
  local file="$work/status-policies.yaml" n_x n_a n_b n_y wide
  n_x=$(nodes_of x/a x/b x/c) n_a=$(nodes_of x/a) n_b=$(nodes_of x/b) n_y=$(nodes_of y/a y/b y/c)
  {
    np x status-all '{podSelector: {}}'
    echo "---"
    np x status-a '{podSelector: {matchLabels: {pod: a}}}'
    echo "---"
    np x status-none '{podSelector: {matchLabels: {pod: nobody}}}'
    echo "---"
    anp status-y 30 '{namespaces: {matchLabels: {ns: y}}}' \
      'ingress: [{action: Allow, from: [{namespaces: {}}]}]'
  } >"$file"
  must "status: apply" "$egret" --lab "$lab" apply -f "$file" || return
  expect_ready netpol status-all x "$n_x"
  expect_ready netpol status-a x "$n_a"
  expect_ready netpol status-none x 0
  expect_ready anp status-y "" "$n_y"
  # An edit: the condition follows the new generation (x/b instead of x/a).
  np x status-a '{podSelector: {matchLabels: {pod: b}}}' >"$work/status-edit.yaml"
  must "status: edit" "$egret" --lab "$lab" apply -f "$work/status-edit.yaml"
  expect_ready netpol status-a x "$n_b"
  # The CLI shows it: REALIZED in -o wide, the condition in describe.
  wide=$("$egret" --lab "$lab" get netpol status-all -n x -o wide)
  [[ $(awk 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "REALIZED") c = i}
            NR == 2 {print $c}' <<<"$wide") == "$n_x/$n_x" ]] ||
    fail "status: get -o wide does not show REALIZED $n_x/$n_x: $wide"
  must "status: describe" "$egret" --lab "$lab" describe netpol status-all -n x &&
    { grep -Eq "^ +Ready +True +Realized +realized on $n_x of $n_x nodes" <<<"$out" ||
      fail "status: describe shows no Ready condition: $out"; }
  must "status: delete" "$egret" --lab "$lab" delete -f "$file"
  scenarios_run=$((scenarios_run + 1))
}
status_test

# --- SCTP ------------------------------------------------------------------------------------
# SCTP rules are compiled and rendered like TCP and UDP (and nftables accepts them: see
# KernelPolicyRender), but SCTP probes need SCTP sockets.
if grep -qw SCTP /proc/net/protocols 2>/dev/null; then
  echo "SKIP sctp probes: the lab's probes speak TCP, UDP and WebSocket only"
else
  echo "SKIP sctp probes: this kernel has no SCTP sockets (EPROTONOSUPPORT)"
fi

# --- Changes without restarts ----------------------------------------------------------------
netpol_changes_test

echo "scenarios: $scenarios_run"
