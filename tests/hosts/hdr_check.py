"""hdr_check: checks a multi-host trial against its hosts' own files, with no
code shared with the harness: each merged .hlog interval is the hosts' same
interval (by its start from the host's own StartTime) added, the intervals
add up to the total; the merged
latency_us percentiles are those of the union of the hosts' histograms
(computed here the way HdrHistogram's value_at_percentile does); counters
add up.
   python3 hdr_check.py POINT_JSON   (exit 0 ok, 1 with what differs)"""
import json
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "loadgen"))
import hlog_read  # noqa: E402


def counts_of(path, tag="corrected"):
    """{interval k (its start in s from the log's StartTime, rounded): its
    counts}, their total; each k once."""
    ivs, total = {}, Counter()
    for line in open(path):
        line = line.strip()
        if not line.startswith("Tag=" + tag + ","):
            continue
        f = line.split(",")
        k = int(float(f[1]) + 0.5)
        if k in ivs:
            raise ValueError("%s: two %s intervals at %d s" % (path, tag, k))
        _, counts = hlog_read.decode(f[4])
        ivs[k] = Counter(counts)
        total.update(counts)
    return ivs, total


def value_at(idx, half_mag=10, unit_mag=0):
    """(lowest, highest) equivalent value of counts index idx (1 us, 3 digits)."""
    bucket = (idx >> half_mag) - 1
    sub = (idx & ((1 << half_mag) - 1)) + (1 << half_mag)
    if bucket < 0:
        sub -= 1 << half_mag
        bucket = 0
    low = sub << (bucket + unit_mag)
    size = 1 << (bucket + unit_mag)
    return low, low + size - 1


def percentile(total, p):
    n = sum(total.values())
    want = max(1, int(p / 100.0 * n + 0.5))
    run = 0
    for idx in sorted(total):
        run += total[idx]
        if run >= want:
            return value_at(idx)[1]
    return 0


def main(point_path):
    d = json.load(open(point_path))
    base = os.path.dirname(os.path.dirname(point_path))
    t = d["trials"][0]
    load, bad = t["load"], []
    hosts, runners = load["hosts"], load["runners"]
    if len(hosts) != len(runners) or len(set(hosts)) != len(hosts):
        bad.append("hosts %s for %d runners" % (hosts, len(runners)))
    merged_ivs, merged_total = counts_of(os.path.join(base, t["files"]["hlog"]))
    stem = os.path.join(base, t["files"]["hlog"])[:-len(".hlog")]
    union, host_ivs = Counter(), {}
    for i in range(len(hosts)):
        ivs, total = counts_of("%s.l%d.hlog" % (stem, i))
        union.update(total)
        for k, c in ivs.items():
            host_ivs.setdefault(k, Counter()).update(c)
    if union != merged_total:
        bad.append("merged .hlog total != the hosts' totals added")
    if host_ivs != merged_ivs:
        bad.append("the merged .hlog's intervals are not the hosts' same intervals added")
    if sum(sum(c.values()) for c in merged_ivs.values()) != load["latency_us"]["count"]:
        bad.append("the merged .hlog's intervals do not add up to latency_us.count")
    for name, p in (("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("p9999", 99.99)):
        want = percentile(union, p)
        if load["latency_us"][name] != want:
            bad.append("latency_us.%s = %s, the union's is %s" % (name, load["latency_us"][name], want))
    if load["latency_us"]["count"] != sum(union.values()):
        bad.append("latency_us.count != the union's")
    for group, key in (("connections", "established"), ("connections", "target"),
                       ("requests", "completed"), ("requests", "sent"), ("errors", "connect")):
        s = sum(r[group][key] for r in runners)
        if load[group][key] != s:
            bad.append("%s.%s = %s, the hosts add to %s" % (group, key, load[group][key], s))
    print("merged p99 %s us = union p99 %s us over %d hosts, %d samples" % (
        load["latency_us"]["p99"], percentile(union, 99), len(hosts), sum(union.values())))
    for b in bad:
        print("FAIL: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
