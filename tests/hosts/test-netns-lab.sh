#!/usr/bin/env bash
# test-netns-lab: scripts/netns-lab.sh brings up a server host and two load
# hosts (network namespaces with sshd), each reachable by ssh (IPv4 and
# IPv6) with the lab's key only, pinned, with no route out of the lab; `down` removes everything
# and is idempotent; a failed `up` leaves nothing. Skips (77) when not root
# or without `ip netns`.   try: tests/hosts/test-netns-lab.sh scripts/netns-lab.sh
. "$(dirname "$0")/lab.sh" "$1"
NAME=$LAB_NAME
lab_up --load-hosts 2
CFG=$C10K_SSH_CONFIG
[ -f "$CFG" ] || fail "no ssh config"
addrs=()
for h in "${HOSTS[@]}"; do
  [[ $h =~ ^ssh://root@(198\.(18|19)\.[0-9]+\.[0-9]+)$ ]] || fail "not an ssh URL in 198.18.0.0/15: $h"
  addrs+=("${BASH_REMATCH[1]}")
done
srv=${addrs[0]}
mapfile -t H6 < <("$LAB_SH" hosts --ipv6 --name "$NAME")
# each host answers as itself, by IPv4 and by IPv6, has no route but the
# lab's /24 and /64 (and link-local), no IPv6 address but ::1, the lab's
# ULA and its link-local one
for i in 0 1 2; do
  a=${addrs[$i]}
  [[ ${H6[$i]} =~ ^ssh://root@\[(fd00:198:(18|19):[0-9]+::[0-9]+)\]$ ]] \
    || fail "not an ssh URL in the lab's ULA /64: ${H6[$i]}"
  a6=${BASH_REMATCH[1]}
  out=$(ssh -F "$CFG" "$a" 'ip -4 -o addr show dev eth0; ip route; ip -6 route; taskset -pc $$') \
    || fail "ssh to $a failed"
  grep -q "inet $a/24" <<< "$out" || fail "$a: wrong address: $out"
  ns="c10k-$NAME-$([ $i = 0 ] && echo srv || echo l$i)"
  [ "$(ip -n "$ns" route | grep -c .)" = 1 ] || fail "$a: more than the lab's route"
  grep -q default <<< "$out" && fail "$a has a default route"
  other6=$(ip -n "$ns" -6 -o addr | grep -v -e ' ::1/128 ' -e " $a6/64 " -e ' fe80::')
  [ -z "$other6" ] || fail "$a has other IPv6 addresses: $other6"
  other6=$(ip -n "$ns" -6 route | grep -v -e "^${a6%::*}::/64 " -e '^fe80::/64 ' -e '^multicast ')
  [ -z "$other6" ] || fail "$a has other IPv6 routes: $other6"
  out6=$(ssh -F "$CFG" "$a6" 'ip -6 -o addr show dev eth0') || fail "ssh to [$a6] failed"
  grep -q "inet6 $a6/64" <<< "$out6" || fail "[$a6]: wrong address: $out6"
  want=$([ $i = 0 ] && echo 0 || echo $(($(nproc) - 1)))
  grep -q "affinity list: $want\$" <<< "$out" || fail "$a: not pinned to CPU $want: $out"
done
# load hosts reach the server host over the bridge
ssh -F "$CFG" "${addrs[1]}" "exec 3<>/dev/tcp/$srv/22 && head -c 4 <&3" | grep -q SSH \
  || fail "l1 cannot reach the server host's sshd"
# only the lab's key gets in
ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityFile=/dev/null \
  -o UserKnownHostsFile="$C10K_LAB_ROOT/$NAME/known_hosts" "root@$srv" true 2>/dev/null \
  && fail "a login without the lab key worked"
# a second `up` of the same lab is refused and changes nothing
"$LAB_SH" up --name "$NAME" >/dev/null 2>&1 && fail "a second up succeeded"
ssh -F "$CFG" "$srv" true || fail "the lab broke after a refused up"

pids=$(cat "$C10K_LAB_ROOT/$NAME"/sshd-*.pid)
"$LAB_SH" down --name "$NAME" || fail "down failed"
"$LAB_SH" down --name "$NAME" || fail "second down failed"
# (an exited daemon may stay a zombie until pid 1 reaps it)
for p in $pids; do grep -qs '^State:[[:space:]]*[^Z]' "/proc/$p/status" && fail "sshd $p still runs"; done
ip netns list | grep -q "c10k-$NAME-" && fail "namespaces left: $(ip netns list)"
ip link show "c10kb-$NAME" >/dev/null 2>&1 && fail "bridge left"
[ -e "$C10K_LAB_ROOT/$NAME" ] && fail "lab folder left"

# a failing up (netem missing, or a bad option) leaves nothing behind
if ! "$LAB_SH" up --name "$NAME" --load-hosts 1 --delay 1ms >/dev/null 2>"$TMP/err"; then
  grep -q "this kernel has no netem qdisc" "$TMP/err" || fail "unclear --delay failure: $(cat "$TMP/err")"
  ip netns list | grep -q "c10k-$NAME-" && fail "failed up left namespaces"
  ip link show "c10kb-$NAME" >/dev/null 2>&1 && fail "failed up left the bridge"
  [ -e "$C10K_LAB_ROOT/$NAME" ] && fail "failed up left the lab folder"
else
  "$LAB_SH" down --name "$NAME" || fail "down after --delay failed"
fi
"$LAB_SH" up --name "$NAME" --load-hosts 0 >/dev/null 2>&1 && fail "--load-hosts 0 accepted"
echo ok
