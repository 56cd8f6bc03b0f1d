#!/usr/bin/env python3
"""test_cli.py CASE DRIVER: one behaviour of `c10k compare` on synthetic results
folders written by gen_results.py (fixed seeds, so every run is the same).
Exit 0 pass, 1 fail. Cases: see CASES at the bottom."""
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "gen_results.py")
DRIVER = None
TMP = None


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def gen(name, *args):
    out = os.path.join(TMP, name)
    subprocess.run([sys.executable, GEN, out, *args], check=True)
    return out


def cmp(*args):
    r = subprocess.run([DRIVER, *args], capture_output=True, text=True, timeout=30)
    return r.returncode, r.stdout, r.stderr


def cmp_json(*args):
    rc, out, err = cmp("--format", "json", *args)
    try:
        return rc, json.loads(out), err
    except ValueError as e:
        raise Fail("--format json is not JSON (%s): %r" % (e, out[:300]))


def rows(doc, point=None, metric=None):
    return [r for r in doc["compare"]["rows"]
            if (point is None or r["point"] == point) and (metric is None or r["metric"] == metric)]


def case_shift20():
    """a known 20% shift of p99 on 8 vs 8 trials: regressed, p = 2/C(16,8)"""
    a = gen("a", "--trials", "8", "--seed", "1")
    b = gen("b", "--trials", "8", "--seed", "2", "--scale", "p99=1.2")
    rc, doc, err = cmp_json(a, b)
    check(rc == 1, "exit %d, want 1 (regression); %s" % (rc, err))
    r = rows(doc, metric="latency_p99_us")[0]
    check(r["verdict"] == "regressed", "p99 verdict %s" % r["verdict"])
    check(abs(r["p"] - 2 / math.comb(16, 8)) < 1e-9, "p %g, want 2/C(16,8)" % r["p"])
    check(15 < r["change_pct"] < 25, "change %g%%" % r["change_pct"])
    check(r["p_holm"] >= r["p"] and r["p_holm"] <= 0.05, "Holm p %g" % r["p_holm"])
    others = [x for x in rows(doc) if x["metric"] != "latency_p99_us"]
    check(all(x["verdict"] == "~" for x in others), "only p99 should move")
    rc, out, _ = cmp(a, b)
    check("regressed" in out and "latency_p99_us" in out, "text output names the regression")
    # the same shift in the good direction is an improvement, exit 0
    rc, doc, _ = cmp_json(b, a)
    check(rc == 0 and rows(doc, metric="latency_p99_us")[0]["verdict"] == "improved",
          "reverse: exit %d" % rc)
    # throughput down 20% is a regression (higher is better)
    c = gen("c", "--trials", "8", "--seed", "3", "--scale", "throughput=0.8")
    rc, doc, _ = cmp_json(a, c)
    check(rc == 1 and rows(doc, metric="throughput_rps")[0]["verdict"] == "regressed",
          "throughput -20%% not flagged (exit %d)" % rc)


def case_identical():
    """20 A/A comparisons of the same distribution (different seeds): no alarm"""
    alarms = 0
    for s in range(20):
        a = gen("a%d" % s, "--trials", "8", "--seed", str(100 + s), "--noise", "0.05",
                "--point", "epoll,100,0,max", "--point", "threads,1000,0,max")
        b = gen("b%d" % s, "--trials", "8", "--seed", str(200 + s), "--noise", "0.05",
                "--point", "epoll,100,0,max", "--point", "threads,1000,0,max")
        rc, doc, err = cmp_json(a, b)
        check(rc in (0, 1), "exit %d: %s" % (rc, err))
        check(all(r["verdict"] in ("~", "regressed", "improved") for r in rows(doc)),
              "8 vs 8 trials are enough for 12 tests")
        alarms += rc == 1
    print("A/A synthetic: %d false alarms in 20 comparisons" % alarms)
    check(alarms == 0, "%d false alarms in 20 A/A comparisons" % alarms)


def case_too_few():
    """2 vs 2 trials: said so, with the trials it would take; exit 0"""
    a = gen("a", "--trials", "2", "--seed", "1")
    b = gen("b", "--trials", "2", "--seed", "2", "--scale", "p99=1.5")
    rc, out, err = cmp(a, b)
    check(rc == 0, "exit %d: %s" % (rc, err))
    check("too few trials: n=2 vs 2, need >= 4 per side for alpha 0.05" in out, out)
    rc, doc, _ = cmp_json(a, b)
    check(all(r["verdict"] == "too_few" and r["need_per_side"] == 4 for r in rows(doc)), "json")
    # 4 vs 4 reaches p=0.029 alone, but not after Holm over 6 tests: need 5
    a = gen("a4", "--trials", "4", "--seed", "1")
    b = gen("b4", "--trials", "4", "--seed", "2", "--scale", "p99=1.5")
    rc, out, _ = cmp(a, b)
    check("need >= 5 per side for alpha 0.05 over 6 tests" in out, out)


