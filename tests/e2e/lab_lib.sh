# Shared by the `egret lab` end-to-end scripts (sourced, not run). Gives each script:
#   lab_begin EGRET TAG   skip (77) unless root and jq; a lab name unique to this run; a trap
#                         that tears the lab down, asserts nothing is left and sets the exit code
#   l ARGS...             egret lab --name $lab ARGS...
#   fail / must           record a failure / run a command that must succeed (output in $out)
#   wait_for DESC SECONDS CMD...   run CMD until it succeeds, up to a deadline
#   check_matrix PROTO N [FAMILY]  every pod reaches every pod (an N x N matrix, all true)
#   family_addr JSON_LIST 4|6      the first address of that family in a JSON list
# Waiting is always for a condition with a deadline, never a fixed sleep.

failures=0
lab=""
lab_created=0
exit_hooks=()  # functions lab_finish calls first (e.g. to stop a background loop)

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# must NAME CMD...: the command succeeds; its output (stdout and stderr) is left in $out.
must() {
  local name=$1
  shift
  if ! out=$("$@" 2>&1); then
    fail "$name"
    local lines
    mapfile -t lines <<<"$out"
    printf '  | %s\n' "${lines[@]}"
    return 1
  fi
}

l() { "$egret" lab --name "$lab" "$@"; }

now_ms() { date +%s%3N; }

# wait_for DESC SECONDS CMD...: runs CMD until it exits 0; fails DESC after SECONDS. Between
# attempts a short pause keeps a fast-failing CMD from spinning (the deadline is the bound).
wait_for() {
  local desc=$1 secs=$2
  shift 2
  local deadline=$(($(now_ms) + secs * 1000))
  while true; do
    "$@" >/dev/null 2>&1 && return 0
    if (($(now_ms) >= deadline)); then
      fail "$desc (not within $secs s)"
      return 1
    fi
    sleep 0.1
  done
}

# probe_is FROM TO WANT [ARGS...]: one TCP probe to port 80 whose `connected` is WANT.
probe_is() {
  local from=$1 to=$2 want=$3
  shift 3
  [[ $(l probe "$from" "$to" --proto tcp --port 80 --timeout-ms 500 "$@" -o json |
    jq -r .connected) == "$want" ]]
}

# family_addr JSON_LIST 4|6: the first address of that family ("" when there is none).
family_addr() {
  local sel='test(":") | not'
  [[ $2 == 6 ]] && sel='test(":")'
  jq -r "[.[] | select($sel)][0] // \"\"" <<<"$1"
}

# check_matrix PROTO N [FAMILY]: the all-pods matrix has N x N entries, every one true.
check_matrix() {
  local proto=$1 n=$2 fam=${3:-} args=() matrix bad count what
  [[ -n $fam ]] && args=(--family "$fam")
  what="$proto${fam:+ IPv$fam}"
  if ! matrix=$(l probe-matrix --proto "$proto" --port 80 --timeout-ms 2000 "${args[@]}" -o json)
  then
    fail "$what matrix did not run"
    return
  fi
  count=$(jq '[.[] | length] | add // 0' <<<"$matrix")
  [[ $count == $((n * n)) ]] || fail "$what matrix has $count entries, want $((n * n))"
  bad=$(jq -r 'to_entries[] | .key as $f | .value | to_entries[] | select(.value != true) |
               "\($f)->\(.key)"' <<<"$matrix" | tr '\n' ' ')
  [[ -z $bad ]] || fail "$what matrix: unreachable pairs: $bad"
}

# Tears the lab down and asserts that nothing of it is left: no namespace, no recorded process
# alive, no directory.
teardown() {
  local state="/run/egret/lab/$lab/state.json" procs="" left pid ticks
  # "PID START_TICKS" of every process the lab recorded.
  [[ -r $state ]] && procs=$(jq -r '[.controller] + [.nodes[].agent] + [.externals[].server] +
    [.pods[].server] | map(select(.pid > 0)) | .[] | "\(.pid) \(.startTicks)"' "$state")
  if ((failures)) && [[ -d /run/egret/lab/$lab/logs ]]; then
    local keep="${TMPDIR:-/tmp}/$lab-logs"
    rm -rf "$keep" && cp -r "/run/egret/lab/$lab/logs" "$keep" && echo "logs kept in $keep"
  fi
  must "lab down" l down
  left=$(ip netns list | awk '{print $1}' | grep -E "^$lab-" | tr '\n' ' ')
  [[ -z $left ]] || fail "namespaces left after down: $left"
  while read -r pid ticks; do
    # The same process (PID and start time) still alive; exited processes may stay zombies
    # until their parent (init) reaps them: dead all the same.
    if [[ -n $pid && -r /proc/$pid/stat ]] &&
      [[ $(awk '{print $22 " " $3}' "/proc/$pid/stat" 2>/dev/null) == "$ticks "[^Z] ]]; then
      fail "process $pid survived down: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
    fi
  done <<<"$procs"
  [[ ! -e /run/egret/lab/$lab ]] || fail "/run/egret/lab/$lab remains"
}

lab_finish() {
  local rc=$?
  trap - EXIT INT TERM
  ((rc == 77)) && exit 77
  local hook
  for hook in "${exit_hooks[@]}"; do "$hook"; done
  ((lab_created)) && teardown
  if ((failures)); then
    echo "$failures failure(s) in lab $lab"
    exit 1
  fi
  ((rc)) && exit "$rc"
  echo "PASS ($SECONDS s)"
  exit 0
}

# lab_begin EGRET TAG: TAG (lower-case letters and digits) names the variant, so that the lab
# name — "e2e<pid><tag>", at most 32 characters, no '-' so it never overlaps another lab's —
# is unique to this run.
lab_begin() {
  egret=$1
  if [[ $(id -u) != 0 ]]; then
    echo "SKIP: needs root (creates network namespaces)"
    exit 77
  fi
  if ! command -v jq >/dev/null; then
    echo "SKIP: needs jq"
    exit 77
  fi
  lab="e2e$$$2"
  trap lab_finish EXIT
  trap 'exit 1' INT TERM
}

# lab_up ARGS...: `lab up ARGS`; the lab is torn down on exit from here on.
lab_up() {
  lab_created=1
  must "lab up $*" l up "$@"
}
