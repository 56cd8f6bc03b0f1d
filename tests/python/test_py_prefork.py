"""py-prefork pool behaviour: it grows on demand up to --max-workers, then new
connections wait in the backlog until a worker frees up; the pool never
exceeds the limit; idle workers beyond --workers retire; SIGTERM takes every
worker down.
Run: /usr/bin/python3 tests/python/test_py_prefork.py build/models/python/c10k-server-py-prefork
"""

import signal
import socket
import sys
import time
import unittest

import test_py_server as ts


class PoolTest(unittest.TestCase):
    def test_grows_to_the_limit_then_backlog(self):
        proc, port = ts.start("--workers", "1", "--max-workers", "3", "--spare", "0")
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
        socks = []
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            self.addCleanup(s.close)
            s.sendall(b"GET / HTTP/1.1\r\n\r\n")
            socks.append(s)
        for s in socks[:3]:
            self.assertEqual(ts.read_response(s)[1], b"Hello, World!")
        for s in socks[3:]:
            s.settimeout(0.5)
            self.assertRaises(socket.timeout, s.recv, 100)   # waiting in the backlog
        self.assertEqual(len(ts.children(proc.pid)), 3)
        socks[0].close()                                     # frees one worker
        socks[3].settimeout(5)
        self.assertEqual(ts.read_response(socks[3])[1], b"Hello, World!")
        kids = ts.children(proc.pid)
        for s in socks:
            s.close()
        deadline = time.monotonic() + 5        # idle workers beyond --workers retire
        while len(ts.children(proc.pid)) > 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(len(ts.children(proc.pid)), 1, "the pool did not shrink")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(5), 0)
        out = proc.stdout.read().decode()
        self.assertIn("stats accepted=5 ", out)     # the 5th once a worker was free
        time.sleep(0.2)
        self.assertEqual([k for k in kids if ts.alive(k)], [])
        proc.stdout.close()
        proc.stderr.close()


if __name__ == "__main__":
    ts.LAUNCHER = sys.argv.pop(1)
    unittest.main()
