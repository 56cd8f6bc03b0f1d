"""Behaviour of one Python server model through its launcher: the ready line,
exact responses, pipelining, concurrent delays, big bodies, errors, bad flags,
and SIGTERM (exit 0 within 2 s, stats line, no process left).
Run: /usr/bin/python3 tests/python/test_py_server.py build/models/python/c10k-server-py-asyncio
"""

import os
import select
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import alive, children  # noqa: E402

LAUNCHER = None
HELLO = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n"
         b"Hello, World!")


def start(*args):
    """Starts the server on an ephemeral port; returns (proc, port)."""
    proc = subprocess.Popen([LAUNCHER, "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    line = proc.stdout.readline().decode() if ready else ""
    if not line.startswith("ready 127.0.0.1:"):
        proc.kill()
        proc.wait()
        raise AssertionError("no ready line: %r" % line)
    fields = line.split()
    assert fields[2] == "pid=%d" % proc.pid, line
    return proc, int(fields[1].rsplit(":", 1)[1])


_LEFT = {}


def read_response(sock):
    """One response: (head bytes, body bytes); bytes of the next response are
    kept for the next call on the same socket."""
    data = _LEFT.pop(sock, b"")
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("EOF inside a head: %r" % data)
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise AssertionError("EOF inside a body")
        body += chunk
    if len(body) > length:
        _LEFT[sock] = body[length:]
    return head, body[:length]


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.port = start()

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            cls.proc.kill()
            cls.proc.wait()
        cls.proc.stdout.close()
        cls.proc.stderr.close()

    def conn(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self.addCleanup(s.close)
        return s

    def test_hello_exact(self):
        s = self.conn()
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        head, body = read_response(s)
        self.assertEqual(head + b"\r\n\r\n" + body, HELLO)

    def test_pipelining_in_order(self):
        s = self.conn()
        s.sendall(b"GET /?delay_us=200000&size=3 HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n\r\n"
                  b"GET /?work_us=1000&size=5 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        got = [read_response(s) for _ in range(4)]
        self.assertEqual([b for _, b in got], [b"abc", b"Not Found\n", b"abcde",
                                               b"Hello, World!"])

    def test_delays_overlap(self):
        n, delay_s = 5, 0.5
        socks = [self.conn() for _ in range(n)]
        t0 = time.monotonic()
        for s in socks:
            s.sendall(b"GET /?delay_us=%d HTTP/1.1\r\n\r\n" % (delay_s * 1e6))
        for s in socks:
            self.assertEqual(read_response(s)[1], b"Hello, World!")
        took = time.monotonic() - t0
        self.assertGreaterEqual(took, delay_s * 0.95)
        self.assertLess(took, delay_s * (n - 1), "the waits did not overlap")

    def test_big_size_body(self):
        s = self.conn()
        n = 3 * 1024 * 1024 + 7
        s.sendall(b"GET /?size=%d HTTP/1.1\r\n\r\n" % n)
        _, body = read_response(s)
        self.assertEqual(len(body), n)
        self.assertEqual(body[-1], 97 + (n - 1) % 26)
        self.assertEqual(body[:26], b"abcdefghijklmnopqrstuvwxyz")

    def test_echo_1mib(self):
        s = self.conn()
        body = os.urandom(1 << 20)
        s.sendall(b"POST /echo HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        self.assertEqual(read_response(s)[1], body)

    def test_413_closes(self):
        s = self.conn()
        s.sendall(b"POST /echo HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n")
        head, body = read_response(s)
        self.assertTrue(head.startswith(b"HTTP/1.1 413 "), head)
        self.assertIn(b"Connection: close", head)
        self.assertEqual(_LEFT.pop(s, b"") + s.recv(10), b"")

    def test_bad_syntax_closes(self):
        s = self.conn()
        s.sendall(b"GET / HTTP/1.1\nHost: x\n\n")
        head, body = read_response(s)
        self.assertEqual(body, b"Bad Request\n")
        self.assertIn(b"Connection: close", head)
        self.assertEqual(_LEFT.pop(s, b"") + s.recv(10), b"")

    def test_http10_closes(self):
        s = self.conn()
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        head, _ = read_response(s)
        self.assertIn(b"Connection: close", head)
        self.assertEqual(_LEFT.pop(s, b"") + s.recv(10), b"")

    def test_http10_keep_alive(self):
        s = self.conn()
        for _ in range(2):
            s.sendall(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            head, _ = read_response(s)
            self.assertIn(b"Connection: keep-alive", head)

    def test_z_sigterm(self):
        """Last (z): SIGTERM -> exit 0 within 2 s, a stats line, no process left."""
        for _ in range(3):          # some idle connections open at the time
            self.conn().sendall(b"GET / HTTP/1.1\r\n\r\n")
        time.sleep(0.3)
        kids = children(self.proc.pid)
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(5)
        self.assertLess(time.monotonic() - t0, 2.0)
        self.assertEqual(rc, 0)
        out = self.proc.stdout.read().decode()
        self.assertRegex(out, r"stats accepted=\d+ rejected=\d+ reason=\w+\n")
        self.assertGreaterEqual(int(out.split("accepted=")[1].split()[0]), 3)
        time.sleep(0.2)
        self.assertEqual([k for k in kids if alive(k)], [])


class Ipv6Test(unittest.TestCase):
    def test_ipv6_ready_line_and_answer(self):
        try:
            socket.socket(socket.AF_INET6).bind(("::1", 0))
        except OSError:
            self.skipTest("no IPv6 loopback")
        proc = subprocess.Popen([LAUNCHER, "--host", "::1", "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            ready, _, _ = select.select([proc.stdout], [], [], 10)
            line = proc.stdout.readline().decode() if ready else ""
            self.assertTrue(line.startswith("ready [::1]:"), line)
            port = int(line.split()[1].rsplit(":", 1)[1])
            s = socket.create_connection(("::1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\n\r\n")
            self.assertEqual(read_response(s)[1], b"Hello, World!")
            s.close()
        finally:
            proc.kill()
            proc.wait()


class FlagTest(unittest.TestCase):
    def test_bad_flag(self):
        r = subprocess.run([LAUNCHER, "--no-such-flag"], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"usage", r.stderr)
        self.assertEqual(r.stdout, b"")

    def test_bad_port(self):
        r = subprocess.run([LAUNCHER, "--port", "70000"], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 2)

    def test_help_and_version(self):
        r = subprocess.run([LAUNCHER, "--help"], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"default: 127.0.0.1", r.stdout)
        r = subprocess.run([LAUNCHER, "--version"], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, rb"c10k-server-py-\w+ \d+\.\d+")


if __name__ == "__main__":
    LAUNCHER = sys.argv.pop(1)
    unittest.main()
