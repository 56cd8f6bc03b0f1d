#!/usr/bin/env python3
"""tests/report: c10k report on a temp copy of tests/data/results-small.
   test_report.py CASE C10K DATA_DIR   (exit 0 pass, 1 fail, 77 skip)
Cases: sections, selfcontained, charts, broken, claims, no_manifest, malformed, usage, books,
waits (tests/data/waits.json copied in: the guide's table beside the measured one, a
verdict per row, every client; a client made to miss its bound is marked),
noise (a calibration in the manifest and one point's trials made noisy: the section
Noise quotes the machine's noise and names that point, its throughput cell shows ±CV)."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import fail  # noqa: E402

SECTIONS = ["# c10k report", "## The question", "## The answer in this run", "## Method", "## Charts",
            "## Throughput, latency and CPU", "## Memory per connection",
            "## Breaking points", "## Claims checked", "## Noise", "## The asyncio guides' experiment",
            "## How to reproduce"]
CLAIMS = ["### 1. ", "### 2. ", "### 3. ", "### 4. ", "### 5. "]
# a 1x1 PNG, written byte for byte, to check the data: URI decodes to the file
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5"
                    "c2e1f00000000049454e44ae426082")


def run(c10k, *args):
    p = subprocess.run([c10k, "report", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def report(c10k, d):
    rc, out, err = run(c10k, "--quiet", d)
    if rc != 0:
        fail(f"c10k report exit {rc}: {err}")
    with open(os.path.join(d, "report.md"), encoding="utf-8") as f:
        md = f.read()
    with open(os.path.join(d, "report.html"), encoding="utf-8") as f:
        html = f.read()
    return md, html


def html_headings(html):
    return [re.sub("<[^>]+>", "", h) for h in re.findall(r"<h[1-3]>(.*?)</h[1-3]>", html)]


def case_sections(c10k, d):
    md, html = report(c10k, d)
    heads = html_headings(html)
    for s in SECTIONS:
        if not re.search("^" + re.escape(s), md, re.M):
            fail(f"report.md lacks '{s}'")
        title = s.lstrip("# ")
        if not any(h.startswith(title) for h in heads):
            fail(f"report.html lacks heading '{title}'")
    man = json.load(open(os.path.join(d, "manifest.json")))
    for m in man["config"]["models"]:
        if f"| {m} |" not in md:
            fail(f"model {m} missing from the tables")
    if man["env"]["kernel"] not in md:
        fail("the kernel of manifest.env is not in the method")
    if "run c10k plot DIR first" not in md:
        fail("no charts and no 'run c10k plot DIR first'")


def case_selfcontained(c10k, d):
    make_plots(d)
    md, html = report(c10k, d)
    srcs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    if not srcs:
        fail("no src= at all: the charts are not embedded")
    for s in srcs:
        if not s.startswith("data:"):
            fail(f"report.html refers to a file: {s[:80]}")
    if "<link" in html or "<script src" in html:
        fail("report.html links an outside resource")


def make_plots(d):
    os.makedirs(os.path.join(d, "plots"), exist_ok=True)
    charts = []
    for cid in ("throughput-max", "memory"):
        with open(os.path.join(d, "plots", cid + ".png"), "wb") as f:
            f.write(PNG)
        charts.append({"id": cid, "title": f"Chart {cid}", "png": f"plots/{cid}.png",
                       "svg": f"plots/{cid}.svg", "caption": f"Caption of {cid}."})
    with open(os.path.join(d, "plots", "index.json"), "w") as f:
        json.dump({"schema": "c10k-plots/1", "charts": charts}, f)


def case_charts(c10k, d):
    make_plots(d)
    md, html = report(c10k, d)
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]*)"', html)
    if len(uris) != 2:
        fail(f"{len(uris)} embedded PNGs, expected 2")
    for u in uris:
        if base64.b64decode(u, validate=True) != PNG:
            fail("an embedded PNG does not decode to the file's bytes")
    for cid in ("throughput-max", "memory"):
        if f"Caption of {cid}." not in html or f"](plots/{cid}.png)" not in md:
            fail(f"chart {cid}: caption or markdown image missing")
    if "run c10k plot DIR first" in md:
        fail("charts present but the report still asks for c10k plot")


def pick_point(d, scenario="max"):
    man = json.load(open(os.path.join(d, "manifest.json")))
    cands = [p for p in man["points"] if p["scenario"] == scenario and p.get("file")
             and p["status"] in ("ok", "flagged")]
    cands.sort(key=lambda p: -p["connections"])
    return man, cands[0]


def case_broken(c10k, d):
    man, mp = pick_point(d)
    reason = f"only 17 of {mp['connections']} connections established; test-made reason 4242"
    mp["status"] = "broken"
    mp["reason"] = reason
    json.dump(man, open(os.path.join(d, "manifest.json"), "w"))
    pt_path = os.path.join(d, mp["file"])
    pt = json.load(open(pt_path))
    pt["status"] = "broken"
    pt["reason"] = reason
    json.dump(pt, open(pt_path, "w"))
    md, html = report(c10k, d)
    sec = md.split("## Breaking points", 1)[1].split("\n## ", 1)[0]
    want = f"{mp['model']}, {mp['scenario']}: breaks at {mp['connections']} connections"
    if want not in sec or "test-made reason 4242" not in sec:
        fail(f"breaking points lack '{want}' with its reason:\n{sec}")
    if "test-made reason 4242" not in html:
        fail("the reason is not in report.html")


def claims_section(md):
    sec = md.split("## Claims checked", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### ", sec, flags=re.M)[1:]
    if len(parts) != 5:
        fail(f"{len(parts)} claims, expected 5")
    return parts


def case_claims(c10k, d):
    md, _ = report(c10k, d)
    for part in claims_section(md):
        v = re.findall(r"^Verdict: (.+)$", part, re.M)
        if len(v) != 1:
            fail(f"claim without one verdict: {part[:60]}")
        if not re.match(r"(holds|does not hold|cannot be shown|not measured in this run|"
                        r"against sequential)", v[0]):
            fail(f"verdict not one of the computed forms: {v[0]}")
    # drop every thread model's and asyncio's points: those claims become "not measured"
    man = json.load(open(os.path.join(d, "manifest.json")))
    man["points"] = [p for p in man["points"]
                     if p["model"] not in ("threads", "py-threads", "prefork", "py-prefork",
                                           "py-asyncio")]
    json.dump(man, open(os.path.join(d, "manifest.json"), "w"))
    md, _ = report(c10k, d)
    parts = claims_section(md)
    for i in (0, 2, 3, 4):
        if "Verdict: not measured in this run" not in parts[i]:
            fail(f"claim {i + 1} without its data is not 'not measured': {parts[i][:200]}")


def waits_section(md):
    m = re.search(r"^## The asyncio guides' experiment\n(.*?)(?=^## )", md, re.S | re.M)
    if not m:
        fail("no section 'The asyncio guides' experiment'")
    return m.group(1)


def case_waits(c10k, d):
    md, _ = report(c10k, d)
    if "has no waits.json" not in waits_section(md):
        fail("without waits.json the section does not say so")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "waits.json")
    doc = json.load(open(src))
    doc["rows"][-1]["asyncio"]["pass"] = False
    doc["rows"][-1]["asyncio"]["wall_s"] = 9.87
    doc["pass"] = False
    json.dump(doc, open(os.path.join(d, "waits.json"), "w"))
    sec = waits_section(md=report(c10k, d)[0])
    scale = doc["wait_s"] / doc["guide"]["wait_s"]
    for i, r in enumerate(doc["rows"]):
        g = r["guide"]
        secs = lambda v: "%.*f s" % (2 if v < 10 else 1, v)
        want = "| %d | %s | %s | %s | %s | " % (
            r["n"], secs(g["sequential_s"] * scale), secs(r["sequential"]["wall_s"]),
            secs(g["asyncio_s"] * scale), secs(r["asyncio"]["wall_s"]))
        if want not in sec:
            fail("guide row %d not in the section: %r" % (r["n"], want))
        line = [l for l in sec.splitlines() if l.startswith(want)][0]
        verdict = "not reproduced" if i == len(doc["rows"]) - 1 else "reproduced"
        if not line.split("|")[6].strip().startswith(verdict):
            fail("row %d: verdict %r, want %r" % (r["n"], line, verdict))
    for key in doc["clients"]:
        if "| %s |" % key not in sec:
            fail("client %s not in the section" % key)
    if "9.87 s (over its bound)" not in sec or "some outside their bounds" not in sec:
        fail("a client over its bound is not marked")
    print("ok: the guide's table beside the measured one, verdicts per row")


def case_noise(c10k, d):
    md, _ = report(c10k, d)
    if "No point stayed noisy" not in md or "no calibration" not in md:
        fail("without calibration or noisy points the section says otherwise")
    man = json.load(open(os.path.join(d, "manifest.json")))
    man["calibration"] = {"spin_runs": 40, "spin_ms_median": 2.0, "spin_cv_pct": 12.5,
                          "spin_max_over_min": 1.8, "sleep_1ms_late_us_p50": 57,
                          "sleep_1ms_late_us_max": 900, "loadavg_1m": 3.25}
    man["config"]["max_trials"], man["config"]["noise_cv_pct"] = 4, 5
    json.dump(man, open(os.path.join(d, "manifest.json"), "w"))
    _, pt = pick_point(d)
    pid = pt["id"]
    path = os.path.join(d, pt["file"])
    doc = json.load(open(path))
    doc["summary"]["cv_pct"] = {"throughput_rps": 23.4}
    doc["summary"]["noisy"] = True
    json.dump(doc, open(path, "w"))
    md, html = report(c10k, d)
    sec = md[md.index("## Noise"):]
    sec = sec[:sec.index("\n## ", 5)]
    for want in ("varied by 12.5%", "57 µs late", "load average 3.25", "up to 4",
                 "1 of ", "| %s | " % pid, "| 23% |"):
        if want not in sec:
            fail("Noise section lacks %r:\n%s" % (want, sec))
    if "±23%" not in md or "±23%" not in html:
        fail("the throughput cell does not show its spread")
    print("ok: calibration quoted, the noisy point named, its spread shown")


def case_no_manifest(c10k, d):
    os.remove(os.path.join(d, "manifest.json"))
    rc, out, err = run(c10k, d)
    if rc != 2 or len(err.strip().splitlines()) != 1 or "manifest.json" not in err:
        fail(f"missing manifest: exit {rc}, stderr {err!r}")
    if os.path.exists(os.path.join(d, "report.md")):
        fail("a report was written without a manifest")


def case_malformed(c10k, d):
    for text in ("{not json", '{"schema": "c10k-manifest/1"}', '{"schema": "other/1", "points": []}'):
        with open(os.path.join(d, "manifest.json"), "w") as f:
            f.write(text)
        rc, out, err = run(c10k, d)
        if rc != 2 or len(err.strip().splitlines()) != 1:
            fail(f"malformed manifest {text!r}: exit {rc}, stderr {err!r}")


def case_usage(c10k, d):
    rc, out, err = run(c10k)
    if rc != 2 or "usage" not in err:
        fail(f"no folder: exit {rc}")
    rc, out, err = run(c10k, "--bogus", d)
    if rc != 2 or "usage" not in err:
        fail(f"bad flag: exit {rc}")
    rc, out, err = run(c10k, "--help")
    if rc != 0 or "usage" not in out:
        fail(f"--help: exit {rc}")


BOOK_PARTS = ("user", "kernel_stack", "page_tables", "slab", "sock", "other", "total")


def add_idle(d, man, model, conns, parts, lo=None, hi=None):
    """An idle point made from the model's max point, with server parts {part: bytes}."""
    src = [p for p in man["points"] if p["model"] == model and p["scenario"] == "max"
           and p.get("file")][0]
    doc = json.load(open(os.path.join(d, src["file"])))
    pid = f"{model}-c{conns}-r0-idle"
    med = doc["summary"]["median"]
    med["throughput_rps"] = 0  # idle: no request in the window, by design
    for k in BOOK_PARTS:
        med[f"mem_per_conn_server_{k}_bytes"] = parts.get(k, 0)
        med[f"mem_per_conn_client_{k}_bytes"] = 100 if k in ("slab", "total") else 0
    for w, v in (("min", lo), ("max", hi)):
        doc["summary"][w]["mem_per_conn_server_total_bytes"] = v if v is not None else parts["total"]
    for t in doc["trials"]:
        t["memory_method"] = "cgroup1"
        t["memory_books_open"] = False
        t["slab_per_conn"] = {"TCP": {"bytes": 4736.0, "objects": 2.0},
                              "sock_inode_cache": {"bytes": 1664.0, "objects": 2.0}}
    doc.update(id=pid, scenario="idle", connections=conns)
    with open(os.path.join(d, "points", pid + ".json"), "w") as f:
        json.dump(doc, f)
    man["points"].append(dict(src, id=pid, scenario="idle", connections=conns,
                              file=f"points/{pid}.json", status="ok"))


