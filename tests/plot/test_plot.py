#!/usr/bin/env python3
"""tests/plot: `c10k plot` on a temp copy of tests/data/results-small.
One behaviour per case: test_plot.py CASE C10K DATA_DIR
  charts       every chart of index.json has a PNG (signature, > 5 KB) and an SVG (XML)
  expected     index.json holds the charts the brief asks for, one per scenario where due
  broken       a point made broken in the copy is a cross in its panel's marks (C here),
               its reason in the chart's note (SVG, index.json), the shape in the key
  all_broken   every point broken: still every chart drawn, each marked or noted
  no_manifest  no manifest.json -> exit 2, one line naming it
  malformed    a manifest that is not c10k-manifest/1 -> exit 2, one line
  no_gnuplot   PATH without gnuplot -> exit 1, one line
  bad_scripts  C10K_PLOTS_DIR without the scripts -> exit 1 naming the driver, no index
  formats      --format png writes no SVG; --format gif is a usage error (exit 2)
  bars         mem-per-conn: C models' bars in the left panel, Python's in the right,
               every model name level (no tilted labels)
  latency      latency-max: a column per percentile (p50, p99, p99.9), each model once
               in its row's key; a flagged point's shape at its p99 and p99.9 too
  books        an idle scenario: mem-books with server and client bars apart, C and
               Python panels, names level; no per-scenario idle chart
  waits        with tests/data/waits.json in the folder: the chart 'waits' (PNG, SVG),
               one .dat per client with every N, the guide's figures scaled to the wait;
               without it no such chart
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import fail  # noqa: E402

PNG_SIG = b"\x89PNG\r\n\x1a\n"


def run(c10k, args, env=None, timeout=25):
    return subprocess.run([c10k, "plot"] + args, capture_output=True, text=True,
                          env=env, timeout=timeout)


def copy_data(data, tmp):
    dst = os.path.join(tmp, "results")
    shutil.copytree(data, dst)
    shutil.rmtree(os.path.join(dst, "plots"), ignore_errors=True)
    return dst


def plot_ok(c10k, d, extra=()):
    r = run(c10k, [d, "--quiet"] + list(extra))
    if r.returncode != 0:
        fail("c10k plot exit %d: %s" % (r.returncode, r.stderr.strip()))
    if r.stdout.strip():
        fail("--quiet printed: %r" % r.stdout)
    with open(os.path.join(d, "plots", "index.json")) as f:
        return json.load(f)


def case_charts(c10k, d):
    idx = plot_ok(c10k, d)
    if idx.get("schema") != "c10k-plots/1" or not idx.get("charts"):
        fail("index.json: bad schema or no charts: %r" % idx)
    for c in idx["charts"]:
        for key in ("id", "title", "png", "svg", "caption"):
            if not c.get(key):
                fail("chart %r lacks %s" % (c.get("id"), key))
        with open(os.path.join(d, c["png"]), "rb") as f:
            png = f.read()
        if not png.startswith(PNG_SIG) or len(png) <= 5 * 1024:
            fail("%s: not a PNG or <= 5 KB (%d bytes)" % (c["png"], len(png)))
        try:
            root = ET.parse(os.path.join(d, c["svg"])).getroot()
        except ET.ParseError as e:
            fail("%s: not XML: %s" % (c["svg"], e))
        if not root.tag.endswith("svg"):
            fail("%s: root is %s" % (c["svg"], root.tag))
    print("ok: %d charts, PNG and SVG each" % len(idx["charts"]))


def case_expected(c10k, d):
    idx = plot_ok(c10k, d)
    with open(os.path.join(d, "manifest.json")) as f:
        scenarios = sorted({p["scenario"] for p in json.load(f)["points"]})
    want = {"summary", "memory", "mem-per-conn", "timeline"}
    for sc in scenarios:
        for stem in ("throughput", "latency", "held", "spectrum", "cpu-per-req", "ctxsw-per-req"):
            want.add("%s-%s" % (stem, sc))
    got = {c["id"] for c in idx["charts"]}
    if got != want:
        fail("charts %s, expected %s" % (sorted(got), sorted(want)))
    for c in idx["charts"]:
        if c["png"] != "plots/%s.png" % c["id"] or c["svg"] != "plots/%s.svg" % c["id"]:
            fail("chart %s: paths %s %s" % (c["id"], c["png"], c["svg"]))
    print("ok: %d charts as expected for scenarios %s" % (len(got), scenarios))


def make_broken(d, pid, reason):
    path = os.path.join(d, "manifest.json")
    with open(path) as f:
        m = json.load(f)
    hit = [p for p in m["points"] if p["id"] == pid]
    if not hit:
        fail("no point %s in the data set" % pid)
    hit[0]["status"], hit[0]["reason"] = "broken", reason
    with open(path, "w") as f:
        json.dump(m, f)


def case_broken(c10k, d):
    reason = "pthread_create: EAGAIN after 123 threads"
    make_broken(d, "threads-c200-r0-max", reason)
    plot_ok(c10k, d)
    with open(os.path.join(d, "plots", "throughput-max-c.marks.dat")) as f:
        marks = f.read()
    if reason not in marks or "threads: broken" not in marks:
        fail("marks.dat (C panel) does not name the broken point: %r" % marks)
    if os.path.exists(os.path.join(d, "plots", "throughput-max-py.marks.dat")):
        fail("a Python panel mark for a C model")
    idx = json.load(open(os.path.join(d, "plots", "index.json")))
    note = [c for c in idx["charts"] if c["id"] == "throughput-max"][0].get("note", "")
    if "200 conns, threads: broken (%s)" % reason not in note:
        fail("the chart's note does not give the reason: %r" % note)
    with open(os.path.join(d, "plots", "throughput-max.svg")) as f:
        svg = f.read()
    if reason not in svg or "broken (see below)" not in svg:
        fail("throughput-max.svg lacks the note's reason or the key's broken shape")
    with open(os.path.join(d, "plots", "throughput-max.threads.dat")) as f:
        rows = [line.split()[0] for line in f if line.strip()]
    if "200" in rows:
        fail("the broken point is still drawn on the threads line: %r" % rows)
    with open(os.path.join(d, "plots", "held-max.marks.dat")) as f:
        held = f.read()
    if "threads: " + reason not in held:
        fail("held-max.marks.dat does not name the cause: %r" % held)
    with open(os.path.join(d, "plots", "held-max.threads.dat")) as f:
        if "200" not in [line.split()[0] for line in f if line.strip()]:
            fail("the broken point is not on the held chart's threads line")
    print("ok: broken point marked with its reason (held chart: at what it held)")


def case_all_broken(c10k, d):
    path = os.path.join(d, "manifest.json")
    with open(path) as f:
        m = json.load(f)
    for p in m["points"]:
        if p["status"] == "ok":
            p["status"], p["reason"] = "broken", "only 3 of %d connections" % p["connections"]
    with open(path, "w") as f:
        json.dump(m, f)
    idx = plot_ok(c10k, d)
    with open(os.path.join(d, "plots", "throughput-max.svg")) as f:
        if "only 3 of 200 connections" not in f.read():
            fail("throughput-max.svg does not mark the broken points")
    for c in idx["charts"]:
        if not os.path.getsize(os.path.join(d, c["png"])):
            fail("%s is empty" % c["png"])
    print("ok: %d charts drawn from broken points only" % len(idx["charts"]))


def one_line_error(r, code, needle):
    lines = r.stderr.strip().splitlines()
    if r.returncode != code:
        fail("exit %d, expected %d (stderr %r)" % (r.returncode, code, r.stderr))
    if len(lines) != 1 or needle not in lines[0]:
        fail("stderr should be one line naming %r: %r" % (needle, r.stderr))
    print("ok: exit %d: %s" % (code, lines[0]))


def case_no_manifest(c10k, d):
    os.remove(os.path.join(d, "manifest.json"))
    one_line_error(run(c10k, [d]), 2, "manifest.json")


def case_malformed(c10k, d):
    with open(os.path.join(d, "manifest.json"), "w") as f:
        f.write('{"schema": "something-else/1", "points": []}')
    one_line_error(run(c10k, [d]), 2, "manifest.json")


def case_no_gnuplot(c10k, d):
    env = dict(os.environ, PATH=os.path.join(d, "points"))
    one_line_error(run(c10k, [d], env=env), 1, "gnuplot")
    if os.path.exists(os.path.join(d, "plots", "index.json")):
        fail("index.json written without gnuplot")


def case_bad_scripts(c10k, d):
    plot_ok(c10k, d)
    env = dict(os.environ, C10K_PLOTS_DIR=os.path.join(d, "points"))
    one_line_error(run(c10k, [d], env=env), 1, "gnuplot failed")
    if os.path.exists(os.path.join(d, "plots", "index.json")):
        fail("a failed run left index.json behind")


def case_formats(c10k, d):
    idx = plot_ok(c10k, d, ["--format", "png"])
    if any("svg" in c for c in idx["charts"]):
        fail("--format png: index lists SVGs")
    svgs = [f for f in os.listdir(os.path.join(d, "plots")) if f.endswith(".svg")]
    if svgs:
        fail("--format png wrote %s" % svgs)
    r = run(c10k, [d, "--format", "gif"])
    if r.returncode != 2 or "usage" not in r.stderr:
        fail("--format gif: exit %d %r" % (r.returncode, r.stderr))
    print("ok: --format png only PNG, --format gif exit 2")


def case_waits(c10k, d):
    idx = plot_ok(c10k, d)
    if any(c["id"] == "waits" for c in idx["charts"]):
        fail("a 'waits' chart without waits.json")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "waits.json")
    shutil.copy(src, os.path.join(d, "waits.json"))
    with open(src) as f:
        doc = json.load(f)
    idx = plot_ok(c10k, d)
    chart = [c for c in idx["charts"] if c["id"] == "waits"]
    if len(chart) != 1:
        fail("no single 'waits' chart in index.json")
    with open(os.path.join(d, chart[0]["png"]), "rb") as f:
        if not f.read().startswith(PNG_SIG):
            fail("waits.png is not a PNG")
    ET.parse(os.path.join(d, chart[0]["svg"]))
    ns = [r["n"] for r in doc["rows"]]
    for key in doc["clients"]:
        with open(os.path.join(d, "plots", "waits.%s.dat" % key)) as f:
            rows = [line.split() for line in f if line.strip()]
        if [int(r[0]) for r in rows] != ns:
            fail("waits.%s.dat: N column %r, want %r" % (key, [r[0] for r in rows], ns))
        want = [doc["rows"][i][key]["wall_s"] for i in range(len(ns))]
        if any(abs(float(r[1]) - w) > 1e-4 * w for r, w in zip(rows, want)):
            fail("waits.%s.dat: wall times %r, want %r" % (key, [r[1] for r in rows], want))
    with open(os.path.join(d, "plots", "waits.guide.dat")) as f:
        g = {int(r.split()[0]): float(r.split()[1]) for r in f if r.strip()}
    if abs(g[100] - 104.5 * doc["wait_s"]) > 1e-6:
        fail("guide sequential at 100 not scaled to the wait: %r" % g[100])
    print("ok: chart waits, %d client series" % len(doc["clients"]))


def svg_texts(path):
    """{text: (x, rotated)} of the SVG's text elements (gnuplot's svg terminal
    writes each as <g transform="translate(x,y)[ rotate(a)]" ...><text>T</text>)."""
    with open(path) as f:
        svg = f.read()
    out = {}
    for m in re.finditer(r'<g transform="translate\(([-\d.]+),[-\d.]+\)( rotate\([^)]*\))?"'
                         r'[^>]*>\s*<text>([^<]*)</text>', svg):
        out.setdefault(m.group(3), (float(m.group(1)), bool(m.group(2))))
    return out


def python_models(c10k):
    """The Python models of the model table (c10k models --json: language)."""
    r = subprocess.run([c10k, "models", "--json"], capture_output=True, text=True, timeout=20)
    if r.returncode != 0:
        fail("c10k models --json exit %d" % r.returncode)
    return {m["name"] for m in json.loads(r.stdout) if m["language"] == "python"}


def check_panels(c10k, d, chart, labels_of):
    """Each model's labels in chart's SVG: level; with models of both languages,
    two titled panels, C models left of the middle, Python models right of it."""
    texts = svg_texts(os.path.join(d, "plots", chart + ".svg"))
    py = python_models(c10k)
    man = json.load(open(os.path.join(d, "manifest.json")))
    models = sorted({p["model"] for p in man["points"] if labels_of(p["model"])})
    both = any(m in py for m in models) and any(m not in py for m in models)
    for t in ("C models (and nginx)", "Python models") if both else ():
        if t not in texts:
            fail("%s: no panel %r" % (chart, t))
    for model in models:
        for lab in labels_of(model):
            if lab not in texts:
                fail("%s: no label %r (labels %s)" % (chart, lab, sorted(texts)))
            x, rotated = texts[lab]
            if rotated:
                fail("%s: label %r is tilted" % (chart, lab))
            if both and (x > 500) != (model in py):
                fail("%s: %r at x=%.0f, in the wrong panel" % (chart, lab, x))
    print("ok: %s: C and Python panels, level labels" % chart)


def case_bars(c10k, d):
    plot_ok(c10k, d)
    check_panels(c10k, d, "mem-per-conn", lambda m: [m])


def case_latency(c10k, d):
    path = os.path.join(d, "manifest.json")
    m = json.load(open(path))
    [p for p in m["points"] if p["id"] == "threads-c200-r0-max"][0]["status"] = "flagged"
    json.dump(m, open(path, "w"))
    plot_ok(c10k, d)
    svg = open(os.path.join(d, "plots", "latency-max.svg")).read()
    for t in ("p50 (median)", "p99", "p99.9", "C models (and nginx)", "Python models"):
        if t not in svg:
            fail("latency-max.svg: no %r" % t)
    for model in sorted({p["model"] for p in m["points"]}):
        n = svg.count("<text>%s</text>" % model)
        if n != 1:
            fail("latency-max.svg: model %s named %d times in the keys, want 1" % (model, n))
    line = {r.split()[0]: r.split() for r in open(os.path.join(
        d, "plots", "latency-max.threads.dat")) if r.strip()}["200"]
    mark = open(os.path.join(d, "plots", "latency-max-c.marks.dat")).read().split()
    # marks: x y "threads: flagged ..." label_y align y_p99 y_p999; dat: x (med min max) x3
    if float(mark[-2]) != float(line[4]) or float(mark[-1]) != float(line[7]):
        fail("flagged mark %r not at the p99/p99.9 medians %s %s" % (mark, line[4], line[7]))
    print("ok: latency in a column per percentile, flagged shape in each")


def case_books(c10k, d):
    """An idle scenario: chart mem-books with server and client bars apart
    (parts in KiB, a negative part drawn as 0 and said), and no throughput,
    latency or CPU chart for idle (it sends no request)."""
    mp = os.path.join(d, "manifest.json")
    man = json.load(open(mp))
    parts = ("user", "kernel_stack", "page_frag", "page_tables", "slab", "sock", "other",
             "total")
    for model, srv in (("threads", (16384, 16384, 32768, 4096, 10240, 0, -100, 79872)),
                       ("epoll", (0, 0, 0, 0, 3072, 0, 0, 3072))):
        src = [p for p in man["points"] if p["model"] == model and p["scenario"] == "max"][0]
        doc = json.load(open(os.path.join(d, src["file"])))
        pid = "%s-c300-r0-idle" % model
        for k, v in zip(parts, srv):
            doc["summary"]["median"]["mem_per_conn_server_%s_bytes" % k] = v
            doc["summary"]["median"]["mem_per_conn_client_%s_bytes" % k] = 1024 if k in ("slab", "total") else 0
        doc.update(id=pid, scenario="idle", connections=300)
        json.dump(doc, open(os.path.join(d, "points", pid + ".json"), "w"))
        man["points"].append(dict(src, id=pid, scenario="idle", connections=300,
                                  file="points/%s.json" % pid, status="ok"))
    json.dump(man, open(mp, "w"))
    idx = plot_ok(c10k, d)
    got = {c["id"]: c for c in idx["charts"]}
    if "mem-books" not in got or any(k.endswith("-idle") for k in got):
        fail("charts %s: want mem-books and no per-scenario idle chart" % sorted(got))
    rows = open(os.path.join(d, "plots", "mem-books.bars.dat")).read().splitlines()
    want = ['"threads server" 16 16 32 4 10 0 0', '"threads client" 0 0 0 0 1 0 0',
            '"epoll server" 0 0 0 0 3 0 0', '"epoll client" 0 0 0 0 1 0 0']
    if sorted(rows) != sorted(want):
        fail("mem-books rows %r, want %r" % (rows, want))
    if "negative" not in json.dumps(got["mem-books"]):
        fail("the clamped negative part is not said: %r" % got["mem-books"])
    idle = {p["model"] for p in man["points"] if p["scenario"] == "idle"}
    check_panels(c10k, d, "mem-books",
                 lambda m: [m + " server", m + " client"] if m in idle else [])


CASES = {n[5:]: f for n, f in globals().items() if n.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in CASES:
        print("usage: test_plot.py {%s} C10K DATA_DIR" % ",".join(CASES), file=sys.stderr)
        sys.exit(2)
    if not shutil.which("gnuplot") and sys.argv[1] != "no_gnuplot":
        print("skip: gnuplot not installed")
        sys.exit(77)
    with tempfile.TemporaryDirectory(prefix="c10k-plot-") as tmp:
        CASES[sys.argv[1]](sys.argv[2], copy_data(sys.argv[3], tmp))
