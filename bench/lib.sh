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
