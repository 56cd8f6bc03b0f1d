#!/usr/bin/env bash
# deps.sh: installs the Debian packages c10k needs (as root), or says exactly
# what to install. Used by run_all.sh, run_tests.sh and .ci/run.
#   scripts/deps.sh [--check]   exit 0 when everything is there
set -euo pipefail

PACKAGES=(
  meson ninja-build pkg-config gcc clang
  libuv1-dev liburing-dev libjansson-dev libcmocka-dev zlib1g-dev
  gnuplot-nox wrk nginx-light apache2-utils curl
  python3 python3-uvloop libclang-rt-14-dev valgrind procps time strace chromium
  iproute2 openssh-client openssh-server
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "${1:-}" = "--check" ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "c10k needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# openssh-server is here for the sshd of scripts/netns-lab.sh's test hosts
# only: a system sshd that its install enabled and started (systemd) is
# stopped and disabled again, so that installing c10k opens no port.
if [[ " ${missing[*]} " == *" openssh-server "* ]] && command -v systemctl >/dev/null \
   && [ -d /run/systemd/system ]; then
  systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
  echo "openssh-server installed for the lab's own sshd; the system ssh service stays off" \
       "(systemctl enable --now ssh to use it)" >&2
fi
