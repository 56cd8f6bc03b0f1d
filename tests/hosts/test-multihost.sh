#!/usr/bin/env bash
# test-multihost: in a lab (a server host, two load hosts), one trial across
# hosts: an ok point with every connection, the merged histograms exactly the
# hosts' added (hdr_check.py), counters added, the probe run on the server's
# host (its network namespace); Ctrl-C stops every remote process; a load host
# lost mid-trial breaks the trial with the host named, the other's kept; the
# server's host lost: broken, named, the probe's samples so far kept.
#   try: tests/hosts/test-multihost.sh build/harness/c10k scripts/netns-lab.sh
C10K="$1"
. "$(dirname "$0")/lab.sh" "$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
"$C10K" models | grep -q '^epoll  *available' || { echo "epoll not built: skip"; exit 77; }
lab_up --load-hosts 2
HOSTARGS=(--server-host "${HOSTS[0]}" --load-hosts "${HOSTS[1]},${HOSTS[2]}")

# the trial's processes still running in the lab (by name)
lab_procs() {
  local ns p
  for ns in srv l1 l2; do
    for p in $(ip netns pids "c10k-$LAB_NAME-$ns" 2>/dev/null); do
      cat "/proc/$p/comm" 2>/dev/null
    done
  done | grep -E '^(c10k|c10k-load|c10k-server-.*)$'
}
wait_lab_quiet() { # at most $1 s
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    [ -z "$(lab_procs)" ] && return 0
    sleep 0.1
  done
  return 1
}

# no_trial_dirs PID: no folder of that c10k's trials left on the hosts (the
# lab's hosts share this file system), within 5 s
no_trial_dirs() {
  local i
  for ((i = 0; i < 50; i++)); do
    compgen -G "/tmp/c10k-trial-$1-*" > /dev/null || return 0
    sleep 0.1
  done
  fail "trial folders left on the hosts: $(echo /tmp/c10k-trial-"$1"-*)"
}

# run_bg OUT DURATION: a run in the background (pid in $pid), back once its
# c10k-load processes run in the lab
run_bg() {
  local i
  "$C10K" run --model epoll -c 50 --duration "$2" --warmup 0 --out "$TMP/$1" "${HOSTARGS[@]}" \
    > /dev/null 2> "$TMP/err-$1" &
  pid=$!
  for ((i = 0; i < 200; i++)); do
    lab_procs | grep -q c10k-load && return 0
    sleep 0.1
  done
  kill -9 $pid
  fail "no c10k-load started in the lab: $(cat "$TMP/err-$1")"
}

# lose_run OUT DURATION NS DELAY: a run during which lab host NS's link goes
# down DELAY s after its load started, up again once it ended; $rc its exit
lose_run() {
  run_bg "$1" "$2"
  sleep "$4"
  ip -n "c10k-$LAB_NAME-$3" link set eth0 down
  wait $pid
  rc=$?
  ip -n "c10k-$LAB_NAME-$3" link set eth0 up
}

# 1. one trial across hosts
OUT="$TMP/run"
"$C10K" run --model epoll -c 200 --duration 1s --warmup 200ms --out "$OUT" "${HOSTARGS[@]}" \
  > "$TMP/out" 2> "$TMP/err" &
pid=$!
wait $pid || fail "run exited $?: $(cat "$TMP/err")"
no_trial_dirs $pid
P="$OUT/points/epoll-c200-r0-max.json"
python3 - "$P" "${HOSTS[1]}" "${HOSTS[2]}" <<'PY' || fail "point: $(head -c 2000 "$P")"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["trials"][0]
assert d["status"] in ("ok", "flagged"), d["status"]
assert t["metrics"]["connections_established"] == 200
assert t["load"]["hosts"] == sys.argv[2:], t["load"]["hosts"]
assert t["probe"]["loaded"]["sys_tcp_sockets"] >= 200  # the server's namespace's sockets
assert t["server"]["stats"]["accepted"] >= 200 and t["server"]["exit_status"] == 0
PY
python3 "$HERE/hdr_check.py" "$P" || fail "merged results differ from the hosts' own"
probe_ns=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["net_ns"])' \
  "$OUT/points/epoll-c200-r0-max-t0.probe.json") || fail "no probe.json"
