#!/usr/bin/env python3
"""fake-server: a misbehaving stand-in for a c10k server model, for the harness
tests. Mode (argv[1]): ok (serves the protocol's GET / in a thread per
connection), crash (serves, then dies of SIGSEGV after 0.8 s), noready (never
prints ready), ignoreterm (serves, ignores SIGTERM), child (serves and leaves a
sleeping child). Every pid it creates is appended to $FAKE_PIDS.
  try: fake-server.py ok"""
import os, signal, socket, sys, threading, time

BODY = b"Hello, World!"
RESP = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n" + BODY


def note_pid(pid):
    path = os.environ.get("FAKE_PIDS")
    if path:
        with open(path, "a") as f:
            f.write("%d\n" % pid)


def serve_conn(c):
    buf = b""
    while True:
        try:
            data = c.recv(65536)
        except OSError:
            return
        if not data:
            return
        buf += data
        while b"\r\n\r\n" in buf:
            _, buf = buf.split(b"\r\n\r\n", 1)
            try:
                c.sendall(RESP)
            except OSError:
                return


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
    note_pid(os.getpid())
    stop = threading.Event()
    if mode == "noready":
        time.sleep(120)
        return 0
    if mode == "ignoreterm":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda s, f: stop.set())
    if mode == "child":
        pid = os.fork()
        if pid == 0:
            note_pid(os.getpid())
            time.sleep(120)
            os._exit(0)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1024)
    ls.settimeout(0.1)
    print("ready 127.0.0.1:%d pid=%d" % (ls.getsockname()[1], os.getpid()), flush=True)
    t0, accepted = time.monotonic(), 0
    while not stop.is_set():
        if mode == "crash" and time.monotonic() - t0 > 0.8:
            sys.stderr.write("fake-server: about to crash\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        accepted += 1
        threading.Thread(target=serve_conn, args=(c,), daemon=True).start()
    print("stats accepted=%d rejected=0 reason=none" % accepted, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
