#!/usr/bin/env bash
# test-results-status.sh BIN DATA: compare, plot and report give the same status
# for every point (BIN = test-results-status) of DATA (tests/data/results-small)
# and of a copy of it where the harness died mid-run after a crashed trial: a point
# file written (flagged, its trial server_crashed) while the manifest still says
# pending; a point the manifest calls broken while its file says ok; a point not
# measured yet. The status rule is docs/results.md "Which status wins".
set -uo pipefail
bin=${1:?test-results-status} data=${2:?results folder}
[ -f "$data/manifest.json" ] || { echo "skip: no $data/manifest.json"; exit 77; }
tmp=$(mktemp -d /tmp/c10k-status-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$bin" "$data" epoll-c50-r0-max=ok nginx-c50-r500-delay=unsupported || exit 1
cp -r "$data" "$tmp/run"
python3 - "$tmp/run" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
man = json.load(open(d + "/manifest.json"))
man["status"] = "running"
ent = {p["id"]: p for p in man["points"]}
def point(pid):
    return json.load(open(d + "/" + ent[pid]["file"]))
def save(pid, doc):
    json.dump(doc, open(d + "/" + ent[pid]["file"], "w"))
# the trial's server crashed; the point file was written, the manifest not yet
doc = point("threads-c200-r0-max")
doc["trials"][0].update(valid=False, flags=["server_crashed"])
doc["status"] = "flagged"
save("threads-c200-r0-max", doc)
ent["threads-c200-r0-max"].update(status="pending", file="points/threads-c200-r0-max.json")
# the manifest has the last word over a decided point file
ent["epoll-c200-r0-max"].update(status="broken", reason="server crashed (SIGSEGV)")
# not measured yet
ent["py-asyncio-c200-r0-max"].update(status="pending", reason=None, file=None)
json.dump(man, open(d + "/manifest.json", "w"))
PY
"$bin" "$tmp/run" threads-c200-r0-max=flagged epoll-c200-r0-max=broken \
  py-asyncio-c200-r0-max=pending epoll-c50-r0-max=ok
