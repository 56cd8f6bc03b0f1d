#!/usr/bin/env bash
# test-faults: the harness (c10k) against faults: a server that crashes
# mid-run, never prints ready or hangs on SIGTERM; c10k-load killed mid-run;
# the disk full under the results folder; Ctrl-C during a sweep, then
# --resume. Each must end with a clear message, no process left, every point
# measured before still on disk and readable.
#   try: tests/hostile/test-faults.sh build/harness/c10k build/loadgen/c10k-load sigint
set -u
C10K="$(realpath "$1")"; LOAD="$(realpath "$2")"; CASE="$3"
[ -x "$C10K" ] || { echo "c10k not built: skip"; exit 77; }
[ -x "$LOAD" ] || { echo "c10k-load not built: skip"; exit 77; }
. "$(dirname "$0")/../lib/lib.sh"
for m in ok crash noready; do
  fake_server "srv-$m" "$m"
done
fake_server srv-hangterm ignoreterm
# c10k-load that is SIGKILLed 1 s into its run (same pid after exec)
printf '#!/bin/sh\n(sleep 1; kill -9 $$) &\nexec %s "$@"\n' "$LOAD" > "$TMP/load-killed"
chmod +x "$TMP/load-killed"
export C10K_MODELS_EXTRA="ft-ok=$TMP/srv-ok,ft-ok2=$TMP/srv-ok,ft-crash=$TMP/srv-crash,ft-noready=$TMP/srv-noready,ft-hangterm=$TMP/srv-hangterm"

# every JSON under DIR/points parses
points_readable() {
  python3 - "$1" <<'PY' || fail "a point file in $1 is not readable JSON"
import glob, json, sys
files = glob.glob(sys.argv[1] + "/points/*.json")
for f in files:
    json.load(open(f))
print("%d point files readable" % len(files))
PY
}
# run MODEL OUTDIR [extra flags]: c10k run, prints the exit code
run() {
  local m="$1" out="$2"; shift 2
  local rc=0
  # a short bound only where the case waits it out (noready); elsewhere the
  # fake Python server must just start, which takes seconds on a loaded machine
  local ready=10s
  [ "$m" = ft-noready ] && ready=2s
  timeout -s KILL 100 "$C10K" run --model "$m" -c 4 --duration 2s --warmup 0s \
    --ready-timeout "$ready" --out "$out" "$@" > "$TMP/run.out" 2> "$TMP/run.err" || rc=$?
  echo "$rc"
}
say() { echo "$CASE: exit $1; stderr tail:"; tail -3 "$TMP/run.err" | sed 's/^/  /'; }
one_line_reason() { # the point's reason, for the log
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("status"), "-", d.get("reason"))' "$1"
}

case "$CASE" in
crash|noready|hangterm)
  rc=$(run "ft-$CASE" "$TMP/out"); say "$rc"
  [ "$rc" -lt 128 ] || fail "c10k died of a signal (exit $rc)"
  pj="$TMP/out/points/ft-$CASE-c4-r0-max.json"
  [ -f "$pj" ] || fail "no point file $pj"
  one_line_reason "$pj"
  if [ "$CASE" = hangterm ]; then
    [ "$rc" = 0 ] || fail "exit $rc, want 0 (point flagged)"
    jcheck "$pj" 'd["status"] == "flagged" and "stop_timeout" in d["trials"][0]["flags"]'
  else
    [ "$rc" = 1 ] || fail "exit $rc, want 1 (point broken)"
    jcheck "$pj" 'd["status"] == "broken" and len(d.get("reason") or "") > 10'
  fi
  jcheck "$TMP/out/manifest.json" 'd["status"] in ("complete", "failed")'
  ;;
