# shellcheck shell=bash
# Helpers shared by the benchmarks in bench/: sourced, never run. Each function's contract is
# in the comment above it. Reference: docs/reference/bench.md.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_log() { printf '%s\n' "$*" >&2; }
bench_die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# Benchmarks build labs out of network namespaces: root only.
bench_require_root() {
  [[ $(id -u) -eq 0 ]] || bench_die "run as root (the benchmarks create network namespaces)"
}

# Installs the Debian packages given that are missing; changes nothing (and needs no network)
# when all are present.
bench_install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  bench_log "bench: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Sets EGRET to the egret binary to measure. EGRET_BIN, when set, names that binary or the
# directory holding it; otherwise Egret is built (RelWithDebInfo, in build-bench; ninja's jobs
# from EGRET_BUILD_JOBS, default all cores). Either way egret-cni must sit beside egret: the
# lab runs the CNI plugin from there.
bench_find_egret() {
  if [[ -n "${EGRET_BIN:-}" ]]; then
    EGRET="$EGRET_BIN"
    [[ -d "$EGRET" ]] && EGRET="$EGRET/egret"
  else
    "$BENCH_ROOT/scripts/install-deps.sh"
    local build="$BENCH_ROOT/build-bench"
    export CCACHE_BASEDIR="$BENCH_ROOT"
    cmake -S "$BENCH_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    ninja -C "$build" -j "${EGRET_BUILD_JOBS:-$(nproc)}" egret egret-cni >&2
    EGRET="$build/bin/egret"
  fi
  [[ -x "$EGRET" ]] || bench_die "EGRET_BIN: no executable egret at \"$EGRET\""
  [[ -x "$(dirname "$EGRET")/egret-cni" ]] ||
    bench_die "no executable egret-cni beside \"$EGRET\" (the lab runs the CNI plugin from there)"
  EGRET="$(cd "$(dirname "$EGRET")" && pwd)/$(basename "$EGRET")"
}

# Prints the median of the numbers given (the mean of the middle two for an even count).
bench_median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) exit 1
          if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]
          else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One line of facts about this machine and run, for the record beside the numbers.
bench_machine_facts() {
  local cpu iperf
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  iperf=$(iperf3 --version 2>/dev/null | head -n1 | cut -d' ' -f1-2)
  printf 'date %s | nproc %s | kernel %s | cpu %s | load %s | %s\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" "$(uname -r)" "${cpu:-unknown}" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$iperf"
}

# Whether IPv4 address $1 lies in CIDR $2 (e.g. 10.244.0.0/16). False for anything else.
bench_ipv4_in_cidr() {
  local ip=$1 net=${2%/*} len=${2#*/}
  [[ $ip =~ ^[0-9]+(\.[0-9]+){3}$ && $net =~ ^[0-9]+(\.[0-9]+){3}$ && $len =~ ^[0-9]+$ ]] ||
    return 1
  ((len <= 32)) || return 1
  local a b c d n m
  IFS=. read -r a b c d <<< "$ip"
  n=$(((a << 24) | (b << 16) | (c << 8) | d))
  IFS=. read -r a b c d <<< "$net"
  m=$(((a << 24) | (b << 16) | (c << 8) | d))
  local mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
  (((n & mask) == (m & mask)))
}

# ---- labs and iperf3 (for the benchmarks that build labs) ----
# bench_lab_setup: a work directory, the lists of labs and iperf3 servers to clean up, and the
# traps that clean up on exit, also on failure or Ctrl-C. Callers set LAB (the current lab),
# PORT and SECONDS_PER_RUN before using lab / measure.
bench_lab_setup() {
  WORK=$(mktemp -d /tmp/egret-bench.XXXXXX)
  LABS=()      # every lab this run may have created (recorded before `up`)
  PIDFILES=()  # iperf3 servers' pid files
  CLEANUP_HOOKS=()  # functions cleanup runs first
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}


lab() { "$EGRET" lab --name "$LAB" "$@"; }

# Stops an iperf3 server of ours: only the PID its pid file names, and only while it is iperf3.
stop_server() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == iperf3 ]] || return 0
  kill "$pid" 2>/dev/null || true
}

