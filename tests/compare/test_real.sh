#!/usr/bin/env bash
# test_real.sh aa|ab C10K: c10k compare on real tiny sweeps of the epoll model,
# interleaved ABBA (single-trial sweeps), as scripts/ci-compare.sh runs them.
#   aa: the same server and path on both sides, 7 rounds, --alpha 0.01 (a false
#       alarm rate of at most 1% by construction, so the test is not flaky) -> exit 0
#   ab: NEW's "max" scenario path adds delay_us=20000, 7 rounds (a flagged trial or
#       two still leaves enough) -> exit 1 with latency_p50_us regressed
# Both sides run open loop at 1,000 requests/s over 40 connections (half of
# what 40 connections can carry with NEW's 20 ms wait). The wait is 20 ms, not
# 2 ms: on a loaded machine under ASan BASE's own p50 reached 15 ms in a trial,
# which made the two sides overlap (p50 "~", p=0.035, before Holm).
# Exit 77 (skip) when c10k, the epoll model or c10k-load is not built.
set -uo pipefail
mode=${1:?aa|ab} c10k=${2:?path of c10k}
rounds=${ROUNDS:-7} alpha=0.05
[ "$mode" = aa ] && alpha=0.01
[ -x "$c10k" ] || { echo "skip: $c10k not built"; exit 77; }
models=$("$c10k" models 2>/dev/null) || { echo "skip: c10k models failed"; exit 77; }
grep -Eq '^epoll +available' <<<"$models" || { echo "skip: epoll model not available"; exit 77; }
grep -Eq '^c10k-load +available' <<<"$models" || { echo "skip: c10k-load not built"; exit 77; }

tmp=$(mktemp -d /tmp/c10k-cmp-real-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# open loop at a fixed rate: neither side can saturate the load generator (a
# closed loop does, above all in a sanitizer build, and flagged trials are left
# out of the test), and the injected wait shows cleanly in the latency
common=(--models epoll --connections 40 --rates 1000 --duration 500ms --warmup 50ms --timeout 2s)
base_path=/ new_path=/
[ "$mode" = ab ] && new_path="/?delay_us=20000"

sweep() { # SIDE PATH ROUND
  local dir="$tmp/$1/$3"
  timeout 20 "$c10k" sweep "${common[@]}" --scenario "max=$2" --trials 1 --out "$dir" \
    >"$dir.log" 2>&1
  [ -f "$dir/manifest.json" ] || { echo "FAIL: the $1 sweep wrote nothing"; tail -n 5 "$dir.log"; exit 1; }
}

valid() { # SIDE: valid trials so far (flagged ones do not count)
  cat "$tmp/$1"/*/points/*-c40-r*-max.json 2>/dev/null | grep -c '"valid": true'
}

# At least $rounds rounds; more (up to 12, within 40 s) while a side has
# fewer than $rounds - 1 valid trials: a loaded machine flags trials.
mkdir -p "$tmp/base" "$tmp/new"
start=$SECONDS
for ((k = 1; k <= 12; k++)); do
  if ((k % 2)); then sweep base "$base_path" "$k"; sweep new "$new_path" "$k"
  else sweep new "$new_path" "$k"; sweep base "$base_path" "$k"; fi
  ((k >= rounds)) || continue
  (($(valid base) >= rounds - 1 && $(valid new) >= rounds - 1)) && break
  ((SECONDS - start < 40)) || break
done
echo "rounds: $k, valid trials: base $(valid base), new $(valid new)"

"$c10k" compare --alpha "$alpha" "$tmp/base" "$tmp/new"
"$c10k" compare --alpha "$alpha" --format json "$tmp/base" "$tmp/new" >"$tmp/cmp.json"
rc=$?
python3 - "$tmp/cmp.json" "$mode" "$rc" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
mode, rc = sys.argv[2], int(sys.argv[3])
rows = doc["compare"]["rows"]
verdict = {r["metric"]: r for r in rows}
if mode == "aa":
    bad = [r["metric"] for r in rows if r["verdict"] == "regressed"]
    ok = rc == 0 and not bad
    why = "A/A: exit %d, regressed: %s" % (rc, bad)
else:
    p50 = verdict.get("latency_p50_us", {})
    ok = rc == 1 and p50.get("verdict") == "regressed"
    why = "A/B: exit %d, p50 %s p=%s" % (rc, p50.get("verdict"), p50.get("p"))
print(("ok " if ok else "FAIL ") + why)
sys.exit(0 if ok else 1)
PY
