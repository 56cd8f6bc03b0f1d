"""Unit tests of models/python/c10k_proto.py: a table of requests, each fed
whole and byte by byte, pipelining, every error row, and the response bytes.
Run: PYTHONPATH=models/python /usr/bin/python3 tests/python/test_c10k_proto.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "models", "python"))
import c10k_proto as proto  # noqa: E402

K, K10, C = proto.KEEP, proto.KEEP10, proto.CLOSE
H = b"Host: x\r\n"

# (name, request, status, conn, fields to check). A fatal row consumes all
# the bytes it was given when it is refused (perhaps before its end).
KEPT_ROWS = [
    ("hello", b"GET / HTTP/1.1\r\n" + H + b"\r\n", 200, K, {"size": -1}),
    ("no headers", b"GET / HTTP/1.1\r\n\r\n", 200, K, {}),
    ("size", b"GET /?size=64 HTTP/1.1\r\n\r\n", 200, K, {"size": 64}),
    ("size 0", b"GET /?size=0 HTTP/1.1\r\n\r\n", 200, K, {"size": 0}),
    ("size max", b"GET /?size=16777216 HTTP/1.1\r\n\r\n", 200, K, {"size": 16 << 20}),
    ("leading zeros", b"GET /?size=007 HTTP/1.1\r\n\r\n", 200, K, {"size": 7}),
    ("combined", b"GET /?size=64&delay_us=1000&work_us=50 HTTP/1.1\r\n\r\n", 200, K,
     {"size": 64, "delay_us": 1000, "work_us": 50}),
    ("delay max", b"GET /?delay_us=60000000 HTTP/1.1\r\n\r\n", 200, K,
     {"delay_us": 60000000}),
    ("work max", b"GET /?work_us=1000000 HTTP/1.1\r\n\r\n", 200, K, {"work_us": 1000000}),
    ("empty query", b"GET /? HTTP/1.1\r\n\r\n", 200, K, {"size": -1}),
    ("absolute form", b"GET http://x:1/?size=3 HTTP/1.1\r\n\r\n", 200, K, {"size": 3}),
    ("absolute no path", b"GET http://x HTTP/1.1\r\n\r\n", 200, K, {}),
    ("http/1.0 close", b"GET / HTTP/1.0\r\n\r\n", 200, C, {}),
    ("http/1.0 keep-alive", b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200, K10, {}),
    ("http/1.0 Keep-Alive case", b"GET / HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n",
     200, K10, {}),
    ("http/1.1 close", b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 200, C, {}),
    ("close in a list", b"GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n", 200, C, {}),
    ("http/1.1 keep-alive", b"GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n", 200, K, {}),
    ("http/1.5 read as 1.1", b"GET / HTTP/1.5\r\n\r\n", 200, K, {}),
    ("ows trimmed", b"GET / HTTP/1.1\r\nConnection: \t close \t\r\n\r\n", 200, C, {}),
    ("obs-text value", b"GET / HTTP/1.1\r\nX: caf\xe9\r\n\r\n", 200, K, {}),
    ("empty value", b"GET / HTTP/1.1\r\nX:\r\n\r\n", 200, K, {}),
    ("64 headers", b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 64 + b"\r\n", 200, K, {}),
    ("echo", b"POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 200, K,
     {"echo": True, "body": b"hello"}),
    ("echo empty", b"POST /echo HTTP/1.1\r\n\r\n", 200, K, {"echo": True, "body": b""}),
    ("echo max", b"POST /echo HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n" + b"z" * (1 << 20),
     200, K, {"echo": True}),
    ("get with body", b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 200, K, {}),
    # kept errors
    ("other path", b"GET /x HTTP/1.1\r\n\r\n", 404, K, {}),
    ("get echo", b"GET /echo HTTP/1.1\r\n\r\n", 404, K, {}),
    ("post root", b"POST / HTTP/1.1\r\n\r\n", 404, K, {}),
    ("asterisk", b"GET * HTTP/1.1\r\n\r\n", 404, K, {}),
    ("other method", b"PUT / HTTP/1.1\r\n\r\n", 501, K, {}),
    ("head method", b"HEAD / HTTP/1.1\r\n\r\n", 501, K, {}),
    ("lower-case method", b"get / HTTP/1.1\r\n\r\n", 501, K, {}),
    ("501 keeps its body", b"PUT / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", 501, K, {}),
    ("unknown key", b"GET /?foo=1 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("repeated key", b"GET /?size=1&size=2 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("no value", b"GET /?size= HTTP/1.1\r\n\r\n", 400, K, {}),
    ("no equals", b"GET /?size HTTP/1.1\r\n\r\n", 400, K, {}),
    ("bad number", b"GET /?size=1x HTTP/1.1\r\n\r\n", 400, K, {}),
    ("signed number", b"GET /?size=-1 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("size range", b"GET /?size=16777217 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("delay range", b"GET /?delay_us=60000001 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("work range", b"GET /?work_us=1000001 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("trailing &", b"GET /?size=1& HTTP/1.1\r\n\r\n", 400, K, {}),
    ("empty pair", b"GET /?size=1&&work_us=1 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("echo query", b"POST /echo?size=1 HTTP/1.1\r\n\r\n", 400, K, {}),
    ("bad query on 1.0", b"GET /?x=1 HTTP/1.0\r\n\r\n", 400, C, {}),
]
FATAL_ROWS = [
    ("bare LF", b"GET / HTTP/1.1\nHost: x\n\n", 400, C, {}),
    ("bare LF in a header", b"GET / HTTP/1.1\r\nA: b\nc\r\n\r\n", 400, C, {}),
    ("bare CR", b"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400, C, {}),
    ("NUL", b"GET / HTTP/1.1\r\nA: \x00\r\n\r\n", 400, C, {}),
    ("control char", b"GET / HTTP/1.1\r\nA: \x01\r\n\r\n", 400, C, {}),
    ("DEL", b"GET / HTTP/1.1\r\nA: \x7f\r\n\r\n", 400, C, {}),
    ("obs-fold", b"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400, C, {}),
    ("space before colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, C, {}),
    ("no colon", b"GET / HTTP/1.1\r\nHost\r\n\r\n", 400, C, {}),
    ("empty name", b"GET / HTTP/1.1\r\n: x\r\n\r\n", 400, C, {}),
    ("no version", b"GET /\r\n\r\n", 400, C, {}),
    ("two spaces", b"GET  / HTTP/1.1\r\n\r\n", 400, C, {}),
    ("bad version", b"GET / HTTQ/1.1\r\n\r\n", 400, C, {}),
    ("version 2", b"GET / HTTP/2.0\r\n\r\n", 505, C, {}),
    ("relative target", b"GET x HTTP/1.1\r\n\r\n", 400, C, {}),
    ("empty line first", b"\r\nGET / HTTP/1.1\r\n\r\n", 400, C, {}),
    ("8-bit target", b"GET /\xe9 HTTP/1.1\r\n\r\n", 400, C, {}),
    ("transfer-encoding", b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 400, C,
     {}),
    ("te and cl", b"POST /echo HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: x\r\n\r\n",
     400, C, {}),
    ("bad content-length", b"POST /echo HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400, C, {}),
    ("signed content-length", b"POST /echo HTTP/1.1\r\nContent-Length: +1\r\n\r\n", 400, C, {}),
    ("empty content-length", b"POST /echo HTTP/1.1\r\nContent-Length:\r\n\r\n", 400, C, {}),
    ("list content-length", b"POST /echo HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", 400, C,
     {}),
    ("two content-lengths", b"POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1"
     b"\r\n\r\nx", 400, C, {}),
    ("body too large", b"POST /echo HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n", 413, C, {}),
    ("huge content-length", b"POST /echo HTTP/1.1\r\nContent-Length: 99999999999999999999"
     b"\r\n\r\n", 413, C, {}),
    ("65 headers", b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 65 + b"\r\n", 431, C, {}),
    ("head over 8 KiB", b"GET / HTTP/1.1\r\nX: " + b"y" * 8200 + b"\r\n\r\n", 431, C, {}),
]
ROWS = KEPT_ROWS + FATAL_ROWS
FATAL = {r[0] for r in FATAL_ROWS}


def feed(data, step):
    """Parses data given step bytes at a time; returns [(n, req)] and the rest."""
    parser = proto.Parser()
    buf, out = b"", []
    for off in range(0, len(data), step):
        buf += data[off:off + step]
        while buf:
            r = parser.parse(buf, 0)
            if r is None:
                break
            out.append(r)
            buf = buf[r[0]:]
            if r[1].conn == C:
                return out, buf
    return out, buf


class RowTest(unittest.TestCase):
    def check(self, name, data, status, conn, fields, step):
        with self.subTest(row=name, step=step):
            got, rest = feed(data, step)
            self.assertEqual(len(got), 1, "one request expected")
            n, req = got[0]
            self.assertEqual((req.status, req.conn), (status, conn))
            for key, want in fields.items():
                self.assertEqual(getattr(req, key), want, key)
            if name in FATAL:
                self.assertTrue(0 < n <= len(data))
            else:
                self.assertEqual(n, len(data))
            self.assertEqual(rest, b"")

    def test_rows_whole(self):
        for name, data, status, conn, fields in ROWS:
            self.check(name, data, status, conn, fields, len(data))

    def test_rows_byte_by_byte(self):
        for name, data, status, conn, fields in ROWS:
            if len(data) < 20000:
                self.check(name, data, status, conn, fields, 1)

    def test_rows_odd_chunks(self):
        for name, data, status, conn, fields in ROWS:
            self.check(name, data, status, conn, fields, 7 if len(data) < 20000 else 4093)

    def test_partial_head_waits(self):
        for cut in range(1, 18):
            self.assertIsNone(proto.Parser().parse(b"GET / HTTP/1.1\r\n\r\n"[:cut]))

    def test_bad_byte_refused_before_the_end(self):
        n, req = proto.Parser().parse(b"GET / HTTP/1.1\r\nA: \x01")
        self.assertEqual((req.status, req.conn), (400, C))

    def test_partial_body_waits(self):
        p = proto.Parser()
        self.assertIsNone(p.parse(b"POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nab"))
        n, req = p.parse(b"POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd")
        self.assertEqual(req.body, b"abcd")

    def test_start_offset(self):
        data = b"junkGET /?size=2 HTTP/1.1\r\n\r\n"
        n, req = proto.Parser().parse(bytearray(data), 4)
        self.assertEqual((n, req.size), (len(data) - 4, 2))


class PipelineTest(unittest.TestCase):
    def test_every_kept_row_in_one_stream(self):
        kept = [r for r in ROWS if r[3] != C and len(r[1]) < 20000]
        data = b"".join(r[1] for r in kept)
        for step in (len(data), 1, 5, 4096):
            got, rest = feed(data, step)
            self.assertEqual([(q.status, q.conn) for _, q in got],
                             [(r[2], r[3]) for r in kept], "step %d" % step)
            self.assertEqual(rest, b"")

    def test_nothing_parsed_after_close(self):
        data = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n"
        got, rest = feed(data, len(data))
        self.assertEqual(len(got), 1)
        self.assertEqual(rest, b"GET / HTTP/1.1\r\n\r\n")

    def test_fatal_error_ends_the_stream(self):
        data = b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\nx\n\nGET / HTTP/1.1\r\n\r\n"
        got, rest = feed(data, len(data))
        self.assertEqual([q.status for _, q in got], [200, 400])
        self.assertEqual(rest, b"")


def response(req):
    return b"".join(bytes(c) for c in proto.chunks(req))


class ResponseTest(unittest.TestCase):
    def req(self, data):
        return proto.Parser().parse(data)[1]

    def test_hello(self):
        self.assertEqual(response(self.req(b"GET / HTTP/1.1\r\n\r\n")),
                         b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: 13\r\n\r\nHello, World!")

    def test_connection_headers(self):
        close = response(self.req(b"GET / HTTP/1.0\r\n\r\n"))
        keep10 = response(self.req(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
        self.assertIn(b"\r\nContent-Length: 13\r\nConnection: close\r\n\r\n", close)
        self.assertIn(b"\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n", keep10)

    def test_size_pattern(self):
        for n in (0, 1, 26, 27, 65536, 65537, 200000):
            body = response(self.req(b"GET /?size=%d HTTP/1.1\r\n\r\n" % n)).split(b"\r\n\r\n",
                                                                                  1)[1]
            self.assertEqual(len(body), n)
            self.assertTrue(all(body[i] == 97 + i % 26 for i in range(0, n, 997)))
            self.assertEqual(body, bytes(97 + i % 26 for i in range(n)) if n < 30000 else body)
            self.assertEqual(body[-1:], bytes([97 + (n - 1) % 26]) if n else b"")

    def test_echo(self):
        body = bytes(range(256)) * 1000
        req = self.req(b"POST /echo HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        head, got = response(req).split(b"\r\n\r\n", 1)
        self.assertEqual(got, body)
        self.assertIn(b"Content-Length: %d" % len(body), head)

    def test_error_bodies(self):
        for status, data in ((400, b"GET /?x=1 HTTP/1.1\r\n\r\n"),
                             (404, b"GET /x HTTP/1.1\r\n\r\n"),
                             (501, b"PUT / HTTP/1.1\r\n\r\n"),
                             (413, b"POST /echo HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n"),
                             (431, b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 70 + b"\r\n"),
                             (505, b"GET / HTTP/3.0\r\n\r\n")):
            reason = proto.REASONS[status].encode()
            want = b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n" % (
                status, reason, len(reason) + 1)
            got = response(self.req(data))
            self.assertTrue(got.startswith(want), got)
            self.assertTrue(got.endswith(b"\r\n\r\n" + reason + b"\n"), got)


if __name__ == "__main__":
    unittest.main()
