"""c10k_srv: what the Python server models share (docs/models.md "What every
model does"): options, listen socket, ready line, RLIMIT_NOFILE, signals, the
accept statistics and the blocking connection loop of the threads and prefork
models. Try it through a model: c10k-server-py-threads --help
"""

import argparse
import errno
import ipaddress
import os
import resource
import signal
import socket
import sys
import time

import c10k_proto as proto

VERSION = os.environ.get("C10K_VERSION", "0.1.0")
RECV_BYTES = 64 * 1024


class Stop(BaseException):
    """Raised in the main thread by SIGTERM/SIGINT to leave a blocking call."""


# --- options ---------------------------------------------------------------

def parse_count(text, lo, hi):
    """A count with an optional k/M suffix ("512", "10k"), within [lo, hi]."""
    mult = {"k": 1000, "K": 1000, "M": 1000000}.get(text[-1:], 1)
    digits = text[:-1] if mult > 1 else text
    if not digits.isdigit():
        raise argparse.ArgumentTypeError("'%s' is not a count (e.g. 512, 10k)" % text)
    n = int(digits) * mult
    if not lo <= n <= hi:
        raise argparse.ArgumentTypeError("%s is outside [%d, %d]" % (text, lo, hi))
    return n


def parse_size(text, lo, hi):
    """A byte size with an optional k/M suffix (x1024: "256k", "1M")."""
    mult = {"k": 1024, "K": 1024, "M": 1 << 20}.get(text[-1:], 1)
    digits = text[:-1] if mult > 1 else text
    if not digits.isdigit():
        raise argparse.ArgumentTypeError("'%s' is not a size (e.g. 256k, 1M)" % text)
    n = int(digits) * mult
    if not lo <= n <= hi:
        raise argparse.ArgumentTypeError("%s is outside [%d, %d] bytes" % (text, lo, hi))
    return n


