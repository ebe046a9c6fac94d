#!/usr/bin/env bash
# End to end: an agent restart does not interrupt pod traffic. While `egret lab node
# restart-agent n1` runs (SIGTERM, exit, start, ready, first reconcile), rounds of TCP probes
# with a short timeout keep running — same node on n1, n1 -> n3, n2 -> n1, and out of n1 to an
# external host (masquerade) — and every single probe must connect. Afterwards the agent has a
# new PID and n1's datapath was left in place (its egret* links — bridge, VXLAN, pods' veths —
# keep their ifindex; routes and permanent neighbours are the same).
# Usage: lab_restart_test.sh EGRET_BINARY ipv4|ipv6|dual encap|noencap   (root; 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/lab_lib.sh"
family=$2
mode=$3
lab_begin "$1" "r${family}${mode}"
work=$(mktemp -d "${TMPDIR:-/tmp}/egret-restart.XXXXXX")
loop_pid=""
stop_loop() {
  touch "$work/stop"
  [[ -n $loop_pid ]] && wait "$loop_pid" 2>/dev/null
  loop_pid=""
}
remove_work() { rm -rf "$work"; }
exit_hooks+=(stop_loop remove_work)

lab_up --nodes 3 --ip-family "$family" --mode "$mode" || exit 1
must "ns add" l ns add team || exit 1
for spec in team/a:n1 team/b:n1 team/c:n2 team/d:n3; do
  must "pod add ${spec%%:*}" l pod add "${spec%%:*}" --node "${spec##*:}" --serve tcp:80 || exit 1
done
must "ext add" l ext add out --serve tcp:80 || exit 1

agent_pid() { l status -o json | jq -r '.nodes[] | select(.name=="n1") | .agent.pid'; }
# What of n1's datapath must survive, as the kernel lists it: Egret's links (bridge, VXLAN,
# pods' host veths) with their ifindex, the main routing tables, the permanent neighbours.
datapath() {
  l exec n1 -- ip -j link show |
    jq -c '[.[] | select(.ifname | startswith("egret")) | {ifname, ifindex}] | sort_by(.ifname)'
  for f in -4 -6; do
    l exec n1 -- ip "$f" -j route show table main | jq -c 'sort_by(.dst, .dev)'
  done
  l exec n1 -- ip -j neigh show nud permanent | jq -c 'sort_by(.dst)'
}

old_pid=$(agent_pid)
old_ticks=$(jq -r '.nodes[] | select(.name=="n1") | .agent.startTicks' \
  "/run/egret/lab/$lab/state.json")
before=$(datapath)
# egret0, the host veths of a and b, and egret.vxlan in encap mode.
want_links=3
[[ $mode == encap ]] && want_links=4
[[ $(head -1 <<<"$before" | jq length) == "$want_links" ]] ||
  fail "n1 should have $want_links Egret links before the restart: $(head -1 <<<"$before")"

# The probe loop: rounds of 6 TCP probes in parallel (a and c to b, d and the external host),
# each round one line "START_MS END_MS FAMILY MATRIX"; bounded by a stop file and a 120 s
# deadline.
# In a dual-stack lab the rounds alternate between the families.
fams=("")
[[ $family == dual ]] && fams=(4 6)
(
  deadline=$(($(now_ms) + 120000))
  i=0
  while [[ ! -e $work/stop ]] && (($(now_ms) < deadline)); do
    fam=${fams[$((i % ${#fams[@]}))]}
    i=$((i + 1))
    start=$(now_ms)
    raw=$(l probe-matrix --proto tcp --port 80 --timeout-ms 300 --from team/a,team/c \
      --to team/b,team/d,ext:out ${fam:+--family "$fam"} -o json 2>&1)
    m=$(jq -c . <<<"$raw" 2>/dev/null) || m="not-json:$(tr '\n' ' ' <<<"$raw")"
    echo "$start $(now_ms) ${fam:-any} $m" >>"$work/rounds"
  done
) &
loop_pid=$!
rounds() { [[ -e $work/rounds ]] && wc -l <"$work/rounds" || echo 0; }
rounds_at_least() { (($(rounds) >= $1)); }

wait_for "the probe loop runs" 30 rounds_at_least 3
restart_start=$(now_ms)
must "node restart-agent n1" l node restart-agent n1
restart_end=$(now_ms)
echo "restart-agent took $((restart_end - restart_start)) ms: $out"
[[ $out != *warning* ]] || fail "the agent did not stop on SIGTERM: $out"
# Probe on a while after the new agent reconciled: rounds that start after the restart ended.
after_rounds() { awk -v t="$restart_end" '$1 > t' "$work/rounds" | wc -l; }
after_at_least() { (($(after_rounds) >= $1)); }
wait_for "probe rounds after the restart" 30 after_at_least 5
stop_loop

# Every probe of every round connected; some rounds ran while the agent was restarting.
total=$(rounds)
during=$(awk -v s="$restart_start" -v e="$restart_end" '$2 >= s && $1 <= e' "$work/rounds" |
  wc -l)
echo "probe rounds: $total in all, $during during the restart (6 probes each)"
((during >= 1)) || fail "no probe round overlapped the restart window"
while read -r start _ fam m; do
  bad=$(jq -r 'to_entries[] | .key as $f | .value | to_entries[] | select(.value != true) |
               "\($f)->\(.key)"' <<<"$m" 2>/dev/null | tr '\n' ' ')
  count=$(jq '[.[] | length] | add // 0' <<<"$m" 2>/dev/null)
  if [[ -n $bad || $count != 6 ]]; then
    fail "round at +$((start - restart_start)) ms (family $fam): failed $bad ($m)"
  fi
done <"$work/rounds"

new_pid=$(agent_pid)
[[ -n $new_pid && $new_pid != "$old_pid" ]] || fail "agent PID $old_pid -> $new_pid: not restarted"
[[ $(l status -o json | jq -r '.nodes[] | select(.name=="n1") | .agent.running') == true ]] ||
  fail "n1's agent does not run after the restart"
# (Same PID and start time, not a zombie: the old agent itself, still running.)
if [[ -r /proc/$old_pid/stat ]] &&
  [[ $(awk '{print $22 " " $3}' "/proc/$old_pid/stat") == "$old_ticks "[^Z] ]]; then
  fail "the old agent $old_pid still runs"
fi
after=$(datapath)
[[ $after == "$before" ]] || fail "n1's datapath changed across the restart:
before: $before
after:  $after"
