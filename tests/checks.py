"""checks: the pass/fail lines of the Python end-to-end tests (one home):
check(cond, msg) prints "ok: msg" or "FAIL: msg" and exits 1."""
import sys


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok:", msg)
