#!/usr/bin/env python3
"""tests/report: report.html in headless Chromium (Debian's chromium), as a reader
opens it. test_browser.py C10K DATA_DIR OUT_DIR
  On a copy of DATA_DIR with tests/data/waits.json beside it, c10k plot then c10k
  report; Chromium loads report.html at 1280 px wide and a script run in the page
  after load checks: it rendered (headings, text), every <img> loaded (complete,
  natural width > 0), no element reaches past the 1280-px page (nor the page's
  scroll width). The checker is first shown a page with a broken image and a
  2000-px table, which it must catch. Screenshots: OUT_DIR/report-browser-top.png
  (first screen) and OUT_DIR/report-browser.png (the whole page).
Exit 0 pass, 1 fail, 77 skip only when chromium is missing or cannot run at all."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import fail  # noqa: E402

WIDTH = 1280
CHECK_JS = """<script>
window.addEventListener('load', function () {
  var W = %d, r = {imgs: 0, broken: [], overflow: [],
    scroll_width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    headings: document.querySelectorAll('h1, h2').length,
    text: document.body.innerText.length};
  for (var i = 0; i < document.images.length; i++) {
    var im = document.images[i];
    r.imgs++;
    if (!im.complete || im.naturalWidth === 0) r.broken.push(im.alt || im.src.slice(0, 40));
  }
  var all = document.body.querySelectorAll('*');
  for (var k = 0; k < all.length; k++) {
    var b = all[k].getBoundingClientRect();
    if (b.width > 0 && (b.right > W + 0.5 || b.left < -0.5))
      r.overflow.push(all[k].tagName + ' "' + (all[k].textContent || '').trim().slice(0, 40) +
                      '" right=' + Math.round(b.right));
  }
  var pre = document.createElement('pre');
  pre.id = 'c10k-check';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
});
</script>""" % WIDTH
BAD_PAGE = """<!DOCTYPE html><html><body><h1>bad</h1>
<img alt="missing" src="data:image/png;base64,AAAA">
<table style="width:2000px"><tr><td>wide</td></tr></table></body></html>"""


def chromium():
    for name in ("chromium", "chromium-browser"):
        p = shutil.which(name)
        if p:
            return p
    return None


def run_chromium(exe, profile, url, *args, timeout=90):
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--hide-scrollbars", "--user-data-dir=" + profile, "--virtual-time-budget=5000"]
    return subprocess.run(cmd + list(args) + [url], capture_output=True, text=True,
                          timeout=timeout)


def check_page(exe, profile, path):
    """Loads path with the checker injected; the checker's findings."""
    with open(path, encoding="utf-8") as f:
        page = f.read()
    checked = path + ".check.html"
    with open(checked, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", CHECK_JS + "</body>", 1))
    r = run_chromium(exe, profile, "file://" + checked, "--window-size=%d,1000" % WIDTH,
                     "--dump-dom")
    m = re.search(r'<pre id="c10k-check">(.*?)</pre>', r.stdout, re.S)
    if not m:
        return None, r
    return json.loads(html.unescape(m.group(1))), r


def screenshot(exe, profile, path, out, height):
    r = run_chromium(exe, profile, "file://" + path, "--window-size=%d,%d" % (WIDTH, height),
                     "--screenshot=" + out)
    if not os.path.exists(out):
        fail("no screenshot %s: %s" % (out, r.stderr[-400:]))
    with open(out, "rb") as f:
        head = f.read(24)
    w = int.from_bytes(head[16:20], "big")
    if not head.startswith(b"\x89PNG") or w != WIDTH:
        fail("%s: not a %d-px-wide PNG (width %d)" % (out, WIDTH, w))


def make_report(c10k, data, tmp):
    d = os.path.join(tmp, "results")
    shutil.copytree(data, d)
    shutil.rmtree(os.path.join(d, "plots"), ignore_errors=True)
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "..", "data", "waits.json"), d)
    for verb in ("plot", "report"):
        r = subprocess.run([c10k, verb, "--quiet", d], capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            fail("c10k %s exit %d: %s" % (verb, r.returncode, r.stderr.strip()))
    return os.path.join(d, "report.html")


def main():
    c10k, data, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    exe = chromium()
    if not exe:
        print("SKIP: chromium is not installed (scripts/deps.sh installs it)")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        profile = os.path.join(tmp, "profile")
        bad = os.path.join(tmp, "bad.html")
        with open(bad, "w") as f:
            f.write(BAD_PAGE)
        res, r = check_page(exe, profile, bad)
        if res is None:
            print("SKIP: chromium cannot run here: %s" % r.stderr.strip()[-300:])
            sys.exit(77)
        if res["broken"] != ["missing"] or not any(o.startswith("TABLE") for o in res["overflow"]):
            fail("the checker missed the broken image or the wide table: %r" % res)
        page = make_report(c10k, data, tmp)
        res, r = check_page(exe, profile, page)
        if res is None:
            fail("chromium did not run the check on report.html: %s" % r.stderr[-400:])
        if res["headings"] < 5 or res["text"] < 2000:
            fail("report.html did not render: %r" % res)
        if res["imgs"] < 5 or res["broken"]:
            fail("images: %d, not loaded: %r" % (res["imgs"], res["broken"]))
        if res["overflow"] or res["scroll_width"] > WIDTH:
            fail("past %d px (scroll width %d): %r" % (WIDTH, res["scroll_width"],
                                                       res["overflow"][:10]))
        os.makedirs(out_dir, exist_ok=True)
        screenshot(exe, profile, page, os.path.join(out_dir, "report-browser-top.png"), 1000)
        screenshot(exe, profile, page, os.path.join(out_dir, "report-browser.png"),
                   min(res["height"], 30000))
        print("ok: %d images loaded, %d px tall, nothing past %d px; screenshots in %s"
              % (res["imgs"], res["height"], WIDTH, out_dir))


if __name__ == "__main__":
    main()
