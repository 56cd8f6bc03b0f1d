#!/usr/bin/env python3
"""procs: --processes N of an event-loop model: one ready line for N workers on
one port; the connections are spread over more than one worker; the stats line
sums them; SIGKILL of the first process leaves no worker behind; a bad N exits 2.
  procs.py SERVER   (exit 0 pass, 1 fail)"""
import os
import signal
import socket
import subprocess
import sys
import time


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import alive, check, children, fail  # noqa: E402


def sockets(pid):
    n = 0
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            n += os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:")
        except OSError:
            pass
    return n


def living(pids):
    return [p for p in pids if alive(p)]


def start(server):
    p = subprocess.Popen([server, "--processes", "3", "--port", "0"], stdout=subprocess.PIPE,
                         text=True)
    line = p.stdout.readline()
    check(line.startswith("ready ") and line.strip().endswith("pid=%d" % p.pid),
          "one ready line, with the first process's pid: %r" % line.strip())
    host, port = line.split()[1].rsplit(":", 1)
    return p, (host, int(port))


def main():
    server = sys.argv[1]
    bad = subprocess.run([server, "--processes", "0"], capture_output=True, timeout=10)
    check(bad.returncode == 2, "--processes 0 refused (exit 2)")
    p, addr = start(server)
    workers = children(p.pid)
    check(len(workers) == 3, "3 worker processes (%s)" % workers)
    conns = []
    for _ in range(30):
        s = socket.create_connection(addr, timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\n\r\n")
        conns.append(s)
    check(all(b"Hello, World!" in s.recv(4096) for s in conns), "30 connections answered")
    busy = [w for w in workers if sockets(w) > 1]
    check(len(busy) >= 2, "30 connections spread over %d workers (SO_REUSEPORT)" % len(busy))
    p.send_signal(signal.SIGTERM)
    out, _ = p.communicate(timeout=5)
    check(p.returncode == 0, "SIGTERM: exit 0")
    check(out.count("stats ") == 1 and "stats accepted=30 " in out, "one summed stats line: %r" % out.strip())
    check(not living(workers), "no worker left after SIGTERM")
    for s in conns:
        s.close()
    p, addr = start(server)
    workers = children(p.pid)
    p.kill()
    p.wait()
    deadline = time.monotonic() + 3
    while living(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    check(not living(workers), "SIGKILL of the first process: the workers follow it")


main()
