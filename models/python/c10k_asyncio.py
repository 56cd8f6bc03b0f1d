"""c10k_asyncio: the Python asyncio model, one event loop and one
asyncio.Protocol per connection (protocols, not streams: no task per
connection). --uvloop runs the same code on uvloop.
Try it: /usr/bin/python3 models/python/c10k_asyncio.py --port 8080 & curl 127.0.0.1:8080/
"""

import asyncio
import collections
import errno
import os
import signal
import sys

import c10k_proto as proto
import c10k_srv as srv

NAME = "py-asyncio"
SUMMARY = "Python asyncio: one event loop, one asyncio.Protocol per connection."
QUEUE_MAX = 64          # pipelined requests waiting before reading pauses
ACCEPT_BATCH = 256      # connections accepted per readiness event at most
REJECT_ERRNOS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)

STATS = srv.Stats(NAME)


class Conn(asyncio.Protocol):
    """One connection: parses what arrives and answers in request order. The
    fast path writes at once; delays, CPU work and big bodies go through a
    per-connection queue served by a task created only when needed."""
    __slots__ = ("t", "parser", "buf", "queue", "task", "closing", "wpaused", "rpaused", "wake")

    def connection_made(self, transport):
        STATS.accepted += 1
        self.t = transport
        self.parser = proto.Parser()
        self.buf = b""           # unparsed bytes; empty while idle
        self.queue = None        # deque of requests while the slow path runs
        self.task = None         # the task serving it (a strong reference)
        self.closing = False
        self.wpaused = False     # the transport asked us to stop writing
        self.rpaused = False
        self.wake = None         # future the slow path waits on while wpaused

    def data_received(self, data):
        if self.closing:
            return
        buf = self.buf + data if self.buf else data
        start, out = 0, []
        parse = self.parser.parse
        while True:
            r = parse(buf, start)
            if r is None:
                break
            start += r[0]
            self._take(r[1], out)
            if r[1].conn == proto.CLOSE:
                self.closing = True
                break
        if out:
            self.t.write(out[0] if len(out) == 1 else b"".join(out))
        self.buf = buf[start:] if start < len(buf) and not self.closing else b""
        if self.closing and self.queue is None:
            self.t.close()
        self._flow()

    def _take(self, req, out):
        if self.queue is None and not req.delay_us and not req.work_us:
            whole = proto.response(req)
            if whole is not None:
                out.append(whole)
                return
        if out:
            self.t.write(b"".join(out))
            out.clear()
        if self.queue is None:
            self.queue = collections.deque()
            self.task = asyncio.get_running_loop().create_task(self._slow())
        self.queue.append(req)

    async def _slow(self):
        loop = asyncio.get_running_loop()
        try:
            while self.queue:
                req = self.queue[0]
                if req.delay_us:
                    await asyncio.sleep(req.delay_us / 1e6)
                    if self.queue is None:
                        return
                if req.work_us:
                    srv.burn_us(req.work_us)
                for chunk in proto.chunks(req):
                    if self.queue is None or self.t.is_closing():
                        return      # the connection is gone (or going)
                    self.t.write(chunk)
                    while self.wpaused:
                        self.wake = loop.create_future()
                        await self.wake
                self.queue.popleft()
                self._flow()
            self.queue = self.task = None
            if self.closing:
                self.t.close()
        except asyncio.CancelledError:
            return      # connection_lost while waiting: nothing left to answer

    def _flow(self):
        """Reading pauses while writes are paused or too many requests wait."""
        want = self.wpaused or (self.queue is not None and len(self.queue) >= QUEUE_MAX)
        if want != self.rpaused and not self.t.is_closing():
            self.rpaused = want
            if want:
                self.t.pause_reading()
            else:
                self.t.resume_reading()

    def pause_writing(self):
        self.wpaused = True
        self._flow()

    def resume_writing(self):
        self.wpaused = False
        if self.wake is not None and not self.wake.done():
            self.wake.set_result(None)
        self._flow()

    def eof_received(self):
        """The client half-closed: answer what was asked, then close (True
        keeps the transport open for writing while the queue drains)."""
        self.closing = True
        return self.queue is not None

    def connection_lost(self, exc):
        self.closing = True
        self.queue = None
        if self.task is not None:
            self.task.cancel()       # a pending delay_us sleep ends with the connection
            self.task = None


def _model_options(p):
    p.add_argument("--uvloop", action="store_true",
                   help="run on uvloop (python3-uvloop) instead of the asyncio loop")


class Acceptor:
    """Our own accept loop on the listening socket (not create_server): asyncio
    retries accept() up to backlog times after EMFILE and libuv sheds silently;
    here every refusal is counted, the spare fd sheds it, and accepting goes on
    (the same for asyncio and uvloop)."""

    def __init__(self, loop, lsock):
        self.loop = loop
        self.lsock = lsock
        self.spare = srv.Spare()
        self.attaching = set()     # strong references: the loop keeps tasks weakly

    def start(self):
        self.loop.add_reader(self.lsock.fileno(), self._ready)

    def stop(self):
        self.loop.remove_reader(self.lsock.fileno())

    def _ready(self):
        for _ in range(ACCEPT_BATCH):
            try:
                conn, _ = self.lsock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                if e.errno not in REJECT_ERRNOS:
                    continue            # ECONNABORTED & co: that client is gone
                if not self.spare.shed(self.lsock):
                    return
                STATS.reject(e.errno)
                continue
            conn.setblocking(False)
            task = self.loop.create_task(self._attach(conn))
            self.attaching.add(task)
            task.add_done_callback(self.attaching.discard)

    async def _attach(self, conn):
        try:
            await self.loop.connect_accepted_socket(Conn, conn)
        except OSError:
            conn.close()


async def _serve(opts, lsock):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    acceptor = Acceptor(loop, lsock)
    acceptor.start()
    srv.ready(lsock, opts.host)
    await stop
    acceptor.stop()


def _new_loop(use_uvloop):
    if not use_uvloop:
        return asyncio.new_event_loop()
    try:
        import uvloop
    except ImportError:
        srv.fail_start(NAME, "--uvloop: uvloop is not installed (apt install python3-uvloop)")
    return uvloop.new_event_loop()


def main():
    name = "py-uvloop" if "--uvloop" in sys.argv[1:] else NAME   # for --help/--version
    opts = srv.options(name, SUMMARY, _model_options)
    STATS.name = name
    srv.raise_nofile()
    loop = _new_loop(opts.uvloop)
    try:
        lsock = srv.listen(opts, blocking=False)
    except OSError as e:
        srv.fail_start(NAME, e, opts)
    loop.run_until_complete(_serve(opts, lsock))
    STATS.print()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
