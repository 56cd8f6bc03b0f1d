#!/usr/bin/env bash
# test-memory-books: `c10k run --scenario idle` of epoll at 1,000 connections
# (no warm-up, a window of --idle-duration whatever --duration and --warmup say):
# with a memory controller (root) each side in its own group (memory_method
# cgroup1/cgroup2, parts that add up to the total, groups removed after);
# forced (C10K_MEMORY_METHOD=system) and as a user who may not create groups
# (setpriv to nobody) the system method, still measured. Skips (77) without
# epoll or c10k-load.   try: tests/harness/test-memory-books.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
unset C10K_LOAD
"$C10K" models | grep -q '^epoll  *available' || { echo "epoll not built: skip"; exit 77; }
"$C10K" models | grep -q '^c10k-load  *available' || { echo "c10k-load not built: skip"; exit 77; }
run() { # OUT [env...]: one idle trial of 1,000 connections
  local out="$1"; shift
  env "$@" "$C10K" run --model epoll -c 1000 --scenario idle --duration 3s --warmup 1s \
    --out "$out" > "$TMP/out" 2> "$TMP/err" || { cat "$TMP/err" >&2; fail "c10k run exited $?"; }
}
P=points/epoll-c1000-r0-idle.json
tcheck() { jcheck "$1" '(t := d["trials"][0]) is not None and (m := t["metrics"]) is not None and ('"$2"')'; }
IDLE='d["status"] == "ok" and d["scenario"] == "idle" and t["load"]["requests"]["received"] == 0 and t["metrics"]["connections_established"] == 1000'
SYSTEM='t["memory_method"] == "system" and t["metrics"]["mem_per_conn_client_total_bytes"] is None and t["metrics"]["mem_per_conn_server_total_bytes"] is not None'

run "$TMP/sys" C10K_MEMORY_METHOD=system
tcheck "$TMP/sys/$P" "$IDLE"
# an idle trial: no warm-up, the --idle-duration window (500 ms), not --duration
tcheck "$TMP/sys/$P" '(c := t["load"]["config"])["warmup_s"] == 0 and c["duration_s"] == 0.5'
tcheck "$TMP/sys/$P" "$SYSTEM"

if [ "$(id -u)" = 0 ] && { [ -e /sys/fs/cgroup/cgroup.controllers ] || [ -e /sys/fs/cgroup/memory/memory.usage_in_bytes ]; }; then
  run "$TMP/cg"
  tcheck "$TMP/cg/$P" "$IDLE"
  tcheck "$TMP/cg/$P" 't["memory_method"] in ("cgroup1", "cgroup2") and t["memory_books_open"] in (True, False)'
  # the parts add up to the total on each side, and a connection costs the server kernel memory
  tcheck "$TMP/cg/$P" 'all(abs(sum(m["mem_per_conn_%s_%s_bytes" % (s, k)] for k in ("user", "kernel_stack", "page_tables", "slab", "sock", "other", "page_frag")) - m["mem_per_conn_%s_total_bytes" % s]) < 1 for s in ("server", "client"))'
  # page fragments: 32 KiB for each task the side gained (epoll: none; c10k-load: its threads)
  tcheck "$TMP/cg/$P" 'm["mem_per_conn_server_page_frag_bytes"] == 0 and (n := m["mem_per_conn_client_page_frag_bytes"] * 1000 / 32768) >= 1 and abs(n - round(n)) < 1e-6'
  tcheck "$TMP/cg/$P" 'm["mem_per_conn_bytes"] == m["mem_per_conn_server_total_bytes"] and m["mem_per_conn_uncounted_bytes"] is not None'
  tcheck "$TMP/cg/$P" 'm["mem_per_conn_server_slab_bytes"] > 1000 and m["mem_per_conn_client_total_bytes"] > 1000 and "TCP" in t["slab_per_conn"]'
  tcheck "$TMP/cg/$P" 'abs(m["memory_books_gap"] - abs(m["mem_per_conn_server_total_bytes"] + m["mem_per_conn_client_total_bytes"] - m["mem_per_conn_all_in_bytes"]) / abs(m["mem_per_conn_all_in_bytes"])) < 1e-6'
  left=$(find /sys/fs/cgroup -maxdepth 6 -type d -path '*/c10k/*' -name "server-*" 2>/dev/null |
         while read -r d; do pid=${d##*-}; kill -0 "$pid" 2>/dev/null || echo "$d"; done)
  [ -z "$left" ] || fail "groups left behind: $left"
  if command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
    chmod 777 "$TMP"
    run "$TMP/user" setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups
    tcheck "$TMP/user/$P" "$IDLE"
    tcheck "$TMP/user/$P" "$SYSTEM"' and "no memory group" in t["why"]'
  fi
else
  echo "not root or no memory controller: the group path was not tried"
fi
echo ok