def case_missing():
    """points on one side only are listed, not failed"""
    a = gen("a", "--point", "epoll,100,0,max", "--point", "prefork,100,0,max", "--seed", "1")
    b = gen("b", "--point", "epoll,100,0,max", "--point", "threads,100,0,max",
            "--point", "nginx,100,0,delay", "--unmeasured", "nginx-c100-r0-delay=unsupported",
            "--seed", "2")
    rc, out, err = cmp(a, b)
    check(rc == 0, "exit %d: %s" % (rc, err))
    check("only in BASE: prefork-c100-r0-max" in out, out)
    check("only in NEW: threads-c100-r0-max" in out, out)
    rc, doc, _ = cmp_json(a, b)
    check([p["id"] for p in doc["compare"]["only_new"]] == ["threads-c100-r0-max"], "only_new")
    # nothing in common: exit 2
    c = gen("c", "--point", "libuv,100,0,max")
    rc, _, err = cmp(a, c)
    check(rc == 2 and "no point measured in both" in err, "disjoint: exit %d %s" % (rc, err))


def case_malformed():
    """malformed JSON: exit 2 with one line naming the file"""
    a = gen("a")
    b = gen("b", "--corrupt", "epoll-c100-r0-max")
    rc, out, err = cmp(a, b)
    check(rc == 2, "exit %d" % rc)
    check(len(err.strip().splitlines()) == 1 and "epoll-c100-r0-max.json" in err, repr(err))
    with open(os.path.join(TMP, "bad.json"), "w") as f:
        f.write("{}")
    os.makedirs(os.path.join(TMP, "c"))
    with open(os.path.join(TMP, "c", "manifest.json"), "w") as f:
        f.write('{"schema": "something-else/1"}')
    rc, _, err = cmp(a, os.path.join(TMP, "c"))
    check(rc == 2 and len(err.strip().splitlines()) == 1 and "schema" in err, repr(err))
    rc, _, err = cmp(a, os.path.join(TMP, "nonexistent"))
    check(rc == 2 and len(err.strip().splitlines()) == 1, repr(err))
    rc, _, err = cmp("--alpha", "2", a, a)
    check(rc == 2 and err.startswith("c10k compare: bad --alpha"), repr(err))


def case_assert():
    """--assert on NEW alone: pass -> 0, fail -> 1 with the points, bad -> 2"""
    b = gen("b", "--point", "epoll,100,0,max", "--point", "threads,1000,0,max", "--errors", "1")
    rc, out, err = cmp("--assert", "p99<5ms", "--assert", "throughput>10k",
                       "--assert", "mem_per_conn<64KiB", b)
    check(rc == 0, "passing assertions: exit %d %s %s" % (rc, out, err))
    rc, out, _ = cmp("--assert", "epoll:p99<500us", b)
    check(rc == 1 and "epoll-c100-r0-max" in out and "threads-c1000" not in out, out)
    rc, out, _ = cmp("--assert", "errors==0", b)
    check(rc == 1 and "threads-c1000-r0-max" in out, "errors in one trial must fail: " + out)
    rc, doc, _ = cmp_json("--assert", "max(p999)<=2ms", "--assert", "min(throughput)>1k", b)
    check(rc == 1 and doc["assertions"][0]["pass"] is False and doc["assertions"][1]["pass"],
          "json assertions")
    rc, out, _ = cmp("--assert", "nginx:p99<5ms", b)
    check(rc == 1 and "matched no measured point" in out, "unmatched scope must fail")
    for bad in ("p99<<5ms", "bogus<5", "p99<5parsecs", "p99", "median(p99<5ms"):
        rc, _, err = cmp("--assert", bad, b)
        check(rc == 2 and len(err.strip().splitlines()) == 1, "%s: exit %d %r" % (bad, rc, err))
    # with BASE too: assertions and comparison both count
    a = gen("a", "--point", "epoll,100,0,max", "--point", "threads,1000,0,max")
    rc, out, _ = cmp("--assert", "p99<5ms", a, b)
    check(rc == 0 and "PASS" in out, "compare + assert: exit %d" % rc)


def case_formats():
    """md is a well-formed table; json carries the schema and every row"""
    a = gen("a", "--trials", "6", "--point", "epoll,100,0,max", "--point", "threads,100,0,max")
    b = gen("b", "--trials", "6", "--seed", "5", "--point", "epoll,100,0,max",
            "--point", "threads,100,0,max", "--scale", "p50=1.3")
    rc, out, _ = cmp("--format", "md", a, b)
    check(rc == 1, "exit %d" % rc)
    lines = out.splitlines()
    check(lines[0].startswith("### c10k compare:"), lines[0])
    table = [ln for ln in lines if ln.startswith("|")]
    check(len(table) == 2 + 12, "%d table lines" % len(table))
    cols = {ln.count("|") for ln in table}
    check(cols == {8}, "ragged table %s" % cols)
    check(set(table[1].replace("|", "")) <= set("-: "), table[1])
    check(any("**regressed**" in ln and "latency_p50_us" in ln for ln in table), "md verdict")
    rc, doc, _ = cmp_json(a, b)
    check(doc["schema"] == "c10k-compare/1" and doc["exit"] == 1, "schema/exit")
    check(len(rows(doc)) == 12 and doc["compare"]["summary"]["tests"] == 12, "rows")
    for r in rows(doc):
        for k in ("median", "ci_lo", "ci_hi", "n"):
            check(k in r["base"] and k in r["new"], k)
        check(r["base"]["ci_lo"] <= r["base"]["median"] <= r["base"]["ci_hi"], "CI order")


