#!/usr/bin/env python3
"""gen_results.py: writes a synthetic c10k results folder that follows
docs/results.md exactly (manifest.json + points/<id>.json, c10k-point/1 with
per-trial flat metrics), for the compare tests.

  gen_results.py OUT [--trials N] [--seed S] [--noise 0.02]
                 [--point MODEL,CONNS,RATE,SCENARIO[,PATH]]...
                 [--scale METRIC=FACTOR]... [--flagged K] [--errors K]
                 [--unmeasured ID=STATUS]... [--broken ID=REASON]... [--corrupt ID]
                 [--no-manifest]

Every metric of a trial is its base value x FACTOR x lognormal(0, noise);
--flagged K marks the first K trials invalid (loadgen_saturated), --errors K
gives the first K trials errors (flagged "errors").
"""
import argparse
import json
import math
import os
import random

BASE = {
    "throughput_rps": 50000.0, "latency_p50_us": 200.0, "latency_p90_us": 350.0,
    "latency_p99_us": 900.0, "latency_p999_us": 2500.0, "latency_max_us": 6000.0,
    "errors": 0, "connections_established": None, "cpu_us_per_req": 20.0,
    "ctxsw_per_req": 0.3, "pss_idle_bytes": 2.0e6, "pss_loaded_bytes": None,
    "rss_loaded_bytes": None, "vsz_loaded_bytes": 2.0e8, "threads_loaded": 1,
    "processes_loaded": 1, "mem_per_conn_user_bytes": 9000.0,
    "mem_per_conn_kstack_bytes": 0.0, "mem_per_conn_pagetables_bytes": 1000.0,
    "mem_per_conn_socket_bytes": 10000.0, "mem_per_conn_bytes": None,
    "mem_per_conn_available_bytes": 24000.0, "loadgen_cpu_fraction": 0.6,
}
ALIAS = {"throughput": "throughput_rps", "p50": "latency_p50_us", "p99": "latency_p99_us",
         "p999": "latency_p999_us", "cpu": "cpu_us_per_req", "mem": "mem_per_conn_bytes"}
NOISY = {"throughput_rps", "latency_p50_us", "latency_p90_us", "latency_p99_us",
         "latency_p999_us", "latency_max_us", "cpu_us_per_req", "ctxsw_per_req",
         "mem_per_conn_user_bytes", "mem_per_conn_socket_bytes", "mem_per_conn_pagetables_bytes"}


def metrics(rng, conns, scale, noise, errors):
    m = {}
    for k, v in BASE.items():
        if v is None:
            continue
        v = v * scale.get(k, 1.0)
        if k in NOISY:
            v *= math.exp(rng.gauss(0, noise))
        m[k] = round(v, 3) if isinstance(v, float) else v
    m["errors"] = errors
    m["connections_established"] = conns
    m["mem_per_conn_bytes"] = round((m["mem_per_conn_user_bytes"] + m["mem_per_conn_kstack_bytes"]
                                     + m["mem_per_conn_pagetables_bytes"]
                                     + m["mem_per_conn_socket_bytes"])
                                    * scale.get("mem_per_conn_bytes", 1.0), 3)
    m["pss_loaded_bytes"] = m["pss_idle_bytes"] + m["mem_per_conn_user_bytes"] * conns
    m["rss_loaded_bytes"] = m["pss_loaded_bytes"]
    return m


def trial(rng, k, pid, conns, args, scale):
    flags = []
    errors = 3 if k < args.errors else 0
    if errors:
        flags.append("errors")
    if k < args.flagged:
        flags.append("loadgen_saturated")
    m = metrics(rng, conns, scale, args.noise, errors)
    return {
        "trial": k, "started": "2026-11-21T10:00:%02dZ" % (k % 60), "valid": not flags,
        "flags": flags,
        "server": {"pid": 1000 + k, "cpus": "0", "exit_status": 0, "signal": 0,
                   "stats": {"accepted": conns, "rejected": 0, "reason": "none"}},
        "load": {"schema": "c10k-load/1", "throughput_rps": m["throughput_rps"],
                 "connections": {"target": conns, "established": conns, "failed": 0}},
        "probe": {"interval_ms": 100, "samples": 10, "cpu_fraction": 0.001},
        "metrics": m,
        "files": {"hgrm": "points/%s-t%d.hgrm" % (pid, k),
                  "timeline": "points/%s-t%d.timeline.csv" % (pid, k),
                  "stderr": "points/%s-t%d.stderr" % (pid, k)},
    }


