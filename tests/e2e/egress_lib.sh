# Shared by the lab_egress_*_test.sh scripts (sourced after lab_lib.sh, not run). Gives:
#   egress_families FAMILY   sets `families` (4, 6 or both) from ipv4|ipv6|dual
#   eg ARGS...               egret --lab $lab ARGS... (the ordinary CLI on the lab's controller)
#   apply DESC               applies the YAML on stdin (must)
#   eip N FAMILY             the lab EIP with last digits N: 172.18.0.N or fd00:18::N
#   pools_yaml A B           `ippools` for the families in use: A-B in each (in flow style)
#   eip_yaml N               `egressIP` with the explicit EIPs N of the families in use
#   cidr_of ADDR             ADDR/32 or ADDR/128
#   node_addr / pod_addr / ext_addr NAME FAMILY   addresses from `lab status` (cached in $st)
#   policy_eip NAME NS FAMILY / policy_node NAME NS   from the policy's status (NS "" = the
#                            cluster kind)
#   wait_policies NAME@NS|NAME...   waits until each policy's status has its EIP(s) (or node)
#   seen FROM TO FAMILY PROTO     one probe to port 80: prints "SOURCE" or "-" (no answer)
#   expect_src DESC FROM TO FAMILY PROTO WANT [SECS]
#                            waits until the host TO reports WANT as the source of FROM's
#                            probes, then two more probes in a row must say the same (SECS:
#                            10 by default, 3 once the script has a failure)
#   policy_reason NAME NS    the reason of the policy's Ready condition (Applied, PoolExhausted..)
#   holders ADDR             the nodes (of n1..n3) whose eth0 is up and carries ADDR ("n2 n3")
#   held_only_by ADDR "NODES"   holders ADDR is exactly NODES
#   label_gateways NODE...   the gateway label on exactly these nodes (of n1..n3)
# The EIPs used by the scripts lie inside the lab's eipPool (172.18.0.200-250,
# fd00:18::200-250), on the underlay's link: external hosts reach them directly. Pool ranges
# stay inside one decade (x0-x9) so that the IPv4 and IPv6 ranges hold as many addresses.

egress_families() {
  case $1 in
    ipv4) families=(4) ;;
    ipv6) families=(6) ;;
    dual) families=(4 6) ;;
    *) echo "unknown family $1"; exit 2 ;;
  esac
}

eg() { "$egret" --lab "$lab" "$@"; }

apply() { must "apply $1" eg apply -f -; }

eip() { if [[ $2 == 4 ]]; then echo "172.18.0.$1"; else echo "fd00:18::$1"; fi; }

pools_yaml() {
  local f parts=()
  for f in "${families[@]}"; do parts+=("ipv$f: [$(eip "$1" "$f")-$(eip "$2" "$f")]"); done
  local IFS=,
  echo "{${parts[*]}}"
}

eip_yaml() {
  local f parts=()
  for f in "${families[@]}"; do parts+=("ipv$f: $(eip "$1" "$f")"); done
  local IFS=,
  echo "{${parts[*]}}"
}

cidr_of() { if [[ $1 == *:* ]]; then echo "$1/128"; else echo "$1/32"; fi; }

refresh_status() { st=$(l status -o json); }
st=""
_addr_of() {  # _addr_of JQ_LIST_FILTER FAMILY
  [[ -n $st ]] || refresh_status
  family_addr "$(jq -c "$1" <<<"$st")" "$2"
}
node_addr() { _addr_of ".nodes[] | select(.name == \"$1\") | .addresses" "$2"; }
ext_addr() { _addr_of ".externals[] | select(.name == \"$1\") | .addresses" "$2"; }
pod_addr() {
  _addr_of ".pods[] | select(.namespace + \"/\" + .name == \"$1\") | .addresses" "$2"
}

