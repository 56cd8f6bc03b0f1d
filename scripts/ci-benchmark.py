#!/usr/bin/env python3
"""ci-benchmark.py: c10k compare's JSON (c10k-compare/1) as github-action-benchmark
input: one file of customSmallerIsBetter entries and one of customBiggerIsBetter
entries (an action step takes one tool each). Which way a metric is better, and its
unit, come from the project's one metric table (`c10k compare --list-metrics`).
  scripts/ci-benchmark.py COMPARE_JSON METRICS_TABLE OUT_DIR
writes OUT_DIR/benchmark-smaller.json and OUT_DIR/benchmark-bigger.json: [{"name",
"unit", "value", "range", "extra"}], value = NEW's median over its trials."""
import json
import math
import os
import sys

UNITS = {"rps": "req/s", "us": "us", "bytes": "bytes", "count": "count", "fraction": "fraction"}


def metric_table(path):
    """name -> (unit, better) from the --list-metrics table (header line first)."""
    table = {}
    with open(path) as f:
        lines = f.read().splitlines()
    head = lines[0].split() if lines else []
    if head[:3] != ["metric", "unit", "better"]:
        raise SystemExit("ci-benchmark.py: %s is not c10k compare --list-metrics output" % path)
    for line in lines[1:]:
        w = line.split()
        if len(w) >= 3 and w[2] in ("higher", "lower"):
            table[w[0]] = (UNITS.get(w[1], w[1]), w[2])
    return table


def finite(v):
    return isinstance(v, (int, float)) and math.isfinite(v)


def entry(row, unit):
    new, base = row["new"], row["base"]
    e = {"name": "%s %s c=%d %s" % (row["model"], row["scenario"], row["connections"],
                                     row["metric"]),
         "unit": unit, "value": new["median"]}
    if finite(new.get("ci_lo")) and finite(new.get("ci_hi")):
        e["range"] = "± %.4g" % ((new["ci_hi"] - new["ci_lo"]) / 2)
    extra = "verdict %s, %d trials" % (row["verdict"], new["n"])
    if finite(base.get("median")):
        extra = "BASE %.4g %s; " % (base["median"], unit) + extra
    if finite(row.get("change_pct")):
        extra += ", change %+.1f%%" % row["change_pct"]
    e["extra"] = extra
    return e


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    table = metric_table(sys.argv[2])
    out = {"lower": [], "higher": []}
    for row in doc["compare"]["rows"]:
        if row["metric"] not in table or not finite(row["new"].get("median")):
            continue
        unit, better = table[row["metric"]]
        out[better].append(entry(row, unit))
    for better, name in (("lower", "benchmark-smaller.json"), ("higher", "benchmark-bigger.json")):
        path = os.path.join(sys.argv[3], name)
        with open(path + ".tmp", "w") as f:
            json.dump(out[better], f, indent=1)
        os.replace(path + ".tmp", path)
    print("ci-benchmark.py: %d smaller-is-better, %d bigger-is-better entries in %s"
          % (len(out["lower"]), len(out["higher"]), sys.argv[3]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