def summary(trials):
    valid = [t for t in trials if t["valid"]]
    keys = trials[0]["metrics"].keys() if trials else []
    med, lo, hi = {}, {}, {}
    for k in keys:
        vals = sorted(t["metrics"][k] for t in (valid or trials) if t["metrics"][k] is not None)
        n = len(vals)
        if not n:
            med[k] = lo[k] = hi[k] = None
            continue
        med[k] = vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2
        lo[k], hi[k] = vals[0], vals[-1]
    return {"trials": len(trials), "valid_trials": len(valid), "median": med, "min": lo, "max": hi}


def parse_point(s):
    f = s.split(",")
    model, conns, rate, scen = f[0], int(f[1]), int(f[2]), f[3]
    path = f[4] if len(f) > 4 else ("/" if scen == "max" else "/?delay_us=10000")
    return {"id": "%s-c%d-r%d-%s" % (model, conns, rate, scen), "model": model,
            "connections": conns, "rate": rate, "scenario": scen, "path": path}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--noise", type=float, default=0.02)
    ap.add_argument("--point", action="append", default=[])
    ap.add_argument("--scale", action="append", default=[])
    ap.add_argument("--flagged", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--unmeasured", action="append", default=[])
    ap.add_argument("--broken", action="append", default=[])
    ap.add_argument("--corrupt")
    ap.add_argument("--no-manifest", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    scale = {}
    for s in args.scale:
        k, v = s.split("=")
        scale[ALIAS.get(k, k)] = float(v)
    unmeasured = dict(s.split("=") for s in args.unmeasured)
    broken = dict(s.split("=", 1) for s in args.broken)
    points = [parse_point(p) for p in (args.point or ["epoll,100,0,max"])]
    os.makedirs(os.path.join(args.out, "points"), exist_ok=True)
    entries = []
    for p in points:
        e = dict(p, status="ok", reason=None, file="points/%s.json" % p["id"])
        if p["id"] in unmeasured:
            e["status"] = unmeasured[p["id"]]
            e["reason"] = "synthetic: not measured"
            entries.append(e)
            continue
        trials = [trial(rng, k, p["id"], p["connections"], args, scale) for k in range(args.trials)]
        e["status"] = "ok" if all(t["valid"] for t in trials) else "flagged"
        if p["id"] in broken:
            e["status"], e["reason"] = "broken", broken[p["id"]]
            for t in trials:
                t["metrics"]["latency_p50_us"] = None
        doc = dict(p, schema="c10k-point/1", status=e["status"], reason=e["reason"],
                   trials=trials, summary=summary(trials))
        for t in trials:  # the harness keeps each trial's c10k-load JSON beside the point
            with open(os.path.join(args.out, "points", "%s-t%d.load.json" % (p["id"], t["trial"])),
                      "w") as f:
                json.dump(t["load"], f)
        with open(os.path.join(args.out, e["file"]), "w") as f:
            if args.corrupt == p["id"]:
                f.write(json.dumps(doc, indent=1)[:-40] + "\n")
            else:
                json.dump(doc, f, indent=1)
        entries.append(e)
    if args.no_manifest:
        return
    models = sorted({p["model"] for p in points})
    manifest = {
        "schema": "c10k-manifest/1", "status": "complete", "created": "2026-11-21T10:00:00Z",
        "finished": "2026-11-21T10:01:00Z", "command": ["gen_results.py", args.out],
        "env": {"kernel": "synthetic", "git": {"commit": "synthetic-%d" % args.seed}},
        "config": {"models": models, "connections": sorted({p["connections"] for p in points}),
                   "rates": sorted({p["rate"] for p in points}),
                   "scenarios": {p["scenario"]: p["path"] for p in points}, "duration_s": 1,
                   "warmup_s": 0, "trials": args.trials, "server_cpus": "0", "load_cpus": "1",
                   "load_threads": 1},
        "points": entries,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
