#!/usr/bin/env bash
# test_metrics.sh C10K DATA: the metric table is the one list of metric names.
# Every name in a real point's summary (DATA = tests/data/results-small) and every
# name `c10k compare --list-metrics` prints is accepted by --assert 'NAME<1e300'
# (exit 0 or 1, never 2 "unknown metric"), and every summary name is in the table.
set -uo pipefail
c10k=${1:?path of c10k} data=${2:?results folder}
[ -f "$data/manifest.json" ] || { echo "skip: no $data/manifest.json"; exit 77; }
listed=$("$c10k" compare --list-metrics | awk 'NR > 1 {print $1}') || { echo "FAIL: --list-metrics"; exit 1; }
summary=$(python3 -c '
import glob, json, sys
names = set()
for f in glob.glob(sys.argv[1] + "/points/*.json"):
    names |= set(json.load(open(f)).get("summary", {}).get("median", {}))
print("\n".join(sorted(names)))' "$data")
[ -n "$summary" ] || { echo "FAIL: no metric in the summaries of $data"; exit 1; }
fail=0
for name in $summary; do
  grep -qx "$name" <<<"$listed" || { echo "FAIL: $name (in a summary) is not in --list-metrics"; fail=1; }
done
for name in $(sort -u <<<"$summary"$'\n'"$listed"); do
  err=$("$c10k" compare --assert "$name<1e300" "$data" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ge 2 ]; then echo "FAIL: --assert '$name<1e300' refused (exit $rc): $err"; fail=1; fi
done
[ "$fail" = 0 ] && echo "ok: $(wc -l <<<"$listed") metrics listed, every summary name accepted by --assert"
exit "$fail"
