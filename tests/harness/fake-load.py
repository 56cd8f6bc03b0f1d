#!/usr/bin/env python3
"""fake-load: a stand-in for c10k-load in the harness tests (so they do not
depend on the load generator): the same flags, closed loop over N keep-alive
connections, and the c10k-load/1 JSON, --series CSV and --hgrm it writes.
FAKE_LOAD_MODE=crash|exit3|stall|few|slow makes it fail in one way; late
waits 1.5 s after connecting before it measures (like a slow first answer);
steady reports 1,000 req/s every run, noisy 1,000 and 2,000 req/s in turn (the
turn kept in $FAKE_LOAD_STATE): a throughput that never / always varies.
  try: fake-load.py -c 10 -d 1s --json - http://127.0.0.1:8080/"""
import argparse, json, os, selectors, signal, socket, sys, time, urllib.parse


def dur(s):
    for suf, mul in (("ms", 1e-3), ("us", 1e-6), ("s", 1.0), ("m", 60.0)):
        if s.endswith(suf):
            return float(s[: -len(suf)]) * mul
    return float(s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-c", type=int, required=True)
    ap.add_argument("-t", type=int, default=1)
    ap.add_argument("-d", type=dur, default=1.0)
    ap.add_argument("-R", type=int, default=0)
    ap.add_argument("--warmup", type=dur, default=0.0)
    ap.add_argument("--timeout", type=dur, default=10.0)
    ap.add_argument("--connect-rate", type=int, default=0)
    ap.add_argument("--json"), ap.add_argument("--hgrm"), ap.add_argument("--series")
    ap.add_argument("--hlog")
    ap.add_argument("url")
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)
    path = (u.path or "/") + ("?" + u.query if u.query else "")
    req = ("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode()
    sel = selectors.DefaultSelector()
    conns, failed = [], 0
    t_start_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    t_start = t_start_ns / 1e9
    for _ in range(a.c):
        try:
            s = socket.create_connection((u.hostname, u.port), timeout=2)
            s.setblocking(False)
            conns.append(s)
        except OSError:
            failed += 1
    if os.environ.get("FAKE_LOAD_MODE") == "late":  # a ramp the series does not show
        time.sleep(1.5)
    ramp = time.monotonic() - t_start
    lat, errors, completed = [], {"read": 0, "reset": 0, "eof": 0}, 0
    bufs, sent_at = {}, {}
    for s in conns:
        s.send(req)
        sent_at[s] = time.monotonic()
        bufs[s] = b""
        sel.register(s, selectors.EVENT_READ)
    m_start = time.monotonic() + a.warmup
    print("c10k-load: ramp done at %.3f s; measuring from %.3f s" % (ramp, m_start - t_start),
          file=sys.stderr, flush=True)
    end = m_start + a.d
    series, last_sec, sec_done, sec_err = [], m_start + 1, 0, 0
    while time.monotonic() < end and sel.get_map():
        for key, _ in sel.select(0.05):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except OSError:
                data, errors["reset"] = None, errors["reset"] + 1
            if not data:
                if data is not None:
                    errors["eof"] += 1
                sel.unregister(s)
                continue
            bufs[s] += data
            head, sep, rest = bufs[s].partition(b"\r\n\r\n")
            if not sep:
                continue
            cl = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    cl = int(line.split(b":")[1])
            if len(rest) < cl:
                continue
            bufs[s] = rest[cl:]
            now = time.monotonic()
            if now >= m_start:
                completed += 1
                sec_done += 1
                lat.append((now - sent_at[s]) * 1e6)
            s.send(req)
            sent_at[s] = now
        if time.monotonic() >= last_sec:
            series.append((round(last_sec - t_start, 3), len(sel.get_map()), sec_done, sec_err))
            last_sec += 1
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0
    lk = {"min": q(0), "mean": sum(lat) / len(lat) if lat else 0, "stdev": 0, "p50": q(.5),
          "p90": q(.9), "p99": q(.99), "p999": q(.999), "p9999": q(.9999),
          "max": lat[-1] if lat else 0, "count": len(lat), "clamped": 0}
    doc = {"schema": "c10k-load/1", "url": a.url,
           "config": {"connections": a.c, "threads": a.t, "duration_s": a.d, "warmup_s": a.warmup,
                      "rate_rps": a.R, "timeout_s": a.timeout, "connect_rate": a.connect_rate},
           "connections": {"target": a.c, "established": len(conns), "failed": failed,
                           "reconnects": 0, "ramp_s": ramp},
           "requests": {"sent": completed, "completed": completed, "ok": completed,
                        "non2xx": 0, "timeouts": 0},
           "errors": {"connect": failed, "read": errors["read"], "write": 0,
                      "reset": errors["reset"], "eof": errors["eof"], "parse": 0},
           "throughput_rps": completed / a.d, "duration_s": a.d, "latency_us": lk,
           "measure_start_s": m_start - t_start, "start_monotonic_ns": t_start_ns,
           "cpu": {"utime_s": 0, "stime_s": 0, "busiest_thread_fraction": 0.5}}
    for s in conns:
        s.close()
    if a.series:
        with open(a.series, "w") as f:
            f.write("t_s,established,completed,errors,rps,p50_us,p99_us\n")
            for t, est, done, err in series:
                f.write("%s,%d,%d,%d,%d,%d,%d\n" % (t, est, done, err, done, q(.5), q(.99)))
    if a.hgrm:
        with open(a.hgrm, "w") as f:
            f.write("       Value     Percentile TotalCount 1/(1-Percentile)\n\n")
            f.write("%12.3f %14.12f %10d %14.2f\n" % (q(.5), 0.5, len(lat) // 2, 2.0))
            f.write("#[Mean    = %12.3f, StdDeviation   = %12.3f]\n" % (lk["mean"], 0))
            f.write("#[Max     = %12.3f, Total count    = %12d]\n" % (lk["max"], len(lat)))
            f.write("#[Buckets = %12d, SubBuckets     = %12d]\n" % (1, 2048))
    mode = os.environ.get("FAKE_LOAD_MODE", "")
    if mode == "crash":  # dies before it writes anything
        os.kill(os.getpid(), signal.SIGSEGV)
    if mode == "stall":  # the load ran but nothing completed in the window
        for k in ("sent", "completed", "ok", "received"):
            doc["requests"][k] = 0
        doc["throughput_rps"] = 0
    if mode == "few":  # closed loop: fewer responses than connections
        doc["requests"].update(completed=1, ok=1, received=1)
        doc["throughput_rps"] = 1 / a.d
    if mode == "steady":
        doc["throughput_rps"] = 1000.0
    if mode == "noisy":
        state = os.environ["FAKE_LOAD_STATE"]
        turn = os.path.exists(state) and open(state).read() == "1"
        with open(state, "w") as f:
            f.write("0" if turn else "1")
        doc["throughput_rps"] = 2000.0 if turn else 1000.0
    if mode == "slow":  # open loop: claims the target rate, received far less
        doc["requests"]["received"] = int(a.R * a.d * 0.5)
        doc["throughput_rps"] = float(a.R)
    out = json.dumps(doc, indent=1)
    if a.json == "-":
        print(out)
    elif a.json:
        with open(a.json, "w") as f:
            f.write(out)
    return 3 if mode == "exit3" else 0 if conns else 1


if __name__ == "__main__":
    sys.exit(main())
