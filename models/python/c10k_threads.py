"""c10k_threads: the Python threading model, one thread per connection with
blocking sockets (the GIL lets one run Python at a time).
Try it: /usr/bin/python3 models/python/c10k_threads.py --port 8080 & curl 127.0.0.1:8080/
"""

import errno
import os
import select
import signal
import sys
import threading

import c10k_srv as srv

NAME = "py-threads"
SUMMARY = "Python threading: one thread per connection, blocking sockets."
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}
BASE_SWITCH_S = sys.getswitchinterval()


def _model_options(p):
    p.add_argument("--stack-size", type=srv.size_arg(0, 1 << 30), default=0,
                   help="thread stack size, k/M suffixes (0 = the system default)")
    p.add_argument("--gil-us-per-thread", type=srv.count_arg(0, 10000), default=20,
                   help="GIL switch interval = this x threads, at least CPython's 5 ms "
                        "(0 = always 5 ms; see docs/python.md)")


def _switch_interval(us_per_thread):
    """Every thread waiting for the GIL wakes up once per switch interval: at
    10,000 threads and CPython's 5 ms that is 2M futex wake-ups a second, and a
    burst of closing connections then takes minutes (measured). Scaling the
    interval with the thread count bounds the wake-ups to ~1/us_per_thread."""
    if us_per_thread:
        sys.setswitchinterval(max(BASE_SWITCH_S, threading.active_count() * us_per_thread / 1e6))


def _spawn(conn, stats, opts):
    # The new thread inherits SIGTERM/SIGINT blocked: the kernel must deliver
    # them to the main thread, the only one whose blocking accept() Python
    # interrupts (a worker thread would just retry its recv()).
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        threading.Thread(target=srv.serve_blocking, args=(conn,), daemon=True).start()
        stats.accepted += 1
    except RuntimeError:            # "can't start new thread": pthread_create EAGAIN
        conn.close()
        stats.reject(errno.EAGAIN)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if stats.accepted % 64 == 0:
        _switch_interval(opts.gil_us_per_thread)


def _accept_loop(lsock, stats, spare, opts):
    # Accept without blocking and, when none is pending, wait in poll() on the
    # listener and the signals' wake-up pipe: a stop signal handled just before
    # a blocking accept() left the server waiting there for the next client
    # (1 stop in 13). A burst of connections costs no poll() per accept.
    wake = srv.stop_wakeup()
    poller = select.poll()
    poller.register(lsock, select.POLLIN)
    poller.register(wake, select.POLLIN)
    lsock.setblocking(False)
    while True:
        try:
            conn, _ = lsock.accept()
        except BlockingIOError:     # none pending; a stop is raised at the loop's jump
            poller.poll()
            _drain(wake)
            continue
        except OSError as e:
            srv.accept_error(e.errno, stats, spare, lsock)
            continue
        conn.setblocking(True)
        _spawn(conn, stats, opts)


def _drain(fd):
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def main():
    opts = srv.options(NAME, SUMMARY, _model_options)
    srv.raise_nofile()
    if opts.stack_size:
        threading.stack_size(max(opts.stack_size, 32768))
    try:
        lsock = srv.listen(opts)
    except OSError as e:
        srv.fail_start(NAME, e, opts)
    stats = srv.Stats(NAME)
    spare = srv.Spare()
    srv.stop_on_signals()
    srv.ready(lsock, opts.host)
    try:
        _accept_loop(lsock, stats, spare, opts)
    except srv.Stop:
        pass
    lsock.close()
    stats.print()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
