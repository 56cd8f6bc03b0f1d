"""checks: what the Python end-to-end tests share (one home): the pass/fail
lines (check(cond, msg) prints "ok: msg" or "FAIL: msg" and exits 1) and the
process tree under /proc (children, tree, alive). A test puts tests/lib on its
path: sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))."""
import os
import sys


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok:", msg)


def children(pid):
    """The children of pid, forked by any of its threads ([] once it is gone)."""
    out = []
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def alive(pid):
    """pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