srv_ns=$(ssh -F "$C10K_SSH_CONFIG" "${HOSTS[0]#ssh://}" readlink /proc/self/ns/net)
[ "$probe_ns" = "$srv_ns" ] || fail "probed in $probe_ns, the server host is $srv_ns"
[ "$probe_ns" != "$(readlink /proc/self/ns/net)" ] || fail "probed here, not on the server's host"
# the server in a memory group of its own on its host (when this machine has
# the memory controller, as `c10k hosts check` says), its books per
# connection; no client side
method=$("$C10K" hosts check --json "${HOSTS[0]}" | python3 -c '
import json, sys
c = json.load(sys.stdin)[0]["cgroup"].split()
print("cgroup2" if c[0] == "v2" and "memory" in c else "cgroup1" if c[:2] == ["v1", "memory"] else "system")') \
  || fail "c10k hosts check --json: no cgroup"
python3 - "$P" "$method" "$OUT/points/epoll-c200-r0-max-t0.probe.json" <<'PY' || fail "server's books: $(head -c 3000 "$P")"
import json, os, sys
t = json.load(open(sys.argv[1]))["trials"][0]
m, want, probe = t["metrics"], sys.argv[2], json.load(open(sys.argv[3]))
assert t["memory_method"] == want, (t["memory_method"], want, t["why"])
assert m["mem_per_conn_client_total_bytes"] is None and m["memory_books_gap"] is None
if want != "system":
    # a connection costs the server a socket at least: more than 1 KB each
    assert m["mem_per_conn_server_total_bytes"] > 1024, m["mem_per_conn_server_total_bytes"]
    assert m["mem_per_conn_server_sock_bytes"] is not None
    g = probe["memory_group"]
    assert g and not os.path.exists(g), g  # made for the server, removed after it
PY
wait_lab_quiet 5 || fail "left running in the lab: $(lab_procs)"

# 2. Ctrl-C stops every remote process
run_bg int 30s
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 130 ] || fail "interrupted run exited $rc, want 130: $(cat "$TMP/err-int")"
wait_lab_quiet 6 || fail "left running after Ctrl-C: $(lab_procs)"
no_trial_dirs $pid
pgrep -f "ControlPath=/tmp/c10k-ssh" > /dev/null && fail "an ssh ControlMaster is left"

# 3. a load host lost mid-trial: the trial is broken, the host named
lose_run lost 8s l2 1
[ "$rc" = 1 ] || fail "a run with a lost host exited $rc, want 1: $(cat "$TMP/err-lost")"
python3 - "$TMP/lost/points/epoll-c50-r0-max.json" "${HOSTS[2]}" <<'PY' || fail "lost host: $(cat "$TMP/lost/points/epoll-c50-r0-max.json" | head -c 1500)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "broken", d["status"]
assert ("load host %s" % sys.argv[2]) in d["reason"], d["reason"]
t = d["trials"][0]
assert [r is not None for r in t["load"]["runners"]] == [True, False]  # l1's results kept
PY
wait_lab_quiet 10 || fail "left running after a lost host: $(lab_procs)"
# the lost host may keep what it measured (its c10k-load ended before its
# sshd noticed the client gone): it is the lab's, and goes
rm -rf /tmp/c10k-trial-"$pid"-*

# 4. the server's host lost mid-trial: broken, the host named, the probe's
# samples streamed before the loss kept
lose_run srvlost 6s srv 1.5
[ "$rc" = 1 ] || fail "a run with its server host lost exited $rc, want 1: $(cat "$TMP/err-srvlost")"
python3 - "$TMP/srvlost/points/epoll-c50-r0-max.json" "${HOSTS[0]}" \
  "$TMP/srvlost/points/epoll-c50-r0-max-t0.probe.json" <<'PY' || fail "server host lost: $(head -c 1500 "$TMP/srvlost/points/epoll-c50-r0-max.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "broken", d["status"]
assert ("server host %s failed" % sys.argv[2]) in d["reason"], d["reason"]
assert len(json.load(open(sys.argv[3]))["samples"]) >= 5  # streamed before the loss
PY
wait_lab_quiet 10 || fail "left running after the server host was lost: $(lab_procs)"
rm -rf /tmp/c10k-trial-"$pid"-*
echo ok
