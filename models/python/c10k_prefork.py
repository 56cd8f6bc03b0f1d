"""c10k_prefork: the Python multiprocessing model as a prefork pool, like
gunicorn's sync workers: each worker process accepts and serves ONE connection
at a time (blocking sockets); the master grows the pool on demand up to
--max-workers, then connections wait in the listen backlog.
Try it: /usr/bin/python3 models/python/c10k_prefork.py --port 8080 & curl 127.0.0.1:8080/
"""

import ctypes
import errno
import gc
import mmap
import os
import select
import signal
import struct
import sys
import time

import c10k_srv as srv

NAME = "py-prefork"
SUMMARY = ("Python multiprocessing: a prefork pool, one connection per worker "
           "process at a time, grown on demand up to --max-workers.")
CORES = os.cpu_count() or 1
FREE, IDLE, BUSY, RETIRE = 0, 1, 2, 3    # slot states in the shared page
IDLE_CHECK_S = 1.0                  # a worker marked RETIRE leaves after this idle
RETIRE_EVERY_NS = 1000000000        # the master marks surplus workers once a second
GROW_BATCH_MAX = 64                 # workers forked per step at most
MEM_FLOOR_FRACTION = 0.10           # stop growing below 10% MemAvailable
STOP_WAIT_S = 1.5
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _model_options(p):
    p.add_argument("--workers", type=srv.count_arg(1, 100000), default=2 * CORES,
                   help="worker processes at start (2 x cores)")
    p.add_argument("--max-workers", type=srv.count_arg(1, 100000), default=2048,
                   help="pool limit; beyond it connections wait in the backlog "
                        "(growth also stops when MemAvailable < 10%% of RAM)")
    p.add_argument("--spare", type=srv.count_arg(0, 100000), default=2,
                   help="idle workers the master keeps ready")


class Shared:
    """One anonymous shared mapping: a state byte per slot, then per slot the
    counters accepted, rejected, last errno (uint64 each, written by its worker)."""
    CNT = struct.Struct("QQQ")

    def __init__(self, slots):
        self.slots = slots
        self.off = (slots + 7) // 8 * 8
        self.map = mmap.mmap(-1, self.off + slots * self.CNT.size)

    def set_state(self, slot, state):
        self.map[slot] = state

    def count(self, state):
        return self.map[:self.slots].count(state)

    def add(self, slot, accepted, rejected, err):
        at = self.off + slot * self.CNT.size
        a, r, e = self.CNT.unpack_from(self.map, at)
        self.CNT.pack_into(self.map, at, a + accepted, r + rejected, err or e)

    def totals(self):
        acc = rej = err = 0
        for slot in range(self.slots):
            a, r, e = self.CNT.unpack_from(self.map, self.off + slot * self.CNT.size)
            acc, rej, err = acc + a, rej + r, e or err
        return acc, rej, err


# --- the worker ---------------------------------------------------------------

def _die_with_parent():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _accept_one(lsock, ep, shared, slot):
    """The next connection (blocking socket), or None when the master marked
    this worker RETIRE and it stayed idle for IDLE_CHECK_S."""
    while True:
        try:
            conn, _ = lsock.accept()
            conn.setblocking(True)
            return conn
        except BlockingIOError:
            pass
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                shared.add(slot, 0, 1, e.errno)
                time.sleep(0.01)
            continue
        if not ep.poll(IDLE_CHECK_S) and shared.map[slot] == RETIRE:
            return None


