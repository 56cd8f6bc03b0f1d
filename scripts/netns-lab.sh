#!/usr/bin/env bash
# netns-lab.sh: a lab of test hosts on one machine for multi-host c10k runs:
# network namespaces (a server host and N load hosts) on a bridge with private
# addresses from 198.18.0.0/15 (RFC 2544, the benchmarking range) and ULA IPv6
# ones (fd00:198:18:K::/64, the IPv4 /24's numbers), each with its own sshd and
# a key made for the lab. Needs root and `ip netns`.
#   scripts/netns-lab.sh up [--load-hosts N] [--delay 1ms] [--name NAME]
#       prints the hosts as ssh:// URLs, one per line, the server first
#   scripts/netns-lab.sh down [--name NAME]     removes all of it (idempotent)
#   scripts/netns-lab.sh config [--name NAME]   prints the lab's ssh config file
#   scripts/netns-lab.sh hosts [--ipv6] [--name NAME]  the URLs of a lab that is up
#       (--ipv6: by their IPv6 addresses, ssh://root@[fd00:...])
# Use the hosts: export C10K_SSH_CONFIG=$(scripts/netns-lab.sh config)
# Traffic stays inside the lab: the namespaces have no default route, only
# the lab's /24 and /64; the bridge has no port outside the lab.
set -euo pipefail

LAB_ROOT=${C10K_LAB_ROOT:-/run/c10k-lab}
name=c10k nload=2 delay="" cmd="" ipv6=0

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

die() { echo "netns-lab.sh: $*" >&2; exit 1; }

parse() {
  [ $# -gt 0 ] || { usage >&2; exit 2; }
  cmd=$1; shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --load-hosts) nload=${2:?--load-hosts needs a count}; shift ;;
      --delay) delay=${2:?--delay needs a time such as 1ms}; shift ;;
      --name) name=${2:?--name needs a name}; shift ;;
      --ipv6) ipv6=1 ;;
      -h|--help) usage; exit 0 ;;
      *) echo "netns-lab.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
  done
  [[ $name =~ ^[a-z0-9]{1,6}$ ]] || die "--name: 1 to 6 of [a-z0-9] (it names interfaces)"
  [[ $nload =~ ^[0-9]+$ ]] && [ "$nload" -ge 1 ] && [ "$nload" -le 16 ] \
    || die "--load-hosts: 1 to 16"
  [ -z "$delay" ] || [[ $delay =~ ^[0-9]+(\.[0-9]+)?(us|ms|s)$ ]] \
    || die "--delay: a time such as 500us or 1ms"
  LAB="$LAB_ROOT/$name"
  BR="c10kb-$name"
}

ns_name() { echo "c10k-$name-$1"; }          # srv, l1, l2...
host_tags() { local i; echo srv; for ((i = 1; i <= nload; i++)); do echo "l$i"; done; }

# A /24 of 198.18.0.0/15 that nothing on this machine routes or holds.
pick_subnet() {
  local k net
  for ((k = 200; k < 456; k++)); do
    net="198.$((18 + k / 256)).$((k % 256))"
    [ -z "$(ip -4 -o addr show to "$net.0/24")" ] || continue
    [ -z "$(ip -4 route show root "$net.0/24" table all)" ] || continue
    ip -4 route show match "$net.0/24" table all | grep -qv '^\(default\|unreachable\|local\|broadcast\)' \
      && continue
    net6_taken "$(net6_of "$net")" && continue
    echo "$net"
    return 0
  done
  return 1
}

# The lab's ULA /64 from its IPv4 /24 (198.18.200 -> fd00:198:18:200).
net6_of() { local IFS=.; set -- $1; echo "fd00:$1:$2:$3"; }

# Whether anything on this machine holds or routes that /64 already.
net6_taken() {
  [ -n "$(ip -6 -o addr show to "$1::/64" 2>/dev/null)" ] \
    || [ -n "$(ip -6 route show root "$1::/64" table all 2>/dev/null)" ]
}

