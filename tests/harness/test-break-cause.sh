#!/usr/bin/env bash
# test-break-cause: under a hard RLIMIT_NOFILE of 600, 1000 connections break
# the threads model (one process) with its cause named (EMFILE, the limit's
# value, connections held = established and answered), while epoll holds them
# all with --processes. Skips (77) without the models or c10k-load.
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
echo ok