def case_books(c10k, d):
    """The idle scenario's books: the headline from the server totals (threads
    12,000 B vs epoll 1,000 B: 12.0x), never a model with a negative part
    (libuv, less hungry but negative), the range where trials disagree by
    more than 10%; the books section and what one connection is made of."""
    mp = os.path.join(d, "manifest.json")
    man = json.load(open(mp))
    man["config"]["scenarios"]["idle"] = "/"
    man["config"]["scenario_rates"]["idle"] = 0
    add_idle(d, man, "threads", 300, dict(user=4000, kernel_stack=4000, page_tables=1000,
                                          slab=3000, total=12000), lo=10000, hi=14000)
    add_idle(d, man, "epoll", 300, dict(user=100, slab=900, total=1000))
    add_idle(d, man, "nginx", 300, dict(user=-50, slab=600, total=550))
    json.dump(man, open(mp, "w"))
    md, _ = report(c10k, d)
    answer = md.split("## The answer in this run")[1].split("\n## ")[0]
    if "ratio of 12.0x" not in answer or "epoll needs 1000 B" not in answer:
        fail("headline not from the clean server totals: " + answer[:600])
    if "from 9.8 KiB to 13.7 KiB" not in answer:
        fail("no range for trials 17% apart: " + answer[:600])
    if "## Memory books (scenario idle)" not in md or "### What one connection is made of" not in md:
        fail("no memory books section")
    if re.search(r"idle: stops serving", md):
        fail("an idle point (no requests by design) is reported as not serving")
    if not re.search(r"^\| TCP \| 4736 B \(2.00 objects\) \|", md, re.M):
        fail("no TCP row in what one connection is made of")


def main():
    case, c10k, data = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.isfile(os.path.join(data, "manifest.json")):
        print(f"SKIP: {data} has no manifest.json (the small result set is not committed yet)")
        return 77
    with tempfile.TemporaryDirectory(prefix="c10k-report-") as tmp:
        d = os.path.join(tmp, "run")
        shutil.copytree(data, d, ignore=shutil.ignore_patterns("report.*", "plots"))
        globals()["case_" + case](c10k, d)
    print(f"ok: {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
