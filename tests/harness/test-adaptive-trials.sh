#!/usr/bin/env bash
# test-adaptive-trials: a point whose throughput varies by more than 5% (CV)
# over its trials gets more, up to --max-trials, and its summary says noisy;
# a steady one keeps --trials; the manifest records the machine's noise
# (calibration) and the cap. Fake load generator: FAKE_LOAD_MODE noisy/steady.
#   try: tests/harness/test-adaptive-trials.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
export FAKE_LOAD_STATE="$TMP/turn"
sweep() { # OUT MODE extra args...
  local out=$1 mode=$2
  shift 2
  FAKE_LOAD_MODE=$mode "$C10K" sweep --models fake-ok --connections 4 --trials 2 --duration 200ms \
    --warmup 0 --ready-timeout 30s --scenario max=/ --out "$out" "$@" > "$out.out" 2> "$out.err" ||
    fail "sweep ($mode $*) failed: $(tail -3 "$out.err")"
}
point() { echo "$1/points/fake-ok-c4-r0-max.json"; }

sweep "$TMP/noisy" noisy --max-trials 4
jcheck "$(point "$TMP/noisy")" 'd["summary"]["trials"] == 4 and d["summary"]["noisy"] is True and d["summary"]["cv_pct"]["throughput_rps"] > 5'
grep -q "varies by more than 5% over 2 trials: one more" "$TMP/noisy.err" || fail "no 'one more' line"
jcheck "$TMP/noisy/manifest.json" 'd["config"]["max_trials"] == 4 and d["config"]["noise_cv_pct"] == 5 and d["calibration"]["spin_runs"] == 40 and d["calibration"]["spin_cv_pct"] >= 0 and d["calibration"]["sleep_1ms_late_us_p50"] >= 0'

sweep "$TMP/steady" steady --max-trials 4
jcheck "$(point "$TMP/steady")" 'd["summary"]["trials"] == 2 and d["summary"]["noisy"] is False and d["summary"]["cv_pct"]["throughput_rps"] == 0'

sweep "$TMP/capped" noisy --max-trials 2
jcheck "$(point "$TMP/capped")" 'd["summary"]["trials"] == 2 and d["summary"]["noisy"] is True'
leftovers || fail "processes left"
echo ok
