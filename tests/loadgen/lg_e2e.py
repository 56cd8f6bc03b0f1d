#!/usr/bin/env python3
"""lg_e2e: end-to-end checks of c10k-load against a real server (the project's
epoll model, or nginx with a throw-away config). One behaviour per invocation:
  lg_e2e.py LOADGEN usage | refused | ramp | storm | slowread
  lg_e2e.py LOADGEN closed|stop|misc SERVER
  lg_e2e.py LOADGEN nginx
Exit 0 pass, 1 fail, 77 skip. Every process started here is killed on exit."""
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
procs = []


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import check, fail  # noqa: E402


def start_server(path, host="127.0.0.1"):
    p = subprocess.Popen([path, "--host", host, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    procs.append(p)
    line = p.stdout.readline()
    if not line.startswith("ready "):
        fail("server did not print its ready line: %r" % line)
    hostport = line.split()[1]
    return p, "http://%s/" % hostport


def run_load(lg, args, timeout=25):
    r = subprocess.run([lg] + args, capture_output=True, text=True, timeout=timeout)
    print("$ c10k-load", " ".join(args), "->", r.returncode)
    print(r.stderr.strip())
    return r


def load_json(lg, args, tmp, timeout=25):
    out = os.path.join(tmp, "out.json")
    r = run_load(lg, args + ["--json", out], timeout)
    check(r.returncode == 0, "c10k-load exit 0")
    with open(out) as f:
        return json.load(f)


def t_usage(lg):
    bad = [[], ["-c", "0", "http://127.0.0.1:1/"], ["-c", "ten", "http://127.0.0.1:1/"],
           ["--bogus", "http://127.0.0.1:1/"], ["-d", "5parsecs", "http://127.0.0.1:1/"],
           ["--arrival", "burst", "http://127.0.0.1:1/"], ["http://[::1:80/"],
           ["http://127.0.0.1:1#x"], ["https://127.0.0.1/"], ["--pipeline", "0", "http://127.0.0.1:1/"],
           ["http:///"], ["http://127.0.0.1:99999/"],
           ["--source", "192.0.2.1-192.0.2.9", "http://127.0.0.1:1/"],
           ["--source", "127.0.0.9-127.0.0.2", "http://127.0.0.1:1/"],
           ["--source", "::1", "http://127.0.0.1:1/"], ["http://127.0.0.1:1/", "extra"]]
    for args in bad:
        r = subprocess.run([lg] + args, capture_output=True, text=True, timeout=10)
        check(r.returncode == 2 and "usage" in r.stderr, "exit 2 for %s" % args)
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 10000000:
        r = subprocess.run([lg, "-c", str(hard), "http://127.0.0.1:1/"], capture_output=True,
                           text=True, timeout=10)
        check(r.returncode == 2 and "at most -c" in r.stderr, "-c beyond RLIMIT_NOFILE refused, says what fits")
    h = subprocess.run([lg, "--help"], capture_output=True, text=True, timeout=10)
    check(h.returncode == 0 and "[10s]" in h.stdout and "[constant]" in h.stdout, "--help shows defaults")
    v = subprocess.run([lg, "--version"], capture_output=True, text=True, timeout=10)
    check(v.returncode == 0 and v.stdout.startswith("c10k-load "), "--version")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def t_refused(lg, tmp):
    url = "http://127.0.0.1:%d/" % free_port()
    out = os.path.join(tmp, "r.json")
    r = run_load(lg, ["-c", "4", "-d", "300ms", "--timeout", "1s", "--json", out, url])
    check(r.returncode == 1, "exit 1 when nothing connects")
    j = json.load(open(out))
    check(j["connections"]["established"] == 0 and j["connections"]["failed"] == 4, "0 of 4 established")
    check(j["errors"]["connect_by_errno"].get("ECONNREFUSED", 0) >= 4, "connect errors by errno")


def t_closed(lg, server, tmp):
    _, url = start_server(server)
    hgrm, series = os.path.join(tmp, "l.hgrm"), os.path.join(tmp, "s.csv")
    j = load_json(lg, ["-c", "50", "-t", "2", "-d", "2s", "--hgrm", hgrm, "--series", series, url], tmp)
    check(j["schema"] == "c10k-load/1", "schema")
    check(j["connections"]["established"] == 50, "50 connections established")
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    check(errs == 0 and j["requests"]["timeouts"] == 0, "no errors")
    req = j["requests"]
    check(req["completed"] > 1000 and req["ok"] == req["completed"], "completed all ok")
    check(abs(j["throughput_rps"] * j["duration_s"] - req["received"]) < 1, "throughput = received/duration")
    check(abs(req["received"] - req["completed"]) <= 50, "received in window ~ completed (closed loop)")
    lat = j["latency_us"]
    check(lat["count"] == req["completed"], "one latency sample per response")
    check(lat["min"] <= lat["p50"] <= lat["p99"] <= lat["max"], "percentiles ordered")
    check("latency_uncorrected_us" not in j, "closed loop has no corrected/uncorrected split")
    check(0 < j["cpu"]["busiest_thread_fraction"] <= 1.05, "busiest thread fraction")
    lines = open(hgrm).read().splitlines()
    check(lines[0].split() == ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"], "hgrm header")
    total = [l for l in lines if l.startswith("#[Max")][0].split("=")[-1].strip(" ]")
    check(int(total) == lat["count"], "hgrm total count")
    rows = open(series).read().splitlines()
    check(rows[0] == "t_s,established,completed,errors,rps,p50_us,p99_us", "series header")
    check(len(rows) >= 3 and int(rows[-1].split(",")[2]) >= req["completed"], "series rows")


def t_idle(lg, server, tmp):
    """--idle: every connection answered once in the ramp, then nothing sent
    in the window; --idle with --rate is a usage error."""
    _, url = start_server(server)
    j = load_json(lg, ["-c", "40", "-t", "2", "-d", "1s", "--idle", url], tmp)
    c, req = j["connections"], j["requests"]
    check(c["established"] == 40 and c["unanswered"] == 0, "40 established, each answered")
    check(req["received"] == 0 and req["sent"] == 0, "nothing sent in the window")
    check(j["config"]["idle"] is True and no_errors(j), "config.idle, no errors")
    check(run_load(lg, ["--idle", "-R", "10", url]).returncode == 2, "--idle with --rate: usage error")


def no_errors(j):
    return sum(v for k, v in j["errors"].items() if isinstance(v, int)) == 0 and j["requests"]["timeouts"] == 0


def t_any(lg, server, tmp):
    """Any target: a server on [::1] (skip without IPv6), with an IPv6 --source;
    a name resolved by getaddrinfo (localhost)."""
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError:
        print("no IPv6 loopback: skip")
        sys.exit(SKIP)
    _, url = start_server(server, "::1")
    check(url.startswith("http://[::1]:"), "server ready on %s" % url)
    j = load_json(lg, ["-c", "10", "-d", "2s", url], tmp)
    check(j["connections"]["established"] == 10 and no_errors(j) and j["requests"]["ok"] > 0,
          "IPv6: 10 connections, %d ok, no errors" % j["requests"]["ok"])
    j = load_json(lg, ["-c", "10", "-d", "300ms", "--source", "::1", url], tmp)
    check(j["connections"]["established"] == 10 and no_errors(j), "IPv6 --source ::1")
    _, url4 = start_server(server)
    j = load_json(lg, ["-c", "4", "-d", "300ms", url4.replace("127.0.0.1", "localhost")], tmp)
    check(j["connections"]["established"] == 4 and no_errors(j), "a name: localhost resolved")


HDR_JS = """const hdr = require("hdr-histogram-js"), fs = require("fs");
const r = new hdr.HistogramLogReader(fs.readFileSync(process.argv[1], "utf8"));
const tot = {}; let h;
while ((h = r.nextIntervalHistogram()) !== null) tot[h.tag] = (tot[h.tag] || 0) + h.totalCount;
console.log(JSON.stringify(tot));"""


def hgrm_total(path):
    line = [l for l in open(path) if l.startswith("#[Max")][0]
    return int(line.split("=")[-1].strip(" ]\n"))


def js_totals(path):
    """Totals per tag by hdr-histogram-js's log reader, when node can load it
    (NODE_PATH), else None."""
    node = shutil.which("node")
    if not node or subprocess.run([node, "-e", "require('hdr-histogram-js')"],
                                  capture_output=True).returncode != 0:
        return None
    r = subprocess.run([node, "-e", HDR_JS, path], capture_output=True, text=True, timeout=20)
    return json.loads(r.stdout) if r.returncode == 0 else {"error": r.stderr}


def check_hlog(path, hgrm, unc_count, what, seconds):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import hlog_read
    start, ivs = hlog_read.read(path)
    check(start and start > 1e9, "%s: #[StartTime: %.3f] in seconds since the epoch" % (what, start))
    tags = {}
    for iv in ivs:
        tags.setdefault(iv["tag"], []).append(iv)
    check(sorted(tags) == ["corrected", "uncorrected"], "%s: tags corrected, uncorrected" % what)
    cor = tags["corrected"]
    check(len(cor) >= seconds and all(0.99 < iv["length_s"] < 1.01 for iv in cor[:-1]),
          "%s: %d intervals of one second" % (what, len(cor)))
    check(cor[0]["header"] == {"sigfigs": 3, "lowest": 1, "highest": 100000000}, "%s: V2 header" % what)
    total = hgrm_total(hgrm)
    check(sum(iv["total"] for iv in cor) == total > 0,
          "%s: corrected intervals add up to the .hgrm's %d" % (what, total))
    check(sum(iv["total"] for iv in tags["uncorrected"]) == unc_count,
          "%s: uncorrected intervals add up to %d" % (what, unc_count))
    js = js_totals(path)
    if js is None:
        print("hdr-histogram-js not loadable (set NODE_PATH): its check skipped")
    else:
        check(js == {"corrected": total, "uncorrected": unc_count}, "%s: hdr-histogram-js reads %s" % (what, js))


def t_hlog(lg, server, tmp):
    """--hlog: one interval a second per tag, adding up to the run's histograms."""
    _, url = start_server(server)
    hlog, hgrm = os.path.join(tmp, "l.hlog"), os.path.join(tmp, "l.hgrm")
    j = load_json(lg, ["-c", "20", "-t", "2", "-R", "2000", "-d", "3s", "--warmup", "300ms",
                       "--hlog", hlog, "--hgrm", hgrm, url], tmp)
    check_hlog(hlog, hgrm, j["latency_uncorrected_us"]["count"], "open loop", 3)
    j = load_json(lg, ["-c", "10", "-t", "2", "-d", "2s", "--hlog", hlog, "--hgrm", hgrm, url], tmp)
    check_hlog(hlog, hgrm, j["latency_us"]["count"], "closed loop", 2)


def t_stop(lg, server, tmp):
    """SIGSTOP of the server for 0.5 s: in corrected p99, not in uncorrected."""
    srv, url = start_server(server)
    out = os.path.join(tmp, "stop.json")
    p = subprocess.Popen([lg, "-c", "20", "-t", "1", "-R", "2000", "-d", "3s", "--json", out, url],
                         stderr=subprocess.PIPE, text=True)
    procs.append(p)
    time.sleep(1.2)
    os.kill(srv.pid, signal.SIGSTOP)
    time.sleep(0.5)
    os.kill(srv.pid, signal.SIGCONT)
    _, err = p.communicate(timeout=20)
    print(err)
    check(p.returncode == 0, "exit 0")
    j = json.load(open(out))
    cor, unc, late = j["latency_us"]["p99"], j["latency_uncorrected_us"]["p99"], j["lateness_us"]
    check(cor >= 250000, "corrected p99 %d us shows the 0.5 s stall" % cor)
    check(unc * 3 < cor, "uncorrected p99 %d us does not show it" % unc)
    check(late["p99"] >= 200000, "lateness p99 shows the requests that waited")
    check(j["requests"]["completed"] >= 0.95 * 6000, "the scheduled requests completed")
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    check(errs == 0, "no errors")


def t_misc(lg, server, tmp):
    _, url = start_server(server)
    j = load_json(lg, ["-c", "4", "-d", "500ms", url + "nothing-here"], tmp)
    check(j["requests"]["non2xx"] == j["requests"]["completed"] > 0, "404s counted as non-2xx")
    j = load_json(lg, ["-c", "4", "-d", "500ms", "--method", "POST", "--body", "ping" * 100,
                       url + "echo"], tmp)
    check(j["requests"]["ok"] == j["requests"]["completed"] > 0, "POST /echo parsed")
    check(j["bytes_read"] > 400 * j["requests"]["completed"], "echoed bodies counted")
    j = load_json(lg, ["-c", "4", "--pipeline", "8", "-d", "500ms", url + "?size=3000"], tmp)
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    check(errs == 0 and j["requests"]["ok"] == j["requests"]["completed"] > 0, "pipeline 8, 3000-byte bodies")
    j = load_json(lg, ["-c", "200", "--connect-rate", "1000", "--source", "127.0.0.2-127.0.0.5",
                       "-d", "300ms", url], tmp)
    ramp = j["connections"]["ramp_s"]
    check(j["connections"]["established"] == 200 and 0.15 <= ramp <= 2.0,
          "--connect-rate 1000: 200 connections in %.3f s, from --source addresses" % ramp)
    j = load_json(lg, ["-c", "4", "-R", "40", "-d", "1s", "--timeout", "200ms", url + "?delay_us=2000000"], tmp)
    req, lat = j["requests"], j["latency_us"]
    check(req["timeouts"] > 0 and req["completed"] == 0, "unanswered requests time out (%d)" % req["timeouts"])
    check(lat["count"] == req["timeouts"] and lat["min"] >= 200000, "timed-out requests kept in the latency tail")


def t_rate(lg, server, tmp):
    """The open-loop schedule sends exactly R*d requests in the window (constant
    arrivals, warm-up excluded), about R*d with poisson arrivals."""
    _, url = start_server(server)
    j = load_json(lg, ["-c", "10", "-t", "1", "-R", "2000", "--warmup", "500ms", "-d", "1s", url], tmp)
    req = j["requests"]
    check(req["sent"] + req["unsent_due"] == 2000, "constant: %d sent + %d unsent = 2000 scheduled"
          % (req["sent"], req["unsent_due"]))
    check(req["completed"] == req["sent"] and req["ok"] == req["sent"], "all answered")
    check(j["lateness_us"]["count"] == req["sent"], "one lateness sample per send")
    check(j["latency_uncorrected_us"]["p50"] <= j["latency_us"]["p50"], "uncorrected <= corrected")
    j = load_json(lg, ["-c", "10", "-t", "2", "-R", "2000", "--arrival", "poisson", "-d", "1s", url], tmp)
    n = j["requests"]["sent"] + j["requests"]["unsent_due"]
    check(1800 <= n <= 2200, "poisson: %d scheduled, 2000 expected (+-4.5 sigma)" % n)
    check(j["config"]["arrival"] == "poisson", "config echoes the arrival")


def slow_server(ls, interval_s, mute, stop):
    """Accepts one connection every interval_s (the rest wait in the backlog,
    their handshake done by the kernel); never answers the first `mute`."""
    sel = selectors.DefaultSelector()
    next_acc, accepted = 0.0, 0
    while not stop.is_set():
        now = time.monotonic()
        if now >= next_acc:
            try:
                c, _ = ls.accept()
            except BlockingIOError:
                pass
            else:
                accepted += 1
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ, [accepted, b""])
                next_acc = now + interval_s
        for key, _ in sel.select(0.002):
            c, st = key.fileobj, key.data
            try:
                d = c.recv(65536)
            except OSError:
                d = b""
            if not d:
                sel.unregister(c)
                c.close()
                continue
            if st[0] <= mute:
                continue
            st[1] += d
            while b"\r\n\r\n" in st[1]:
                st[1] = st[1].partition(b"\r\n\r\n")[2]
                c.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    ls.close()


def with_slow_server(interval_s, mute, fn):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1024)
    ls.setblocking(False)
    url = "http://127.0.0.1:%d/" % ls.getsockname()[1]
    stop = threading.Event()
    th = threading.Thread(target=slow_server, args=(ls, interval_s, mute, stop))
    th.start()
    try:
        return fn(url)
    finally:
        stop.set()
        th.join()


def t_ramp(lg, tmp):
    """Closed loop: the ramp ends when every connection has had its first
    answer, not when connect() returned (a server that accepts 20/s); a
    connection that never answers is bounded by --timeout and reported; open
    loop ramps on connect() alone."""
    def slow(url):
        return load_json(lg, ["-c", "20", "-d", "500ms", "--warmup", "200ms", url], tmp)
    j = with_slow_server(0.05, 0, slow)
    c = j["connections"]
    print("connected_s %.3f ramp_s %.3f measure_start_s %.3f" % (c["connected_s"], c["ramp_s"],
                                                                j["measure_start_s"]))
    check(c["established"] == 20 and c["unanswered"] == 0, "20 established, all answered")
    check(c["connected_s"] < 0.4, "connect() done before the server accepted (%.3f s)" % c["connected_s"])
    check(c["ramp_s"] >= 0.8, "ramp waits for the 20th accept at ~0.95 s (%.3f s)" % c["ramp_s"])
    check(c["ramp_s"] + 0.2 <= j["measure_start_s"] <= c["ramp_s"] + 0.3,
          "measure_start_s = ramp + warm-up (%.3f s)" % j["measure_start_s"])
    check(j["start_monotonic_ns"] > 0, "start_monotonic_ns")
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    check(errs == 0 and j["requests"]["timeouts"] == 0 and j["requests"]["completed"] > 0, "no errors")

    def mute(url):
        return load_json(lg, ["-c", "10", "-d", "500ms", "--timeout", "500ms", url], tmp)
    j = with_slow_server(0, 3, mute)
    c = j["connections"]
    check(c["unanswered"] == 3 and j["requests"]["timeouts"] >= 3,
          "3 silent connections reported (unanswered %d, timeouts %d)" % (c["unanswered"],
                                                                         j["requests"]["timeouts"]))
    check(0.45 <= c["ramp_s"] <= 1.5, "the wait for them is bounded by --timeout (%.3f s)" % c["ramp_s"])

    def opened(url):
        return load_json(lg, ["-c", "20", "-R", "200", "-d", "500ms", url], tmp)
    j = with_slow_server(0.05, 0, opened)
    c = j["connections"]
    check(c["ramp_s"] < 0.4 and abs(c["ramp_s"] - c["connected_s"]) < 0.05,
          "open loop: ramp on connect() alone (%.3f s)" % c["ramp_s"])


def answer_slowly(ls, pause_s):
    """Accepts one connection and answers every request, but after the first
    answer reads nothing for pause_s: its receive buffer fills and the
    client's next write (the whole pipeline) stops short."""
    conn, _ = ls.accept()
    conn.settimeout(5)
    buf, off, answered = bytearray(), 0, 0
    try:
        while True:
            data = conn.recv(1 << 20)
            if not data:
                return
            buf += data
            while True:
                end = buf.find(b"\r\n\r\n", off)
                if end < 0:
                    break
                length = 0
                for line in bytes(buf[off:end]).split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if len(buf) < end + 4 + length:
                    break
                off = end + 4 + length
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                answered += 1
                if answered == 1:
                    time.sleep(pause_s)
            del buf[:off]
            off = 0
    except OSError:
        return
    finally:
        conn.close()


def t_slowread(lg, tmp):
    """Writes that stop short (64 pipelined 100 KB requests, more than the
    4 MB of tcp_wmem's maximum, the server not reading for a while) go on when
    the socket is writable again (EPOLLOUT, edge triggered): every request is
    answered, none times out."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)
    t = threading.Thread(target=answer_slowly, args=(ls, 0.3), daemon=True)
    t.start()
    url = "http://127.0.0.1:%d/" % ls.getsockname()[1]
    j = load_json(lg, ["-t", "1", "-c", "1", "--pipeline", "64", "-d", "1s", "--timeout", "3s",
                       "--method", "POST", "--body", "x" * 100000, url], tmp)
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    req = j["requests"]
    check(errs == 0 and req["timeouts"] == 0, "no error, no timeout (errors %d, timeouts %d)"
          % (errs, req["timeouts"]))
    check(req["ok"] == req["completed"] > 64, "partial writes completed: %d answered" % req["completed"])
    ls.close()


def syn_sent(port):
    """Sockets in SYN_SENT towards 127.0.0.1:port (/proc/net/tcp state 02)."""
    n = 0
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[2].endswith(":%04X" % port) and fields[3] == "02":
                n += 1
    return n


def t_storm(lg, tmp):
    """A server that never accepts (backlog 1: the kernel drops most SYNs):
    c10k-load keeps at most 1024 connect()s in flight per thread instead of
    3000, and still issues them all (every slot is counted)."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    port = ls.getsockname()[1]
    out = os.path.join(tmp, "storm.json")
    p = subprocess.Popen([lg, "-t", "1", "-c", "3000", "-d", "300ms", "--timeout", "2s", "--json", out,
                          "http://127.0.0.1:%d/" % port], stderr=subprocess.PIPE, text=True)
    procs.append(p)
    most = 0
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline and p.poll() is None:
        most = max(most, syn_sent(port))
        time.sleep(0.05)
    p.communicate(timeout=30)
    ls.close()
    check(0 < most <= 1024, "at most 1024 connects in flight (saw %d)" % most)
    j = json.load(open(out))
    c = j["connections"]
    check(c["target"] == 3000 and c["established"] + c["failed"] >= 3000 - 1024,
          "the rest issued once the first timed out (established %d, failed %d)"
          % (c["established"], c["failed"]))


NGINX_CONF = """worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  server {{ listen 127.0.0.1:{p1}; location / {{ return 200 "Hello, World!"; }} }}
  server {{ listen 127.0.0.1:{p2}; keepalive_requests 1;
           location / {{ return 200 "Hello, World!"; }} }}
}}
"""


def t_nginx(lg, tmp):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not nginx:
        print("nginx not installed: skip")
        sys.exit(SKIP)
    p1, p2 = free_port(), free_port()
    conf = os.path.join(tmp, "nginx.conf")
    open(conf, "w").write(NGINX_CONF.format(d=tmp, p1=p1, p2=p2))
    p = subprocess.Popen([nginx, "-c", conf, "-p", tmp, "-e", os.path.join(tmp, "error.log")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    procs.append(p)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", p2), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    j = load_json(lg, ["-c", "20", "-d", "1s", "http://127.0.0.1:%d/" % p1], tmp)
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    check(errs == 0 and j["requests"]["ok"] == j["requests"]["completed"] > 1000, "nginx keep-alive")
    j = load_json(lg, ["-c", "10", "-d", "1s", "http://127.0.0.1:%d/" % p2], tmp)
    errs = sum(v for k, v in j["errors"].items() if isinstance(v, int))
    check(errs == 0 and j["requests"]["ok"] == j["requests"]["completed"] > 100, "Connection: close answered")
    check(j["connections"]["reconnects"] >= j["requests"]["completed"] - 20, "reconnected after each close")


def main():
    lg, what = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="lg-e2e-")
    try:
        if what == "usage":
            t_usage(lg)
        elif what == "refused":
            t_refused(lg, tmp)
        elif what == "ramp":
            t_ramp(lg, tmp)
        elif what == "storm":
            t_storm(lg, tmp)
        elif what == "slowread":
            t_slowread(lg, tmp)
        elif what == "nginx":
            t_nginx(lg, tmp)
        else:
            {"closed": t_closed, "idle": t_idle, "stop": t_stop, "any": t_any, "hlog": t_hlog, "misc": t_misc, "rate": t_rate}[what](lg, sys.argv[3], tmp)
    finally:
        for p in procs:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGCONT)
                except OSError:
                    pass
                p.terminate()
                try:
                    p.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
