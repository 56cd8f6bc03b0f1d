#!/usr/bin/env bash
# test-break-cause: under a hard RLIMIT_NOFILE of 600, 1000 connections break
# the threads model (one process) with its cause named (EMFILE, the limit's
# value, connections held = established and answered), while epoll holds them
# all with --processes; a server that takes 20 connections and leaves the
# other 30 unanswered in its listen backlog, refusing none (fake-pool, like
# py-prefork at its --max-workers), is broken too: only 20 of 50 held.
# Skips (77) without the models or c10k-load.
#   try: tests/harness/test-break-cause.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
unset C10K_LOAD
for m in threads epoll c10k-load; do
  "$C10K" models | grep -q "^$m  *available" || { echo "$m not built: skip"; exit 77; }
done
( ulimit -Sn 600 && ulimit -Hn 600 &&
  "$C10K" sweep --models threads,epoll --connections 1000 --trials 1 --duration 1s --warmup 200ms \
    --out "$TMP/sw" > "$TMP/out" 2> "$TMP/err" ) || { rc=$?; cat "$TMP/err" >&2; fail "c10k sweep exited $rc"; }
T="$TMP/sw/points/threads-c1000-r0-max.json"
E="$TMP/sw/points/epoll-c1000-r0-max.json"
jcheck "$T" 'd["status"] == "broken" and "EMFILE" in d["reason"] and "RLIMIT_NOFILE 600 per process" in d["reason"]'
jcheck "$T" 'd["reason"].startswith("only ") and d["trials"][0]["metrics"]["connections_held"] < 900'
jcheck "$E" 'd["status"] in ("ok", "flagged") and d["trials"][0]["metrics"]["connections_held"] == 1000'
jcheck "$E" 'd["trials"][0]["metrics"]["server_processes"] >= 2 and d["trials"][0]["server"]["processes"] >= 2'
"$C10K" run --model fake-pool -c 50 --duration 500ms --warmup 0 --timeout 1s --out "$TMP/pool" \
  > "$TMP/pool.out" 2> "$TMP/pool.err"
P="$TMP/pool/points/fake-pool-c50-r0-max.json"
jcheck "$P" 'd["status"] == "broken" and d["reason"].startswith("only 20 of 50 connections held")'
echo ok