# Tears a lab down and checks that nothing named after it remains. Returns 1 if something does.
teardown() {
  local name=$1 left
  "$EGRET" lab down --name "$name" >/dev/null 2>&1 || bench_log "bench: lab down $name failed"
  left=$(find /run/netns -maxdepth 1 -name "$name-*" -printf '%f ' 2>/dev/null || true)
  [[ -e /run/egret/lab/$name ]] && left+="/run/egret/lab/$name "
  # The lab's processes (controller, agents, probe servers) name its directory in their argv
  # ("[/]" keeps this grep from matching its own argv).
  left+=$(grep -ls "/run/egret/lab/${name}[/]" /proc/[0-9]*/cmdline | cut -d/ -f3 |
    sed 's/^/process /' | tr '\n' ' ' || true)
  if [[ -n $left ]]; then
    bench_log "bench: error: lab $name left behind: $left"
    return 1
  fi
}

cleanup() {
  local rc=$? f name hook
  trap - EXIT INT TERM
  for hook in "${CLEANUP_HOOKS[@]}"; do "$hook" || true; done
  for f in "${PIDFILES[@]}"; do stop_server "$f"; done
  for name in "${LABS[@]}"; do teardown "$name" || rc=1; done
  rm -rf "$WORK"
  exit "$rc"
}

# Waits (deadline 10 s) until a TCP socket listens on PORT in endpoint $1's namespace.
wait_listening() {
  local deadline=$((SECONDS + 10))
  until [[ -n $(lab exec "$1" -- ss -Hltn "sport = :$PORT" 2>/dev/null) ]]; do
    ((SECONDS < deadline)) || bench_die "lab $LAB: no iperf3 server listening in $1 after 10 s"
    sleep 0.05
  done
}

# Waits (deadline 5 s) for a one-off server to exit after its test; stops it otherwise.
wait_server_gone() {
  local deadline=$((SECONDS + 5)) pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  while [[ -d /proc/$pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == iperf3 ]]; do
    if ((SECONDS >= deadline)); then stop_server "$1"; return 0; fi
    sleep 0.05
  done
}

# Sets MEASURED to the Gbit/s received by a one-off iperf3 server in endpoint $1 bound to
# address $3, sent by a client in endpoint $2 for SECONDS_PER_RUN. $3 is one of the lab's own
# addresses (checked by the caller), so no traffic can leave the lab.
measure() {
  local server=$1 client=$2 target=$3 tag="${LAB}-${#PIDFILES[@]}"
  local pidfile="$WORK/$tag.pid" out="$WORK/$tag.json"
  PIDFILES+=("$pidfile")
  lab exec "$server" -- iperf3 -s -1 -D -p "$PORT" -B "$target" -I "$pidfile" \
    --logfile "$WORK/$tag.server.log" || bench_die "lab $LAB: iperf3 server in $server failed"
  wait_listening "$server"
  timeout $((SECONDS_PER_RUN + 30)) "$EGRET" lab --name "$LAB" exec "$client" -- \
    iperf3 -c "$target" -p "$PORT" -t "$SECONDS_PER_RUN" -J --connect-timeout 3000 >"$out" ||
    bench_die "lab $LAB: iperf3 $client → $target failed:" \
      "$(jq -r '.error // empty' "$out" 2>/dev/null)"
  wait_server_gone "$pidfile"
  jq -e '.end.sum_received.bits_per_second' "$out" >/dev/null ||
    bench_die "lab $LAB: iperf3 $client → $target: no result in its JSON output"
  MEASURED=$(jq -r '.end.sum_received.bits_per_second / 1e9 | . * 100 | round / 100' "$out")
}


# Exits unless $1 lies in one of the CIDRs the jq path $2 lists in the lab's status ($STATUS).
require_in_lab() {
  local cidr
  for cidr in $(jq -r "$2[]" <<< "$STATUS"); do bench_ipv4_in_cidr "$1" "$cidr" && return 0; done
  bench_die "lab $LAB: target $1 is not in the lab's $2 ($(jq -c "$2" <<< "$STATUS"))"
}

