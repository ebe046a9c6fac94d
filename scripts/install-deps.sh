#!/usr/bin/env bash
# Installs what Egret needs to build and test, from Debian 12's packages. Idempotent: when
# everything is present it changes nothing and needs no network. Run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libyaml-dev libsqlite3-dev libnftables-dev
  libgtest-dev libgmock-dev googletest
  iproute2 procps jq
  iptables ipset  # only tests and benches use them: foreign rules, the reference datapath
)
# Optional extras a caller can ask for: EGRET_EXTRA_PACKAGES="clang libclang-rt-14-dev".
if [[ -n "${EGRET_EXTRA_PACKAGES:-}" ]]; then
  read -r -a extra <<< "${EGRET_EXTRA_PACKAGES}"
  packages+=("${extra[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
