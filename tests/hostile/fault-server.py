#!/usr/bin/env python3
"""fault-server: a stand-in server model that misbehaves on purpose, for the
harness fault tests (suite 'faults'). argv[1]: ok (answers every request with
the protocol's GET / response), crash (dies of SIGABRT 1 s after ready),
noready (never prints ready), hangterm (ignores SIGTERM and SIGINT).
  try: fault-server.py ok --port 0"""
import os, signal, socket, sys, threading, time

RESP = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!"


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


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
    if mode == "noready":
        time.sleep(600)
        return 0
    stop = threading.Event()
    if mode == "hangterm":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(4096)
    ls.settimeout(0.05)
    print("ready 127.0.0.1:%d pid=%d" % (ls.getsockname()[1], os.getpid()), flush=True)
    t0, accepted = time.monotonic(), 0
    while not stop.is_set():
        if mode == "crash" and time.monotonic() - t0 > 1.0:
            print("fault-server: crashing on purpose", file=sys.stderr, flush=True)
            os.abort()
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
