#!/usr/bin/env python3
"""tests/compare: what scripts/ci-compare.sh publishes once both sides are measured
(its --report mode, on synthetic folders of single-trial runs as it writes them;
no build, no sweep). test_ci_publish.py CASE SOURCE_ROOT BUILD_ROOT
  summary  GITHUB_STEP_SUMMARY set: the markdown table is appended to it (what was
           there stays), and compare.md/compare.json are in the folder; exit 1 on the
           regression NEW carries
  nosummary  GITHUB_STEP_SUMMARY unset: nothing written outside the folder
  bench    benchmark-bigger.json holds exactly the compared metrics that the metric
           table (c10k compare --list-metrics) says are better higher, -smaller.json
           the others; each entry is NEW's median of compare.json with the table's unit
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import fail  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def gen(d, *args):
    subprocess.run([sys.executable, os.path.join(HERE, "gen_results.py"), d] + list(args),
                   check=True, capture_output=True)


def make_ci_folder(tmp):
    d = os.path.join(tmp, "ci")
    pts = ["--point", "epoll,100,0,max", "--point", "threads,100,0,max"]
    for i in range(6):
        gen(os.path.join(d, "base", "%03d" % i), "--trials", "1", "--seed", str(i), *pts)
        gen(os.path.join(d, "new", "%03d" % i), "--trials", "1", "--seed", str(40 + i),
            "--scale", "throughput=0.7", *pts)
    return d


def publish(src, build, d, env_extra):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env.update(env_extra)
    return subprocess.run([os.path.join(src, "scripts", "ci-compare.sh"), "--report", d,
                           "--build", build], capture_output=True, text=True, env=env,
                          timeout=60)


def case_summary(src, build, tmp):
    d = make_ci_folder(tmp)
    summary = os.path.join(tmp, "step-summary.md")
    with open(summary, "w") as f:
        f.write("earlier step\n")
    r = publish(src, build, d, {"GITHUB_STEP_SUMMARY": summary})
    if r.returncode != 1:
        fail("exit %d, want 1 (NEW is 30%% slower): %s" % (r.returncode, r.stderr[-500:]))
    with open(summary) as f:
        text = f.read()
    with open(os.path.join(d, "compare.md")) as f:
        md = f.read()
    if not text.startswith("earlier step\n") or md.strip() not in text:
        fail("the step summary lacks the table or lost what was there:\n" + text[:800])
    if "throughput" not in md or "|" not in md:
        fail("compare.md has no table: " + md[:400])
    json.load(open(os.path.join(d, "compare.json")))
    print("ok: table appended to GITHUB_STEP_SUMMARY")


def case_nosummary(src, build, tmp):
    d = make_ci_folder(tmp)
    before = set(os.listdir(tmp))
    r = publish(src, build, d, {})
    if r.returncode != 1 or set(os.listdir(tmp)) != before:
        fail("exit %d, files %r" % (r.returncode, set(os.listdir(tmp)) - before))
    if "GITHUB_STEP_SUMMARY" in r.stderr:
        fail("spoke of a step summary without one: " + r.stderr)
    print("ok: no step summary when unset")


def case_bench(src, build, tmp):
    d = make_ci_folder(tmp)
    r = publish(src, build, d, {})
    if r.returncode != 1:
        fail("exit %d: %s" % (r.returncode, r.stderr[-500:]))
    lm = subprocess.run([os.path.join(build, "harness", "c10k"), "compare", "--list-metrics"],
                        capture_output=True, text=True, check=True).stdout.splitlines()
    better = {w[0]: w[2] for w in (l.split() for l in lm[1:]) if len(w) > 2}
    doc = json.load(open(os.path.join(d, "compare.json")))
    want = {"higher": {}, "lower": {}}
    for row in doc["compare"]["rows"]:
        name = "%s %s c=%d %s" % (row["model"], row["scenario"], row["connections"],
                                  row["metric"])
        want[better[row["metric"]]][name] = row["new"]["median"]
    if not want["higher"] or not want["lower"]:
        fail("the comparison should have metrics of both directions: %r" % want)
    for key, fname in (("higher", "benchmark-bigger.json"), ("lower", "benchmark-smaller.json")):
        entries = json.load(open(os.path.join(d, fname)))
        got = {e["name"]: e["value"] for e in entries}
        if got != want[key]:
            fail("%s: %r, want %r" % (fname, sorted(got), sorted(want[key])))
        for e in entries:
            if not e.get("unit") or not isinstance(e.get("extra"), str):
                fail("%s: entry without unit or extra: %r" % (fname, e))
    tput = [e for e in json.load(open(os.path.join(d, "benchmark-bigger.json")))
            if e["name"].endswith("throughput_rps")]
    if not tput or tput[0]["unit"] != "req/s" or "regressed" not in tput[0]["extra"]:
        fail("throughput entry: %r" % tput)
    print("ok: %d bigger-is-better, %d smaller-is-better entries"
          % (len(want["higher"]), len(want["lower"])))


def main():
    case, src, build = sys.argv[1], sys.argv[2], sys.argv[3]
    with tempfile.TemporaryDirectory() as tmp:
        globals()["case_" + case](src, build, tmp)


if __name__ == "__main__":
    main()
