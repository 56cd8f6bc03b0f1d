#!/usr/bin/env bash
# test-run-split: when one process may not hold the point's descriptors (a hard
# RLIMIT_NOFILE of 1200 for 2000 connections), c10k run starts the epoll server
# with --processes 3 and 3 c10k-load processes (their own --source ranges), and
# merges them exactly: counters summed, the latency histogram the sum of theirs
# (.hgrm, the .hlog intervals), each process's JSON kept. Skips (77) without
# epoll or c10k-load.   try: tests/harness/test-run-split.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
unset C10K_LOAD
"$C10K" models | grep -q '^epoll  *available' || { echo "epoll not built: skip"; exit 77; }
"$C10K" models | grep -q '^c10k-load  *available' || { echo "c10k-load not built: skip"; exit 77; }
OUT="$TMP/run"
( ulimit -Sn 1200 && ulimit -Hn 1200 &&
  "$C10K" run --model epoll -c 2000 --duration 1s --warmup 200ms --out "$OUT" > "$TMP/out" 2> "$TMP/err" ) \
  || { cat "$TMP/err" >&2; fail "c10k run exited $?"; }
P="$OUT/points/epoll-c2000-r0-max.json"
T='d["trials"][0]'
jcheck "$P" "$T[\"server\"][\"processes\"] == 3 and $T[\"loadgen\"][\"processes\"] == 3"
jcheck "$P" "$T[\"server\"][\"stats\"][\"accepted\"] == 2000 and $T[\"load\"][\"connections\"][\"established\"] == 2000"
jcheck "$P" "$T[\"metrics\"][\"connections_established\"] == 2000 and $T[\"metrics\"][\"throughput_rps\"] > 0"
jcheck "$P" "len($T[\"load\"][\"runners\"]) == 3 and len(set(r[\"config\"][\"source\"] for r in $T[\"load\"][\"runners\"])) == 3"
jcheck "$P" "sum(r[\"connections\"][\"established\"] for r in $T[\"load\"][\"runners\"]) == 2000"
jcheck "$P" "$T[\"load\"][\"latency_us\"][\"count\"] == sum(r[\"latency_us\"][\"count\"] for r in $T[\"load\"][\"runners\"]) > 0"
jcheck "$P" "$T[\"load\"][\"requests\"][\"completed\"] == sum(r[\"requests\"][\"completed\"] for r in $T[\"load\"][\"runners\"])"
B="$OUT/points/epoll-c2000-r0-max-t0"
python3 - "$P" "$B" "$HERE/../loadgen" <<'PY' || fail "merged .hgrm/.hlog do not add up"
import json, sys
sys.path.insert(0, sys.argv[3])
import hlog_read
load = json.load(open(sys.argv[1]))["trials"][0]["load"]
count = load["latency_us"]["count"]
total = [l for l in open(sys.argv[2] + ".hgrm") if l.startswith("#[Max")][0]
assert int(total.split("=")[-1].strip(" ]\n")) == count, "hgrm total"
_, ivs = hlog_read.read(sys.argv[2] + ".hlog")
assert sum(i["total"] for i in ivs if i["tag"] == "corrected") == count, "hlog corrected"
for k in range(3):
    _, own = hlog_read.read("%s.l%d.hlog" % (sys.argv[2], k))
    assert sum(i["total"] for i in own if i["tag"] == "corrected") == load["runners"][k]["latency_us"]["count"]
print("ok: merged hgrm and hlog hold", count)
PY
grep -q "c10k-load 3 of 3" "$B.load.stderr" || fail "merged load.stderr"
echo ok
