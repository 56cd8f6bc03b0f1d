#!/usr/bin/env bash
# test-leftovers: lib.sh's leftovers finds and kills a process that carries
# this test's mark, leaves unmarked ones alone, and costs about the same with
# 1,000 more processes on the machine (a tr|grep pair per /proc entry cost
# minutes beside a 10,000-process test: faults-sigint timed out at 180 s).
#   try: tests/lib/test-leftovers.sh
. "$(dirname "$0")/lib.sh"
N=1000
now() { date +%s%N; }
took_ms() { local t0; t0=$(now); leftovers; local rc=$?; echo "$(( ($(now) - t0) / 1000000 )) $rc"; }

read -r base_ms rc < <(took_ms)
[ "$rc" = 0 ] || fail "leftovers found a process before any was started"
# N unmarked processes (the mark removed from their environment), then one marked
env -u C10K_TEST_TAG python3 -c '
import os, signal, sys, time
for _ in range(int(sys.argv[1])):
    if os.fork() == 0:
        signal.pause(); os._exit(0)
print("ready", flush=True); signal.pause()' "$N" > "$TMP/crowd.out" &
crowd=$!
trap 'pkill -KILL -P "$crowd"; kill -KILL "$crowd" 2>/dev/null; cleanup' EXIT
for _ in $(seq 600); do grep -q ready "$TMP/crowd.out" && break; sleep 0.05; done
grep -q ready "$TMP/crowd.out" || fail "could not start $N processes"
read -r crowd_ms rc < <(took_ms)
[ "$rc" = 0 ] || fail "leftovers took an unmarked process for a leftover"
sleep 300 &
marked=$!
read -r _ rc < <(took_ms 2>/dev/null)
[ "$rc" = 1 ] || fail "leftovers did not find the marked process"
sleep 0.2
kill -0 "$marked" 2>/dev/null && fail "leftovers did not kill the marked process"
wait "$marked" 2>/dev/null
pkill -KILL -P "$crowd"; kill -KILL "$crowd" 2>/dev/null; wait 2>/dev/null
bound=$((4 * base_ms + 300))
echo "leftovers: $base_ms ms, $crowd_ms ms with $N more processes (bound $bound ms)"
[ "$crowd_ms" -le "$bound" ] || fail "leftovers took $crowd_ms ms with $N more processes"
echo "leftovers: ok"
