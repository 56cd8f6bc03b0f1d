"""The nginx reference launcher: GET / answers 200 "Hello, World!", SIGTERM
stops it (exit 0, stats line) and leaves no nginx process and no temp dir;
a bad flag exits 2, flags of other models are ignored. Skips (77) without nginx.
Run: /usr/bin/python3 tests/python/test_nginx.py build/models/nginx/c10k-server-nginx
"""

import os
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import alive, fail, tree  # noqa: E402

NGINX = "/usr/sbin/nginx"
SKIP = 77


def get(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk


def check_flags(launcher):
    r = subprocess.run([launcher, "--bogus"], capture_output=True, timeout=10)
    if r.returncode != 2 or b"usage" not in r.stderr:
        fail("bad flag: rc %d" % r.returncode)
    r = subprocess.run([launcher, "--help"], capture_output=True, timeout=10)
    if r.returncode != 0 or b"--port" not in r.stdout:
        fail("--help: rc %d" % r.returncode)


def main():
    launcher = sys.argv[1]
    if not os.access(NGINX, os.X_OK):
        print("SKIP: %s is not installed" % NGINX)
        return SKIP
    check_flags(launcher)
    proc = subprocess.Popen([launcher, "--port", "0", "--threads", "4", "--reuseport"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        return run(proc)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run(proc):
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    line = proc.stdout.readline().decode() if ready else ""
    if not line.startswith("ready 127.0.0.1:"):
        fail("no ready line: %r %r" % (line, proc.stderr.read1()))
    port = int(line.split()[1].rsplit(":", 1)[1])
    master = int(line.split("pid=")[1])
    deadline = time.monotonic() + 3
    procs = tree(master)
    while len(procs) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
        procs = tree(master)
    if len(procs) < 2:
        fail("nginx master %d has no worker" % master)
    resp = get(port, b"/")
    if not resp.startswith(b"HTTP/1.1 200 OK") or not resp.endswith(b"\r\n\r\nHello, World!"):
        fail("GET /: %r" % resp)
    if not get(port, b"/nope").startswith(b"HTTP/1.1 404"):
        fail("GET /nope is not 404")
    tmpdirs = [d for d in os.listdir("/tmp") if d.startswith("c10k-nginx-")]
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(5)
    if rc != 0 or time.monotonic() - t0 > 2.5:
        fail("SIGTERM: rc %d after %.1f s" % (rc, time.monotonic() - t0))
    out = proc.stdout.read().decode()
    if "stats accepted=2 rejected=0 " not in out:            # the two GETs above
        fail("stats line: %r" % out)
    time.sleep(0.2)
    left = [p for p in procs + [proc.pid] if alive(p)]
    if left:
        fail("processes left after SIGTERM: %s" % left)
    still = [d for d in tmpdirs if os.path.exists(os.path.join("/tmp", d))]
    if len(still) >= len(tmpdirs) and tmpdirs:
        fail("temp dir not removed: %s" % still)
    print("ok: GET / 200, SIGTERM left nothing (%s)" % out.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
