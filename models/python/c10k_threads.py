"""c10k_threads: the Python threading model, one thread per connection with
blocking sockets (the GIL lets one run Python at a time).
Try it: /usr/bin/python3 models/python/c10k_threads.py --port 8080 & curl 127.0.0.1:8080/
"""

import errno
import os
import sys
import threading

import c10k_srv as srv

NAME = "py-threads"
SUMMARY = "Python threading: one thread per connection, blocking sockets."


def _model_options(p):
    p.add_argument("--stack-size", type=srv.size_arg(0, 1 << 30), default=0,
                   help="thread stack size, k/M suffixes (0 = the system default)")


def _spawn(conn, stats):
    try:
        threading.Thread(target=srv.serve_blocking, args=(conn,), daemon=True).start()
        stats.accepted += 1
    except RuntimeError:            # "can't start new thread": pthread_create EAGAIN
        conn.close()
        stats.reject(errno.EAGAIN)


def _accept_loop(lsock, stats, spare):
    while True:
        try:
            conn, _ = lsock.accept()
        except OSError as e:
            srv.accept_error(e.errno, stats, spare, lsock)
            continue
        _spawn(conn, stats)


def main():
    opts = srv.options(NAME, SUMMARY, _model_options)
    srv.raise_nofile()
    if opts.stack_size:
        threading.stack_size(max(opts.stack_size, 32768))
    try:
        lsock = srv.listen(opts)
    except OSError as e:
        srv.fail_start(NAME, e)
    stats = srv.Stats(NAME)
    spare = srv.Spare()
    srv.stop_on_signals()
    srv.ready(lsock, opts.host)
    try:
        _accept_loop(lsock, stats, spare)
    except srv.Stop:
        pass
    lsock.close()
    stats.print()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
