#!/usr/bin/env bash
# test-run-epoll: a real `c10k run` of the epoll model at 50 connections for
# 1 s with the real c10k-load: a valid point JSON with every metric, probe
# samples idle and loaded, the files it names. Skips (77) when epoll or
# c10k-load is not built.   try: tests/harness/test-run-epoll.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
unset C10K_LOAD
"$C10K" models | grep -q '^epoll  *available' || { echo "epoll not built: skip"; exit 77; }
"$C10K" models | grep -q '^c10k-load  *available' || { echo "c10k-load not built: skip"; exit 77; }
OUT="$TMP/run"
"$C10K" run --model epoll -c 50 --duration 1s --warmup 200ms --out "$OUT" > "$TMP/out" 2> "$TMP/err" \
  || { cat "$TMP/err" >&2; fail "c10k run exited $?"; }
P="$OUT/points/epoll-c50-r0-max.json"
jcheck "$P" 'd["schema"] == "c10k-point/1" and d["status"] in ("ok", "flagged") and len(d["trials"]) == 1'
# name any null metric first (it failed about 1 run in 16 on a loaded machine, cause unknown)
python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))["trials"][0]["metrics"]
n = [k for k, v in m.items() if v is None]
n and print("null metrics:", n, file=sys.stderr)' "$P"
jcheck "$P" 'all(v is not None for v in d["trials"][0]["metrics"].values())'
jcheck "$P" 'd["trials"][0]["metrics"]["connections_established"] == 50 and d["trials"][0]["metrics"]["throughput_rps"] > 0'
jcheck "$P" 'd["trials"][0]["probe"]["idle"] is not None and d["trials"][0]["probe"]["loaded"] is not None and d["trials"][0]["probe"]["loaded"]["sys_tcp_sockets"] >= 100'
jcheck "$P" 'd["trials"][0]["server"]["exit_status"] == 0 and d["trials"][0]["server"]["stats"]["accepted"] >= 50'
jcheck "$P" 'd["trials"][0]["load"]["schema"] == "c10k-load/1" and all(k in d["summary"]["median"] for k in d["trials"][0]["metrics"])'
for f in hgrm hlog timeline stderr; do
  rel=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["trials"][0]["files"][sys.argv[2]])' "$P" "$f")
  [ -f "$OUT/$rel" ] || fail "missing $rel"
done
grep -q '^Tag=corrected,' "$OUT/points/epoll-c50-r0-max-t0.hlog" || fail "hlog has no corrected interval"
grep -q ',probe,' "$OUT/points/epoll-c50-r0-max-t0.timeline.csv" || fail "timeline has no probe rows"
jcheck "$OUT/manifest.json" 'd["status"] == "complete" and d["points"][0]["status"] in ("ok", "flagged")'
[ "$(wc -l < "$OUT/summary.csv")" = 2 ] || fail "summary.csv: want 2 lines"
echo ok