def _worker(lsock, shared, slot, notify_w):
    """Accepts and serves one connection at a time until killed or retired.
    The listener is non-blocking and each idle worker waits in its own epoll
    with EPOLLEXCLUSIVE, so a new connection wakes one worker, not the pool."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _die_with_parent()
    ep = select.epoll()
    ep.register(lsock.fileno(), select.EPOLLIN | select.EPOLLEXCLUSIVE)
    while True:
        conn = _accept_one(lsock, ep, shared, slot)
        if conn is None:
            return
        shared.set_state(slot, BUSY)
        shared.add(slot, 1, 0, 0)
        try:
            os.write(notify_w, b"b")      # wake the master: one idle worker fewer
        except BlockingIOError:
            pass
        srv.serve_blocking(conn)
        shared.set_state(slot, IDLE)


# --- the master ---------------------------------------------------------------

def _mem_low():
    """True when MemAvailable is under MEM_FLOOR_FRACTION of MemTotal."""
    info = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                info[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return False
    total, avail = info.get("MemTotal", 0), info.get("MemAvailable", 0)
    return total > 0 and avail < total * MEM_FLOOR_FRACTION


class Pool:
    def __init__(self, opts, lsock):
        self.opts = opts
        self.lsock = lsock
        self.shared = Shared(opts.max_workers)
        self.pids = {}                # pid -> slot
        self.free_slots = list(range(opts.max_workers - 1, -1, -1))
        self.notify_r, self.notify_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.last_warn_ns = 0
        self.fork_errno = 0
        self.fork_failures = 0
        self.last_shrink_ns = 0
        self.stopping = False

    def spawn(self):
        """Forks one worker. SIGTERM/SIGINT stay blocked across fork(): the
        child resets them to the default action before it can receive one."""
        slot = self.free_slots.pop()
        self.shared.set_state(slot, IDLE)
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            pid = os.fork()
        except OSError as e:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            self.shared.set_state(slot, FREE)
            self.free_slots.append(slot)
            self.fork_errno = e.errno
            self.fork_failures += 1
            self.warn("cannot fork a worker: %s (%s), %d failures so far"
                      % (errno.errorcode.get(e.errno, e.errno), e.strerror,
                         self.fork_failures))
            return False
        if pid == 0:
            try:
                os.close(self.notify_r)
                _worker(self.lsock, self.shared, slot, self.notify_w)
            finally:
                os._exit(0)
        self.pids[pid] = slot
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        return True

    def warn(self, text):
        now_ns = time.monotonic_ns()
        if now_ns - self.last_warn_ns >= 1000000000:
            self.last_warn_ns = now_ns
            sys.stderr.write("c10k-server-%s: %s\n" % (NAME, text))

    def reap(self):
        while self.pids:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            slot = self.pids.pop(pid, None)
            if slot is not None:
                self.shared.set_state(slot, FREE)
                self.free_slots.append(slot)

    def grow(self):
        """Keeps --spare idle workers (and at least --workers in all)."""
        total = len(self.pids)
        idle = self.shared.count(IDLE)
        want = max(self.opts.spare - idle, self.opts.workers - total, 0)
        if idle == 0:                  # busy pool: grow by a quarter (at least one)
            want = max(want, 1, min(total // 4, GROW_BATCH_MAX))
        want = min(want, self.opts.max_workers - total, GROW_BATCH_MAX)
        if want <= 0:
            if idle == 0 and total >= self.opts.max_workers:
                self.warn("all %d workers busy (--max-workers): new connections wait "
                          "in the listen backlog" % total)
            return
        if idle == 0 and total >= self.opts.workers and _mem_low():
            self.warn("MemAvailable below %d%%: not growing past %d workers"
                      % (MEM_FLOOR_FRACTION * 100, total))
            return
        for _ in range(want):
            if self.stopping or not self.spawn():
                return

    def shrink(self):
        """Marks idle workers beyond --spare (never below --workers) RETIRE;
        each leaves once it has been idle for IDLE_CHECK_S."""
        now_ns = time.monotonic_ns()
        if now_ns - self.last_shrink_ns < RETIRE_EVERY_NS:
            return
        self.last_shrink_ns = now_ns
        surplus = min(self.shared.count(IDLE) - self.opts.spare,
                      len(self.pids) - self.opts.workers)
        states = self.shared.map
        slot = -1
        while surplus > 0:
            slot = states.find(bytes([IDLE]), slot + 1, self.shared.slots)
            if slot < 0:
                return
            states[slot] = RETIRE
            surplus -= 1

    def request_stop(self, signum, frame):
        """SIGTERM/SIGINT handler: only a flag, so that no exception can land
        between a waitpid() and the bookkeeping of the pid it returned."""
        self.stopping = True

    def run(self):
        while not self.stopping:
            self.reap()
            self.grow()
            self.shrink()
            ready, _, _ = select.select([self.notify_r], [], [], 0.05)
            if ready:
                try:
                    os.read(self.notify_r, 65536)
                except BlockingIOError:
                    pass

    def stop(self):
        """SIGTERM to every worker, SIGKILL to the late ones, reap them all."""
        for pid in self.pids:
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT_S
        while self.pids and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.01)
        for pid in self.pids:
            _kill(pid, signal.SIGKILL)
        while self.pids:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                return
            self.pids.pop(pid, None)

    def stats(self):
        st = srv.Stats(NAME)
        st.accepted, st.rejected, err = self.shared.totals()
        st.rejected += self.fork_failures
        st.last_errno = self.fork_errno or err
        return st


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def main():
    opts = srv.options(NAME, SUMMARY, _model_options)
    if opts.workers > opts.max_workers:
        opts.max_workers = opts.workers
    srv.raise_nofile()
    try:
        lsock = srv.listen(opts)
    except OSError as e:
        srv.fail_start(NAME, e, opts)
    lsock.setblocking(False)      # the workers wait in epoll (see _worker)
    pool = Pool(opts, lsock)
    signal.signal(signal.SIGTERM, pool.request_stop)
    signal.signal(signal.SIGINT, pool.request_stop)
    gc.collect()
    gc.freeze()           # keep the workers' copy-on-write pages shared
    for _ in range(opts.workers):
        pool.spawn()
    srv.ready(lsock, opts.host)
    pool.run()
    lsock.close()
    pool.stop()
    pool.stats().print()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
