"""c10k_proto: the c10k HTTP/1.1 subset (docs/protocol.md) for the
Python models: an incremental request parser and the response bytes. No I/O.
Try it: /usr/bin/python3 -c 'import c10k_proto as p; print(p.Parser().parse(b"GET / HTTP/1.1\\r\\n\\r\\n"))'

Parser.parse(buf, start) looks at buf[start:] (bytes or bytearray) and returns
None when it needs more bytes (call again with the same start and buf grown),
or (n, req): a whole request is buf[start:start+n], req says how to answer.
A fatal error (400/413/431) comes back as a request with conn == CLOSE that
consumes everything given; the caller answers it, closes and parses no more.
After a request the parser is ready for the next one (pipelining).
"""

import re

HEAD_MAX = 8192            # request header section limit (bytes, with its CRLFs) -> 431
HEADERS_MAX = 64           # header lines -> 431
ECHO_MAX = 1 << 20         # Content-Length limit -> 413 + close
SIZE_MAX = 16 << 20        # GET /?size=N limit
DELAY_MAX_US = 60000000    # GET /?delay_us=N limit
WORK_MAX_US = 1000000      # GET /?work_us=N limit
HELLO = b"Hello, World!"

KEEP = 0       # HTTP/1.1 keep-alive: no Connection header
KEEP10 = 1     # HTTP/1.0 + keep-alive: "Connection: keep-alive"
CLOSE = 2      # "Connection: close", then close

REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    408: "Request Timeout",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    505: "HTTP Version Not Supported",
}

_TCHAR = rb"!#$%&'*+\-.^_`|~0-9A-Za-z"
# method SP target SP HTTP/d.d (major 1 is read; another major is 505)
_REQ_LINE = re.compile(rb"([" + _TCHAR + rb"]+) ([\x21-\x7e]+) HTTP/([0-9])\.([0-9])")
# absolute-form target: the authority is skipped, an empty path is "/"
_ABSOLUTE = re.compile(rb"[Hh][Tt][Tt][Pp][Ss]?://[^/?]+(.*)", re.S)
# name ":" OWS value OWS (the head has no control bytes left but HTAB)
_HEADER = re.compile(rb"([" + _TCHAR + rb"]+):[ \t]*(.*?)[ \t]*", re.S)
# a byte no head may hold: controls but HTAB, DEL, CR without LF, LF without CR
_BAD_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")
_DIGITS = re.compile(rb"[0-9]+")
_CONN_SEP = re.compile(rb"[ \t,]+")
_QUERY_KEYS = {b"size": SIZE_MAX, b"delay_us": DELAY_MAX_US, b"work_us": WORK_MAX_US}


class Request:
    """What to answer: status, connection handling and the GET parameters."""
    __slots__ = ("status", "conn", "echo", "size", "delay_us", "work_us", "body")

    def __init__(self, status=200, conn=KEEP):
        self.status = status
        self.conn = conn
        self.echo = False
        self.size = -1          # body bytes when GET /?size=N, else -1 (Hello)
        self.delay_us = 0
        self.work_us = 0
        self.body = b""         # POST /echo body

    def __repr__(self):
        return ("Request(status=%d conn=%d echo=%s size=%d delay_us=%d work_us=%d body=%d bytes)"
                % (self.status, self.conn, self.echo, self.size, self.delay_us,
                   self.work_us, len(self.body)))


def _fatal(status):
    return Request(status, CLOSE)


def _parse_query(req, query):
    """Fills size/delay_us/work_us from a query string; False on a bad one."""
    seen = set()
    for item in query.split(b"&"):
        key, eq, val = item.partition(b"=")
        limit = _QUERY_KEYS.get(key)
        if limit is None or not eq or key in seen or not _DIGITS.fullmatch(val):
            return False
        n = int(val)
        if n > limit:
            return False
        seen.add(key)
        if key == b"size":
            req.size = n
        elif key == b"delay_us":
            req.delay_us = n
        else:
            req.work_us = n
    return True


def _route(req, method, target):
    """Sets req.status from the method and the target (no syntax errors here)."""
    if method != b"GET" and method != b"POST":
        req.status = 501
        return
    path, q, query = target.partition(b"?")
    if method == b"GET" and path == b"/":
        if query and not _parse_query(req, query):
            req.status = 400
    elif method == b"POST" and path == b"/echo":
        if query:
            req.status = 400       # /echo takes no parameters
        else:
            req.echo = True
    else:
        req.status = 404


def _target(raw):
    """origin-form as is, "*" as is, absolute-form reduced to its path; None = 400."""
    if raw[0] == 47 or raw == b"*":          # "/"
        return raw
    m = _ABSOLUTE.fullmatch(raw)
    if m is None:
        return None
    rest = m.group(1)
    return rest if rest[:1] == b"/" else b"/" + rest