_policy_json() {  # _policy_json NAME NS
  if [[ -n $2 ]]; then eg get egp "$1" -n "$2" -o json; else eg get egcp "$1" -o json; fi
}
policy_eip() { _policy_json "$1" "$2" | jq -r ".status.eip.ipv$3 // \"\""; }
policy_node() { _policy_json "$1" "$2" | jq -r '.status.node // ""'; }
# policy_ready NAME NS: the status has an EIP per family in use (a useNodeIP policy: a node).
policy_ready() {
  local j f
  j=$(_policy_json "$1" "$2") || return 1
  if [[ $(jq -r .spec.egressIP.useNodeIP <<<"$j") == true ]]; then
    [[ -n $(jq -r '.status.node // ""' <<<"$j") ]]
    return
  fi
  for f in "${families[@]}"; do
    [[ -n $(jq -r ".status.eip.ipv$f // \"\"" <<<"$j") ]] || return 1
  done
}
# wait_policies NAME[@NS]...: each policy_ready within 10 s (no @NS: the cluster kind).
wait_policies() {
  local p
  for p in "$@"; do
    if [[ $p == *@* ]]; then
      wait_for "policy ${p/@/ in } has its EIPs in status" 10 policy_ready "${p%@*}" "${p#*@}"
    else
      wait_for "EgressClusterPolicy $p has its EIPs in status" 10 policy_ready "$p" ""
    fi
  done
}

seen() {
  local r
  r=$(l probe "$1" "$2" --proto "$4" --port 80 --family "$3" --timeout-ms 1000 -o json \
    2>&1) || { echo "-"; return; }
  jq -r 'if .connected then .source else "-" end' <<<"$r" 2>/dev/null || echo "-"
}

expect_src() {
  local desc=$1 from=$2 to=$3 fam=$4 proto=$5 want=$6 secs=${7:-10}
  # Once something failed, later waits are short: a broken datapath should not take minutes.
  ((failures && secs > 3)) && secs=3
  local deadline=$(($(now_ms) + secs * 1000)) got
  if [[ -z $want ]]; then
    fail "$desc: nothing to expect (no address known for IPv$fam)"
    return 1
  fi
  while true; do
    got=$(seen "$from" "$to" "$fam" "$proto")
    [[ $got == "$want" ]] && break
    if (($(now_ms) >= deadline)); then
      fail "$desc: $proto IPv$fam $from -> $to: the host saw ${got/#-/no answer}, want $want" \
        "(waited $secs s)"
      return 1
    fi
    sleep 0.1
  done
  for _ in 1 2; do
    got=$(seen "$from" "$to" "$fam" "$proto")
    # A UDP datagram may be lost without anything being wrong (no retransmission): one
    # unanswered UDP probe is asked again. Another source than the one expected never passes.
    [[ $proto == udp && $got == - ]] && got=$(seen "$from" "$to" "$fam" "$proto")
    if [[ $got != "$want" ]]; then
      fail "$desc: $proto IPv$fam $from -> $to: the host saw $want, then ${got/#-/no answer}"
      return 1
    fi
  done
}

# policy_reason NAME NS: the reason of the policy's Ready condition ("Applied" when in force).
policy_reason() {
  _policy_json "$1" "$2" | jq -r '[.status.conditions[]? | select(.type == "Ready")][0].reason
                                   // ""'
}

holders() {
  local n out=()
  for n in n1 n2 n3; do
    l exec "$n" -- ip -j addr show dev eth0 up |
      jq -e --arg a "$1" 'any(.[].addr_info[]; .local == $a)' >/dev/null && out+=("$n")
  done
  echo "${out[*]}"
}
held_only_by() { [[ $(holders "$1") == "$2" ]]; }

label_gateways() {
  local n want
  for n in n1 n2 n3; do
    want="kubernetes.io/hostname=$n,kubernetes.io/os=linux"
    [[ " $* " == *" $n "* ]] && want+=",egret.io/gateway=true"
    must "label $n" l node label "$n" "$want" || return 1
  done
}
