#!/usr/bin/env python3
"""fake-server: a stand-in for a c10k server model that misbehaves on purpose, for
the harness tests (tests/harness, and the suite 'faults' of tests/hostile).
Mode (argv[1]; later arguments are ignored): ok (answers every request with the
protocol's GET / response, a thread per connection), crash (serves, then dies of
SIGSEGV 0.8 s after ready), noready (never prints ready), ignoreterm (serves,
ignores SIGTERM and SIGINT), child (serves and leaves a sleeping child), pool
(serves the first 20 connections and never accepts another: the rest wait in
the listen backlog, like a prefork pool at its limit, refusing none). Every
pid it creates is appended to $FAKE_PIDS when that is set.
  try: tests/lib/fake-server.py ok"""
import os, signal, socket, sys, threading, time

POOL = 20  # mode pool: connections served at most
RESP = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!"


def note_pid(pid):
    path = os.environ.get("FAKE_PIDS")
    if path:
        with open(path, "a") as f:
            f.write("%d\n" % pid)


def serve(c):
    buf = b""
    with c:
        while True:
            try:
                data = c.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            n = buf.count(b"\r\n\r\n")
            buf = buf[buf.rfind(b"\r\n\r\n") + 4:] if n else buf
            try:
                c.sendall(RESP * n)
            except OSError:
                return


def signals(mode, stop):
    if mode == "ignoreterm":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if mode == "child":
        pid = os.fork()
        if pid == 0:
            note_pid(os.getpid())
            time.sleep(120)
            os._exit(0)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
    note_pid(os.getpid())
    if mode == "noready":
        time.sleep(600)
        return 0
    stop = threading.Event()
    signals(mode, stop)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(4096)
    ls.settimeout(0.05)
    print("ready 127.0.0.1:%d pid=%d" % (ls.getsockname()[1], os.getpid()), flush=True)
    t0, accepted = time.monotonic(), 0
    while not stop.is_set():
        if mode == "crash" and time.monotonic() - t0 > 0.8:
            print("fake-server: about to crash", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)
        if mode == "pool" and accepted >= POOL:
            time.sleep(0.05)
            continue
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        accepted += 1
        threading.Thread(target=serve, args=(c,), daemon=True).start()
    print("stats accepted=%d rejected=0 reason=none" % accepted, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