def _headers(lines, req, http10):
    """Checks the header lines; returns (Content-Length, None) or (None, status)."""
    clen = -1
    keep = close = False
    for count, line in enumerate(lines):
        if count >= HEADERS_MAX:
            return None, 431
        m = _HEADER.fullmatch(line)
        if m is None:
            return None, 400
        name = m.group(1).lower()
        if name == b"content-length":
            if clen >= 0 or not _DIGITS.fullmatch(m.group(2)):
                return None, 400
            clen = int(m.group(2))
        elif name == b"transfer-encoding":
            return None, 400      # no chunked bodies: refusing TE avoids smuggling
        elif name == b"connection":
            for tok in _CONN_SEP.split(m.group(2).lower()):
                if tok == b"close":
                    close = True
                elif tok == b"keep-alive":
                    keep = True
    if clen > ECHO_MAX:
        return None, 413
    if close or (http10 and not keep):
        req.conn = CLOSE
    else:
        req.conn = KEEP10 if http10 else KEEP
    return max(clen, 0), None


def parse_head(head):
    """head: the header section without its final CRLF CRLF. Returns
    (content_length, Request, fatal): when fatal, the connection is closed
    after the answer and nothing more is read from it."""
    if _BAD_BYTE.search(head):
        return 0, _fatal(400), True
    lines = head.split(b"\r\n")
    m = _REQ_LINE.fullmatch(lines[0])
    if m is None:
        return 0, _fatal(400), True
    if m.group(3) != b"1":
        return 0, _fatal(505), True
    target = _target(m.group(2))
    if target is None:
        return 0, _fatal(400), True
    req = Request()
    clen, err = _headers(lines[1:], req, m.group(4) == b"0")
    if err:
        return 0, _fatal(err), True
    _route(req, m.group(1), target)
    return clen, req, False


class Parser:
    """Incremental parser state for one connection (see the module docstring)."""
    __slots__ = ("scanned", "pending", "head_len", "need")

    def __init__(self):
        self.reset()

    def reset(self):
        self.scanned = 0     # bytes of the head already checked
        self.pending = None  # a parsed head waiting for its body
        self.head_len = 0    # its length
        self.need = 0        # head + body bytes of the pending request

    def parse(self, buf, start=0):
        if self.pending is not None:
            return self._body(buf, start)
        end = buf.find(b"\r\n\r\n", start + max(self.scanned - 3, 0), start + HEAD_MAX)
        if end < 0:
            return self._partial(buf, start)
        clen, req, fatal = parse_head(bytes(buf[start:end]))
        if fatal:
            self.reset()
            return len(buf) - start, req
        head_len = end + 4 - start
        if clen == 0:
            self.reset()
            return head_len, req
        self.pending, self.head_len, self.need = req, head_len, head_len + clen
        return self._body(buf, start)

    def _body(self, buf, start):
        n = self.need
        if len(buf) - start < n:
            return None
        req = self.pending
        if req.echo and req.status == 200:
            req.body = bytes(buf[start + self.head_len:start + n])
        self.reset()
        return n, req

    def _fail(self, buf, start, status):
        self.reset()
        return len(buf) - start, _fatal(status)

    def _partial(self, buf, start):
        """No end of head yet: refuse at once a byte no head may hold (as the C
        parser does), 431 past HEAD_MAX, else wait for more."""
        lim = min(len(buf), start + HEAD_MAX)
        end = lim - 1 if buf[lim - 1] == 13 else lim     # a CR whose LF may follow
        if _BAD_BYTE.search(buf, start + self.scanned, end):
            return self._fail(buf, start, 400)
        if lim == start + HEAD_MAX:
            return self._fail(buf, start, 431)
        self.scanned = max(end - start, 0)
        return None


# --- responses -------------------------------------------------------------

_ALPHA = b"abcdefghijklmnopqrstuvwxyz"
CHUNK = 64 * 1024                                   # body chunk for big responses
_PATTERN = _ALPHA * (CHUNK // 26 + 2)               # body byte i = 'a' + i % 26
_CONN_LINE = (b"", b"Connection: keep-alive\r\n", b"Connection: close\r\n")


def body_len(req):
    if req.status != 200:
        return len(REASONS[req.status]) + 1
    if req.echo:
        return len(req.body)
    return req.size if req.size >= 0 else len(HELLO)


def head(req):
    """Status line and headers of the response to req."""
    return b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s\r\n" % (
        req.status, REASONS[req.status].encode(), body_len(req), _CONN_LINE[req.conn])


def size_body(off, n):
    """n bytes (n <= CHUNK) of the size=N body starting at offset off."""
    i = off % 26
    return _PATTERN[i:i + n]


def _hello(conn):
    return head(Request(200, conn)) + HELLO


_HELLO_RESP = tuple(_hello(c) for c in (KEEP, KEEP10, CLOSE))


def response(req):
    """The whole response as bytes when its body is at most CHUNK bytes, else
    None (then send head(req) and body_chunks(req))."""
    if req.status == 200:
        if req.echo:
            return head(req) + req.body if len(req.body) <= CHUNK else None
        if req.size < 0:
            return _HELLO_RESP[req.conn]
        return head(req) + size_body(0, req.size) if req.size <= CHUNK else None
    return head(req) + REASONS[req.status].encode() + b"\n"


def body_chunks(req):
    """The body of a big response as successive chunks of at most CHUNK bytes."""
    if req.echo:
        view = memoryview(req.body)
        for off in range(0, len(view), CHUNK):
            yield view[off:off + CHUNK]
        return
    for off in range(0, req.size, CHUNK):
        yield size_body(off, min(CHUNK, req.size - off))


def chunks(req):
    """Every piece of the response to req, in order (head first)."""
    whole = response(req)
    if whole is not None:
        yield whole
        return
    yield head(req)
    yield from body_chunks(req)