loadkilled)
  rc=$(C10K_LOAD="$TMP/load-killed" run ft-ok "$TMP/out"); say "$rc"
  [ "$rc" -lt 128 ] || fail "c10k died of a signal (exit $rc)"
  [ "$rc" = 1 ] || fail "exit $rc, want 1: a trial without load results is not a measurement"
  pj="$TMP/out/points/ft-ok-c4-r0-max.json"
  [ -f "$pj" ] || fail "no point file"
  one_line_reason "$pj"
  jcheck "$pj" 'd["status"] == "broken" and "load" in (d.get("reason") or "").lower()'
  ;;
diskfull)
  command -v unshare > /dev/null || { echo "no unshare: skip"; exit 77; }
  mkdir -p "$TMP/full"
  # a 48 KiB tmpfs in a private mount namespace: the folder and manifest fit, the points do not
  rc=0
  unshare -m sh -c "mount -t tmpfs -o size=48k tmpfs '$TMP/full' || exit 77
    exec timeout -s KILL 100 '$C10K' sweep --models ft-ok,ft-ok2 --connections 4,8 --trials 2 \
      --duration 1s --warmup 0s --ready-timeout 10s --out '$TMP/full/run'" \
    > "$TMP/run.out" 2> "$TMP/run.err" || rc=$?
  [ "$rc" = 77 ] && { echo "cannot mount a tmpfs here: skip"; exit 77; }
  say "$rc"
  [ "$rc" -lt 128 ] || fail "c10k died of a signal (exit $rc)"
  [ "$rc" != 0 ] || fail "exit 0 although the disk was full"
  grep -qiE "no space|ENOSPC|disk full" "$TMP/run.err" || fail "no message saying the disk is full"
  ;;
sigint|sigint-real)
  OUT="$TMP/sweep"
  # fakes: the second point is a server that ignores SIGTERM; real: threads
  # then prefork (a pool of worker processes) under the real c10k-load
  models=ft-ok,ft-hangterm,ft-ok2; conns=4,8
  [ "$CASE" = sigint-real ] && { models=threads,prefork,epoll; conns=20,40; }
  "$C10K" sweep --models "$models" --connections "$conns" --trials 1 --duration 2s \
    --warmup 0s --ready-timeout 5s --out "$OUT" > "$TMP/run.out" 2> "$TMP/run.err" &
  pid=$!
  for _ in $(seq 400); do   # until the first point is on disk, then Ctrl-C
    [ "$(ls "$OUT"/points/*.json 2>/dev/null | grep -cvE -- '-t[0-9]+\.')" -ge 1 ] && break
    sleep 0.05
  done
  sleep 0.7                 # inside the next point: the server that ignores SIGTERM
  kill -INT "$pid"
  rc=0; wait "$pid" || rc=$?
  say "$rc"
  [ "$rc" = 130 ] || fail "interrupted sweep exited $rc, want 130"
  grep -qi "interrupt" "$TMP/run.err" || fail "no message saying it was interrupted"
  sleep 0.3
  leftovers || fail "processes left after Ctrl-C"
  points_readable "$OUT"
  jcheck "$OUT/manifest.json" 'd["status"] == "interrupted" and sum(p["status"] != "pending" for p in d["points"]) >= 1'
  before=$(ls "$OUT"/points/*.json | grep -cvE -- '-t[0-9]+\.')
  rc=0
  timeout -s KILL 120 "$C10K" sweep --resume "$OUT" > "$TMP/run.out" 2> "$TMP/run.err" || rc=$?
  say "$rc"
  [ "$rc" = 0 ] || fail "--resume exited $rc"
  points_readable "$OUT"
  jcheck "$OUT/manifest.json" 'd["status"] == "complete" and len(d["points"]) == 6 and all(p["status"] in ("ok", "flagged") for p in d["points"])'
  [ "$(ls "$OUT"/points/*.json | grep -cvE -- '-t[0-9]+\.')" = 6 ] || fail "not 6 point files after --resume"
  ;;
*) echo "unknown case $CASE" >&2; exit 2 ;;
esac
sleep 0.3
leftovers || fail "processes left behind"
echo "$CASE: ok"