def host_arg(text):
    """An IPv4 or IPv6 address literal (no names: a benchmark binds loopback)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not an IPv4 or IPv6 address" % text)
    return text


def count_arg(lo, hi):
    return lambda text: parse_count(text, lo, hi)


def size_arg(lo, hi):
    return lambda text: parse_size(text, lo, hi)


class _Parser(argparse.ArgumentParser):
    """argparse with the c10k error form: one line, the usage, exit 2."""

    def error(self, message):
        sys.stderr.write("%s: %s\n" % (self.prog, message))
        self.print_help(sys.stderr)
        sys.exit(2)


def options(name, summary, add_model_options=None, argv=None):
    """Parses the common server options (+ the model's); --help/--version exit 0."""
    p = _Parser(prog="c10k-server-" + name, description=summary,
                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--host", type=host_arg, default="127.0.0.1", help="listen address")
    p.add_argument("--port", type=count_arg(0, 65535), default=0,
                   help="listen port (0 = ephemeral)")
    p.add_argument("--backlog", type=count_arg(1, 1 << 20), default=4096,
                   help="listen backlog")
    p.add_argument("--reuseport", action="store_true", help="SO_REUSEPORT on the listener")
    p.add_argument("--version", action="version", version="%(prog)s " + VERSION)
    if add_model_options:
        add_model_options(p)
    return p.parse_args(argv)


# --- process set-up --------------------------------------------------------

def raise_nofile():
    """Raises RLIMIT_NOFILE to its hard limit; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft


def listen(opts, blocking=True):
    """The listening socket on opts.host:opts.port."""
    family = socket.AF_INET6 if ":" in opts.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if opts.reuseport:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((opts.host, opts.port))
    sock.listen(opts.backlog)
    sock.setblocking(blocking)
    return sock


def ready(sock, host):
    """"ready HOST:PORT pid=N"; an IPv6 host in brackets, as the C models and
    URLs write it ("ready [::1]:8080 pid=N")."""
    shown = "[%s]" % host if ":" in host else host
    print("ready %s:%d pid=%d" % (shown, sock.getsockname()[1], os.getpid()), flush=True)


def _raise_stop(signum, frame):
    raise Stop()


def stop_on_signals():
    """SIGTERM/SIGINT raise Stop in the main thread (PEP 475 would otherwise
    restart the blocking accept)."""
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)


def stop_wakeup():
    """The read end of a pipe the signal handler writes to (set_wakeup_fd).
    A stop signal that arrives just before a blocking call enters the kernel is
    handled at once in C but raises Stop only at the next bytecode, after the
    call returns: a blocking accept() would then wait for the next client.
    Polling this fd beside the listener closes that window."""
    r, w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    return r


def fail_start(name, exc, opts=None):
    """A server that could not start: one line on stderr, exit 1."""
    where = "cannot listen on %s:%d: " % (opts.host, opts.port) if opts else ""
    sys.stderr.write("c10k-server-%s: %s%s\n" % (name, where, exc))
    sys.exit(1)


# --- statistics --------------------------------------------------------------

class Stats:
    """Accepted/rejected connections and the rate-limited rejection message."""

    def __init__(self, name):
        self.name = name
        self.accepted = 0
        self.rejected = 0
        self.last_errno = 0
        self.last_report_ns = 0

    def reject(self, err):
        self.rejected += 1
        self.last_errno = err
        now_ns = time.monotonic_ns()
        if now_ns - self.last_report_ns >= 1000000000:
            self.last_report_ns = now_ns
            sys.stderr.write("c10k-server-%s: cannot take connection: %s (%s), "
                             "%d rejected so far\n" % (self.name, errno.errorcode.get(err, err),
                                                       os.strerror(err), self.rejected))

    def line(self):
        reason = errno.errorcode.get(self.last_errno, "none") if self.last_errno else "none"
        return "stats accepted=%d rejected=%d reason=%s" % (self.accepted, self.rejected, reason)

    def print(self):
        print(self.line(), flush=True)


class Spare:
    """The EMFILE spare-fd trick: one fd in reserve; on EMFILE free it, accept
    and close one pending connection so the listener does not spin, take it back."""

    def __init__(self):
        self.fd = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)

    def shed(self, lsock):
        """Returns True when a pending connection was taken and closed."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        shed = False
        try:
            conn, _ = lsock.accept()
            conn.close()
            shed = True
        except OSError:
            pass
        try:
            self.fd = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            self.fd = -1
        return shed


def accept_error(err, stats, spare, lsock):
    """Handles a failed accept(): counts what is a refusal, sheds on EMFILE."""
    if err in (errno.EMFILE, errno.ENFILE):
        stats.reject(err)
        spare.shed(lsock)
        time.sleep(0.001)
    elif err in (errno.ENOBUFS, errno.ENOMEM):
        stats.reject(err)
        time.sleep(0.001)
    elif err not in (errno.ECONNABORTED, errno.EINTR, errno.EAGAIN, errno.EPROTO):
        raise OSError(err, os.strerror(err))


# --- request handling shared by the blocking models ------------------------

def burn_us(us):
    """Burns us microseconds of this thread's CPU time (work_us)."""
    end = time.thread_time() + us / 1e6
    while time.thread_time() < end:
        pass


def _answer_blocking(sock, req, out):
    """Queues the response in out; sleeps/burns first (flushing out before)."""
    if req.delay_us or req.work_us:
        if out:
            sock.sendall(b"".join(out))
            out.clear()
        if req.delay_us:
            time.sleep(req.delay_us / 1e6)
        if req.work_us:
            burn_us(req.work_us)
    whole = proto.response(req)
    if whole is not None:
        out.append(whole)
        return
    if out:
        sock.sendall(b"".join(out))
        out.clear()
    for chunk in proto.chunks(req):
        sock.sendall(chunk)


def serve_blocking(sock):
    """Serves one connection on a blocking socket until it closes."""
    parser = proto.Parser()
    buf = b""
    out = []
    try:
        while True:
            data = sock.recv(RECV_BYTES)
            if not data:
                return
            buf = buf + data if buf else data
            start = 0
            while True:
                r = parser.parse(buf, start)
                if r is None:
                    break
                start += r[0]
                _answer_blocking(sock, r[1], out)
                if r[1].conn == proto.CLOSE:
                    sock.sendall(b"".join(out))
                    sock.shutdown(socket.SHUT_WR)
                    return
            if out:
                sock.sendall(b"".join(out))
                out.clear()
            buf = buf[start:] if start < len(buf) else b""
    except OSError:
        return
    finally:
        sock.close()