ipv6_off() { # $1 = netns or "" (the root namespace), $2 = interface or all/default
  local p="net.ipv6.conf.$2.disable_ipv6=1"
  if [ -n "$1" ]; then ip netns exec "$1" sysctl -qw "$p" 2>/dev/null || true
  else sysctl -qw "$p" 2>/dev/null || true; fi
}

make_keys() {
  ssh-keygen -q -t ed25519 -N '' -C "c10k-lab-$name" -f "$LAB/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C "c10k-lab-$name-host" -f "$LAB/host_ed25519"
  cp "$LAB/id_ed25519.pub" "$LAB/authorized_keys"
  chmod 600 "$LAB/authorized_keys"
}

write_sshd_config() {
  cat > "$LAB/sshd_config" <<EOF
# sshd of the c10k lab '$name' (scripts/netns-lab.sh); one per namespace
HostKey $LAB/host_ed25519
AuthorizedKeysFile $LAB/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
MaxSessions 64
ClientAliveInterval 2
ClientAliveCountMax 3
MaxStartups 64:30:128
Subsystem sftp internal-sftp
EOF
}

write_ssh_config() {
  local net=$1
  cat > "$LAB/ssh_config" <<EOF
# ssh client config of the c10k lab '$name': give it to c10k with
#   export C10K_SSH_CONFIG=$LAB/ssh_config
Host $net.* $(net6_of "$net")::*
  User root
  IdentityFile $LAB/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $LAB/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
  LogLevel ERROR
EOF
}

# One host: namespace, veth onto the bridge, address, netem, pinned sshd.
add_host() {
  local tag=$1 addr=$2 cpu=$3 addr6=$4 ns veth
  ns=$(ns_name "$tag")
  veth="v$name$tag"
  ip netns add "$ns"
  # IPv6: the lab's /64 only (no router advertisements taken, no default route)
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
  ip link add "$veth" type veth peer name "${veth}p"
  ipv6_off "" "$veth"
  ip link set "${veth}p" netns "$ns"
  ip -n "$ns" link set "${veth}p" name eth0
  ip link set "$veth" master "$BR" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" addr add "$addr6/64" dev eth0 nodad
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  if [ -n "$delay" ]; then
    ip netns exec "$ns" tc qdisc add dev eth0 root netem delay "$delay" limit 100000 \
      || die "--delay: tc netem failed on $ns"
  fi
  # nsenter --net, not `ip netns exec`: the host keeps the machine's /sys
  # (cgroups), only its network is the namespace's
  nsenter --net="/run/netns/$ns" taskset -c "$cpu" /usr/sbin/sshd -f "$LAB/sshd_config" \
    -o "ListenAddress=$addr" -o "ListenAddress=$addr6" -o "PidFile=$LAB/sshd-$tag.pid" \
    -E "$LAB/sshd-$tag.log"
  echo "$addr,$addr6 $(cut -d' ' -f1-2 "$LAB/host_ed25519.pub")" >> "$LAB/known_hosts"
  echo "ssh://root@$addr" >> "$LAB/hosts"
  echo "ssh://root@[$addr6]" >> "$LAB/hosts6"
}

# The server host on CPU 0, the load hosts on the last CPU: the same split as
# a co-located run (every sshd, and what it starts, inherits its CPU).
host_cpu() {
  local last=$(($(nproc) - 1))
  [ "$1" = srv ] && echo 0 || echo "$last"
}