def case_flagged():
    """flagged trials are left out of the test and counted"""
    a = gen("a", "--trials", "8", "--seed", "1")
    b = gen("b", "--trials", "8", "--seed", "2", "--flagged", "3")
    rc, out, _ = cmp(a, b)
    check("new 5/8" in out, out)
    rc, doc, _ = cmp_json(a, b)
    r = rows(doc, metric="latency_p99_us")[0]
    check(r["new"]["n"] == 5 and r["new"]["trials"] == 8, "n %s" % r["new"])
    rc, doc, _ = cmp_json("--include-flagged", a, b)
    check(rows(doc, metric="latency_p99_us")[0]["new"]["n"] == 8, "--include-flagged")


def case_memfloor():
    """memory +20%: ~ on 100 connections (< 1MiB in all), regressed on 10k"""
    pts = ["--point", "epoll,100,0,max", "--point", "epoll,10000,0,max"]
    a = gen("a", "--trials", "8", "--seed", "1", *pts)
    b = gen("b", "--trials", "8", "--seed", "2", "--scale", "mem=1.2", *pts)
    rc, doc, _ = cmp_json(a, b)
    small = rows(doc, "epoll-c100-r0-max", "mem_per_conn_bytes")[0]
    big = rows(doc, "epoll-c10000-r0-max", "mem_per_conn_bytes")[0]
    check(small["significant"] and small["verdict"] == "~", "c100: %s" % small["verdict"])
    check(big["verdict"] == "regressed" and rc == 1, "c10000: %s" % big["verdict"])
    rc, doc, _ = cmp_json("--mem-floor", "0", "--threshold", "mem=25%", a, b)
    check(rc == 0, "--threshold mem=25%% should accept +20%% (exit %d)" % rc)


def case_no_manifest():
    """a folder without manifest.json (interrupted run): points/*.json are read"""
    a = gen("a", "--trials", "8", "--seed", "1")
    b = gen("b", "--trials", "8", "--seed", "2", "--no-manifest", "--scale", "p999=1.5")
    rc, doc, err = cmp_json(a, b)
    check(rc == 1 and rows(doc, metric="latency_p999_us")[0]["verdict"] == "regressed",
          "exit %d %s" % (rc, err))


def case_merged():
    """a folder of single-trial runs (ABAB, as ci-compare.sh writes) is one run"""
    pts = ["--point", "epoll,100,0,max", "--point", "nginx,100,0,delay",
           "--unmeasured", "nginx-c100-r0-delay=unsupported"]
    for i in range(8):
        gen("base/%d" % i, "--trials", "1", "--seed", str(i), *pts)
        gen("new/%d" % i, "--trials", "1", "--seed", str(50 + i), "--scale", "p50=1.2", *pts)
    open(os.path.join(TMP, "base", "stray.txt"), "w").close()
    rc, doc, err = cmp_json(os.path.join(TMP, "base"), os.path.join(TMP, "new"))
    check(rc == 1, "exit %d %s" % (rc, err))
    r = rows(doc, metric="latency_p50_us")
    check(len(r) == 1 and r[0]["base"]["n"] == 8 and r[0]["new"]["n"] == 8, "8 trials merged")
    check(r[0]["verdict"] == "regressed", r[0]["verdict"])
    check(not doc["compare"]["only_base"] and not doc["compare"]["only_new"], "unsupported point")


def case_broken():
    """a point broken in NEW but not in BASE is a regression; the reverse is listed"""
    pts = ["--trials", "6", "--point", "epoll,100,0,max", "--point", "threads,100,0,max"]
    a = gen("a", *pts)
    b = gen("b", "--seed", "2", "--broken", "threads-c100-r0-max=pthread_create: EAGAIN", *pts)
    rc, out, err = cmp(a, b)
    check(rc == 1, "exit %d, want 1: %s" % (rc, err))
    check("BROKEN in NEW (not in BASE): threads-c100-r0-max: pthread_create: EAGAIN" in out, out)
    rc, doc, _ = cmp_json(a, b)
    check(doc["compare"]["summary"]["broken"] == 1, "summary.broken")
    rc, out, _ = cmp(b, a)
    check(rc == 0 and "fixed in NEW (broken in BASE): threads-c100-r0-max" in out, out)


CASES = {k[5:]: v for k, v in globals().items() if k.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        print("usage: test_cli.py CASE DRIVER (cases: %s)" % " ".join(CASES), file=sys.stderr)
        sys.exit(2)
    DRIVER = sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="c10k-cmp-") as TMP:
        try:
            CASES[sys.argv[1]]()
        except Fail as e:
            print("FAIL %s: %s" % (sys.argv[1], e))
            sys.exit(1)
    print("ok %s: %s" % (sys.argv[1], CASES[sys.argv[1]].__doc__))
