"""test_prefork_pool: the prefork pool follows the load. With --workers 1 --spare 2 it
grows to hold 60 simultaneous keep-alive connections (every one answered),
shrinks back once they close (idle children retire after their idle timeout),
and SIGTERM leaves no child behind, exit 0, with the accept count.
  python3 tests/models/test_prefork_pool.py build/models/prefork/c10k-server-prefork"""
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import children  # noqa: E402

CONNS = 60


def wait_for(cond, timeout_s):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def main():
    srv = subprocess.Popen([sys.argv[1], "--port", "0", "--workers", "1", "--spare", "2",
                            "--max-workers", "200"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = srv.stdout.readline().decode()
        port = int(line.split()[1].rsplit(":", 1)[1])
        start = len(children(srv.pid))
        socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CONNS)]
        for s in socks:
            s.sendall(b"GET / HTTP/1.1\r\n\r\n")
        answered = sum(1 for s in socks if b"200 OK" in s.recv(4096))
        grown = len(children(srv.pid))
        print(f"children at start {start}, with {CONNS} connections {grown}, answered {answered}")
        if answered != CONNS or grown < CONNS:
            print("FAIL: the pool did not grow to one child per connection")
            return 1
        for s in socks:
            s.close()
        if not wait_for(lambda: len(children(srv.pid)) <= 4, 12):
            print(f"FAIL: still {len(children(srv.pid))} children 12 s after the connections closed")
            return 1
        print(f"children after the connections closed: {len(children(srv.pid))}")
        kids = children(srv.pid)
        srv.send_signal(signal.SIGTERM)
        out, _ = srv.communicate(timeout=5)
        alive = [k for k in kids if os.path.exists(f"/proc/{k}")]
        print(f"exit {srv.returncode}, {out.decode().strip()}, children alive after exit {len(alive)}")
        if srv.returncode != 0 or alive or f"accepted={CONNS}" not in out.decode():
            print("FAIL: stop")
            return 1
        return 0
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()


if __name__ == "__main__":
    sys.exit(main())
