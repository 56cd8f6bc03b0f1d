#!/usr/bin/env bash
# test-sweep-resume: a sweep interrupted with SIGINT exits 130, keeps the
# points it finished and marks the manifest interrupted; --resume measures
# only the missing points and completes it, with summary.csv one row a point.
#   try: tests/harness/test-sweep-resume.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
OUT="$TMP/sweep"
"$C10K" sweep --models fake-ok,fake-ok2 --connections 4 --trials 2 --duration 500ms \
  --warmup 0 --ready-timeout 30s --scenario max=/ --scenario small=/?size=10 --out "$OUT" \
  > "$TMP/sweep.out" 2> "$TMP/sweep.err" &
pid=$!
# wait for the first finished point, then Ctrl-C
for _ in $(seq 300); do
  [ -n "$(ls "$OUT"/points/*.json 2>/dev/null | grep -v -- '-t[0-9]' | head -1)" ] && break
  sleep 0.1
done
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 130 ] || fail "interrupted sweep exited $rc, want 130"
leftovers || fail "processes left after the interrupt"
jcheck "$OUT/manifest.json" 'd["status"] == "interrupted" and len(d["points"]) == 4'
done1=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(p["id"] for p in d["points"] if p["status"] != "pending"))' "$OUT/manifest.json")
[ -n "$done1" ] || fail "no point kept after the interrupt"
for id in $done1; do
  [ -f "$OUT/points/$id.json" ] || fail "$id marked done but no file"
  cp "$OUT/points/$id.json" "$TMP/$id.before"
done
grep -q "resume" "$TMP/sweep.err" || fail "no resume hint on stderr"

"$C10K" sweep --resume "$OUT" > "$TMP/resume.out" 2> "$TMP/resume.err" || fail "resume failed"
jcheck "$OUT/manifest.json" 'd["status"] == "complete" and all(p["status"] == "ok" for p in d["points"]) and len(d["resumed"]) == 1'
for id in $done1; do
  cmp -s "$OUT/points/$id.json" "$TMP/$id.before" || fail "$id was measured again"
done
grep -q "4 points, $(( (4 - $(echo $done1 | wc -w)) * 2 )) trials" "$TMP/resume.err" \
  || fail "resume did not measure only the missing points: $(head -1 "$TMP/resume.err")"
[ "$(wc -l < "$OUT/summary.csv")" = 5 ] || fail "summary.csv: want header + 4 rows"
# ABAB: trial 0 of both models before trial 1 of either
order=$(cat "$TMP/sweep.err" "$TMP/resume.err" | grep -o 'point [0-9]*/4 [^ ]* .* trial [0-9]' \
  | sed 's/ (.*) / /' | head -3 | tr '\n' ';')
[ "$order" = "point 1/4 fake-ok-c4-r0-max trial 1;point 2/4 fake-ok2-c4-r0-max trial 1;point 1/4 fake-ok-c4-r0-max trial 2;" ] \
  || fail "trials not interleaved across models: $order"
leftovers || fail "processes left after resume"
echo ok
