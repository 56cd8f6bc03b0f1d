#!/usr/bin/env bash
# test-fake-servers: a server that crashes mid-run, one that never prints
# ready, one that ignores SIGTERM and one that leaves a child are each flagged
# with a clear reason, and no process of theirs is left behind.
#   try: tests/harness/test-fake-servers.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
run() { # model -> the point JSON in $TMP/<model>
  local rc=0
  local rt=30s
  [ "$1" = fake-noready ] && rt=2s
  "$C10K" run --model "$1" -c 5 --duration 1500ms --warmup 0 --ready-timeout $rt --out "$TMP/out-$1" \
    > "$TMP/out-$1.out" 2> "$TMP/out-$1.err" || rc=$?
  echo "$rc"
}
pj() { echo "$TMP/out-$1/points/$1-c5-r0-max.json"; }

rc=$(run fake-crash)
[ "$rc" = 1 ] || fail "crash: exit $rc, want 1"
jcheck "$(pj fake-crash)" 'd["status"] == "broken" and "crashed" in d["reason"] and "SIGSEGV" in d["reason"] and "about to crash" in d["reason"] and "server_crashed" in d["trials"][0]["flags"]'
leftovers || fail "crash: processes left behind"

rc=$(run fake-noready)
[ "$rc" = 1 ] || fail "noready: exit $rc, want 1"
jcheck "$(pj fake-noready)" 'd["status"] == "broken" and "no ready line" in d["reason"] and "ready_timeout" in d["trials"][0]["flags"]'
leftovers || fail "noready: processes left behind"

rc=$(run fake-ignoreterm)
[ "$rc" = 0 ] || fail "ignoreterm: exit $rc, want 0 (flagged)"
jcheck "$(pj fake-ignoreterm)" 'd["status"] == "flagged" and "stop_timeout" in d["trials"][0]["flags"] and any("SIGTERM" in n for n in d["trials"][0]["notes"]) and d["trials"][0]["server"]["killed_after_grace"]'
leftovers || fail "ignoreterm: processes left behind"

rc=$(run fake-child)
[ "$rc" = 0 ] || fail "child: exit $rc, want 0"
[ "$(wc -l < "$FAKE_PIDS")" -ge 2 ] || fail "child: the fake did not fork"
leftovers || fail "child: its child was left behind"
echo ok