wait_sshd() {
  local url addr i
  while read -r url; do
    addr=${url#ssh://root@}
    addr=${addr#[}
    addr=${addr%]}
    for ((i = 0; i < 50; i++)); do
      ssh -F "$LAB/ssh_config" "$addr" true 2>/dev/null && break
      sleep 0.1
    done
    [ "$i" -lt 50 ] || die "sshd on $addr does not answer (see $LAB/sshd-*.log)"
  done < <(cat "$LAB/hosts" "$LAB/hosts6")
}

# --delay needs the kernel's netem qdisc: tried on the loopback of a network
# namespace that ends with the command, before anything of the lab is made.
netem_check() {
  local err
  err=$(unshare -n sh -c "tc qdisc add dev lo root netem delay $delay" 2>&1) && return 0
  die "--delay: this kernel has no netem qdisc (sch_netem, CONFIG_NET_SCH_NETEM; tc: ${err:-failed}):" \
    "no delay can be added here; run 'up' without --delay (nothing was made)"
}

lab_up() {
  local net tag i=2
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
  ip netns list >/dev/null 2>&1 || die "ip netns is not available"
  [ -z "$delay" ] || netem_check
  [ -x /usr/sbin/sshd ] || die "no /usr/sbin/sshd (apt-get install openssh-server)"
  [ ! -e "$LAB" ] || die "lab '$name' is up already ($LAB); 'down --name $name' first"
  mkdir -p "$LAB_ROOT" /run/sshd
  exec 9> "$LAB_ROOT/.lock"
  flock 9
  net=$(pick_subnet) || die "no free /24 in 198.18.0.0/15"
  mkdir -m 700 "$LAB"
  trap 'rc=$?; [ $rc = 0 ] || lab_down >/dev/null 2>&1; exit $rc' EXIT
  echo "$nload" > "$LAB/load_hosts"
  echo "$net" > "$LAB/subnet"
  make_keys
  write_sshd_config
  write_ssh_config "$net"
  ip link add "$BR" type bridge
  sysctl -qw "net.ipv6.conf.$BR.accept_ra=0" 2>/dev/null || true
  ip addr add "$net.1/24" dev "$BR"
  ip addr add "$(net6_of "$net")::1/64" dev "$BR" nodad
  ip link set "$BR" up
  for tag in $(host_tags); do
    add_host "$tag" "$net.$i" "$(host_cpu "$tag")" "$(net6_of "$net")::$i"
    i=$((i + 1))
  done
  wait_sshd
  trap - EXIT
  cat "$LAB/hosts"
}

# Kills a pid only when it is one of the lab's (its cmdline names the lab).
kill_lab_pid() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 0
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$LAB/sshd_config" && kill "$pid" 2>/dev/null
  return 0
}

# Waits (at most 2 s) until these pids have exited (an exited daemon may stay
# a zombie until pid 1 reaps it: that counts as exited).
wait_gone() {
  local p i
  [ $# -gt 0 ] || return 0
  for ((i = 0; i < 100; i++)); do
    for p in "$@"; do
      grep -qs '^State:[[:space:]]*[^Z]' "/proc/$p/status" && break
    done || return 0
    sleep 0.02
  done
}

lab_down() {
  local f ns pid n pids=()
  for f in "$LAB"/sshd-*.pid; do
    [ -f "$f" ] || continue
    pids+=("$(cat "$f")")
    kill_lab_pid "${pids[-1]}"
  done
  n=$(cat "$LAB/load_hosts" 2>/dev/null || echo 16)
  nload=$n
  for tag in $(host_tags); do
    ns=$(ns_name "$tag")
    ip netns list 2>/dev/null | grep -q "^$ns\b" || continue
    # what ran inside the lab's namespaces was started through the lab
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  wait_gone "${pids[@]}"
  ip link del "$BR" 2>/dev/null || true
  rm -rf "$LAB"
}

parse "$@"
case "$cmd" in
  up) lab_up ;;
  down) lab_down ;;
  config) [ -f "$LAB/ssh_config" ] || die "lab '$name' is not up"; echo "$LAB/ssh_config" ;;
  hosts) [ -f "$LAB/hosts" ] || die "lab '$name' is not up"
    if [ "$ipv6" = 1 ]; then cat "$LAB/hosts6"; else cat "$LAB/hosts"; fi ;;
  -h|--help|help) usage ;;
  *) echo "netns-lab.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
esac
