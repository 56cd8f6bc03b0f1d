#!/usr/bin/env bash
# test-load-validity: the measured window is the one c10k-load reports; a
# trial whose load generator crashed, exited with an
# unexpected status, made no progress, or missed its open-loop rate (by
# requests.received over the window) is flagged, never valid.
#   try: tests/harness/test-load-validity.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
run() { # mode [extra c10k args...] -> exit status; the point in $TMP/out-<mode>
  local mode="$1" rc=0
  shift
  FAKE_LOAD_MODE="$mode" "$C10K" run --model fake-ok -c 5 --duration 1s --warmup 0 \
    --out "$TMP/out-$mode" "$@" > "$TMP/out-$mode.out" 2> "$TMP/out-$mode.err" || rc=$?
  echo "$rc"
}
pj() { ls "$TMP/out-$1"/points/fake-ok-c5-r*-max.json; }

run crash > /dev/null
jcheck "$(pj crash)" 'd["status"] == "broken" and not d["trials"][0]["valid"] and "loadgen_failed" in d["trials"][0]["flags"] and d["trials"][0]["loadgen"]["signal"] == 11 and "c10k-load failed" in d["reason"]'

run exit3 > /dev/null
jcheck "$(pj exit3)" 'd["status"] != "ok" and "loadgen_failed" in d["trials"][0]["flags"] and d["trials"][0]["loadgen"]["exit_status"] == 3'

run stall > /dev/null
# nothing answered in the window: the model could not serve the point (broken,
# docs/results.md), with the reason; fewer answers than connections is only flagged
jcheck "$(pj stall)" 'd["status"] == "broken" and "no response in the measured window" in d["reason"] and "no_progress" in d["trials"][0]["flags"]'

run few > /dev/null
jcheck "$(pj few)" 'd["status"] == "flagged" and "no_progress" in d["trials"][0]["flags"]'

run slow --rate 100 > /dev/null
jcheck "$(pj slow)" '"rate_missed" in d["trials"][0]["flags"] and "no_progress" not in d["trials"][0]["flags"]'

# the window comes from c10k-load's measure_start_s, not from its series (a
# fake whose ramp lasts 1.5 s more than its series shows)
run late --warmup 200ms > /dev/null
jcheck "$(pj late)" 'abs(d["trials"][0]["probe"]["window"]["start_s"] - d["trials"][0]["probe"]["window"]["load_start_s"] - d["trials"][0]["load"]["measure_start_s"]) < 0.002 and d["trials"][0]["load"]["measure_start_s"] >= 1.7 and abs(d["trials"][0]["probe"]["window"]["end_s"] - d["trials"][0]["probe"]["window"]["start_s"] - 1.0) < 0.05'

# the same fake without a fault stays valid (the checks above can fail)
run none > /dev/null
jcheck "$(pj none)" 'd["status"] == "ok" and d["trials"][0]["valid"] and d["trials"][0]["loadgen"]["exit_status"] == 0'
leftovers || fail "processes left behind"
echo ok
