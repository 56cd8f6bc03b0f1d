#!/usr/bin/env python3
"""test_args: bad flags, out-of-range numbers, missing files and malformed
result JSON given to one binary (table-driven, suite 'args'). Every case must
exit with its contract's code (2 usage, 1 where a missing or broken file is a
run failure), say what is wrong on stderr (a line naming the flag or value),
and never die of a signal, a sanitizer report or a Python traceback.
  try: test_args.py server build/models/epoll/c10k-server-epoll"""
import os, shutil, signal, subprocess, sys, tempfile

URL = "http://127.0.0.1:1/"  # nothing listens on port 1
CRASH_MARKS = ("Sanitizer", "runtime error:", "Traceback (most recent call last)",
               "Segmentation fault", "core dumped")

SERVER = [
    (["--no-such-flag"], (2,), "no-such-flag"),
    (["--port"], (2,), "port"),
    (["--port", "65536"], (2,), "65536"),
    (["--port", "-1"], (2,), "-1"),
    (["--port", "abc"], (2,), "abc"),
    (["--port", ""], (2,), "port"),
    (["--port", "80x"], (2,), "80x"),
    (["--backlog", "x"], (2,), "x"),
    (["--backlog", "99999999999999999999999"], (2,), "99999999999999999999999"),
    (["--host", "not-an-address"], (1, 2), "not-an-address"),
    (["--host", "256.1.1.1"], (1, 2), "256.1.1.1"),
    (["stray-argument"], (2,), "argument"),
]
EXTRA = {
    "epoll": [(["--threads", "0"], (2,), "0"), (["--threads", "1025"], (2,), "1025"),
              (["--threads", "two"], (2,), "two")],
    "threads": [(["--stack-size", "1k"], (2,), "1k"), (["--stack-size", "2G"], (2,), "2G"),
                (["--stack-size", "12q"], (2,), "12q")],
    "prefork": [(["--workers", "0"], (2,), "0"), (["--max-workers", "30001"], (2,), "30001"),
                (["--spare", "-1"], (2,), "-1")],
    "py-prefork": [(["--workers", "x"], (2,), "x"), (["--max-workers", "-3"], (2,), "-3"),
                   (["--spare", "1.5"], (2,), "1.5")],
}

LOAD = [
    ([], (2,), "url"),
    (["--no-such-flag", URL], (2,), "no-such-flag"),
    (["-c", "0", URL], (2,), "0"),
    (["-c", "abc", URL], (2,), "abc"),
    (["-c", "100000000", URL], (2,), "100000000"),
    (["-t", "0", URL], (2,), "0"),
    (["-d", "10parsecs", URL], (2,), "10parsecs"),
    (["-d", "-1s", URL], (2,), "-1s"),
    (["-R", "-5", URL], (2,), "-5"),
    (["--pipeline", "0", URL], (2,), "0"),
    (["--pipeline", "1025", URL], (2,), "1025"),
    (["--arrival", "bogus", URL], (2,), "bogus"),
    (["--timeout", "soon", URL], (2,), "soon"),
    (["--source", "10.0.0.1", URL], (2,), "10.0.0.1"),
    (["--source", "127.0.0.9-127.0.0.1", URL], (2,), "127.0.0.9-127.0.0.1"),
    # malformed hosts only: no case here may name an address off this machine
    (["http://[::1/"], (2,), "[::1/"),
    (["http://:80/"], (2,), ":80"),
    (["ftp://127.0.0.1/"], (2,), "ftp"),
    (["http://127.0.0.1:99999/"], (2,), "99999"),
    (["-d", "100ms", "--json", "/nonexistent-dir/x.json", URL], (1, 2), "nonexistent-dir"),
    (["-d", "100ms", URL, URL], (2,), "url"),
]


def c10k_cases(tmp):
    bad = os.path.join(tmp, "bad")          # manifest.json that is not JSON
    os.makedirs(os.path.join(bad, "points"))
    with open(os.path.join(bad, "manifest.json"), "w") as f:
        f.write('{"schema": "c10k-manifest/1", "points": [')
    wrong = os.path.join(tmp, "wrong")      # JSON of the wrong shape
    os.makedirs(os.path.join(wrong, "points"))
    with open(os.path.join(wrong, "manifest.json"), "w") as f:
        f.write('{"schema": "c10k-manifest/999", "points": 7, "config": "x"}')
    with open(os.path.join(wrong, "points", "x.json"), "w") as f:
        f.write('{"schema": "c10k-point/1", "trials": [{"load": null}]}')
    empty = os.path.join(tmp, "empty")      # a folder with nothing in it
    os.makedirs(empty)
    missing = os.path.join(tmp, "missing")
    return [
        ([], (2,), "usage"),
        (["bogus-verb"], (2,), "bogus-verb"),
        (["models", "--bogus"], (2,), "bogus"),
        (["env", "--bogus"], (2,), "bogus"),
        (["run"], (2,), "model"),
        (["run", "--model", "epoll"], (2,), "connections"),
        (["run", "--model", "no-such-model", "-c", "10"], (1, 2), "no-such-model"),
        (["run", "--model", "epoll", "-c", "abc"], (2,), "abc"),
        (["run", "--model", "epoll", "-c", "0"], (2,), "0"),
        (["run", "--model", "epoll", "-c", "10", "--duration", "forever"], (2,), "forever"),
        (["run", "--model", "epoll", "-c", "10", "--trials", "0"], (2,), "0"),
        (["run", "--model", "epoll", "-c", "10", "--rate", "-1"], (2,), "-1"),
        (["run", "--model", "epoll", "-c", "10", "--duration", "100ms", "--warmup", "0s",
          "--server-cpus", "999"], (1, 2), "999"),
        (["run", "--model", "epoll", "-c", "10", "--load-threads", "x"], (2,), "x"),
        (["sweep", "--connections", "10,abc"], (2,), "abc"),
        (["sweep", "--connections", ""], (2,), "connections"),
        (["sweep", "--models", "epoll,no-such-model"], (1, 2), "no-such-model"),
        (["sweep", "--scenario", "noequals"], (2,), "noequals"),
        (["sweep", "--scenario", "x=/@fast"], (2,), "fast"),
        (["sweep", "--rates", "-1"], (2,), "-1"),
        (["sweep", "--trials", "1000000000000"], (2,), "1000000000000"),
        (["sweep", "--resume", missing], (1, 2), "missing"),
        (["sweep", "--resume", bad], (1, 2), "manifest"),
        (["sweep", "--resume", wrong], (1, 2), "manifest"),
        (["sweep", "--resume", empty], (1, 2), "manifest"),
        (["compare"], (2,), "usage"),
        (["compare", missing, missing], (2,), "missing"),
        (["compare", bad, bad], (2,), "manifest"),
        (["compare", wrong, wrong], (2,), "wrong"),
        (["compare", empty, empty], (2,), "empty"),
        (["compare", "--format", "xml", empty, empty], (2,), "xml"),
        (["compare", "--alpha", "2", empty, empty], (2,), "2"),
        (["compare", "--assert", "p99<<5", empty], (2,), "p99<<5"),
        (["plot"], (2,), "usage"),
        (["plot", missing], (1, 2), "missing"),
        (["plot", bad], (1, 2), "manifest"),
        (["report"], (2,), "usage"),
        (["report", missing], (1, 2), "missing"),
        (["report", bad], (1, 2), "manifest"),
    ]


def run(cmd, tmp):
    env = dict(os.environ, C10K_RESULTS_DIR=tmp)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp,
                         env=env, start_new_session=True)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out.decode(errors="replace"), err.decode(errors="replace")
    finally:
        try:  # whatever it started, if anything survived
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def check(path, args, codes, token, tmp):
    rc, out, err = run([path] + args, tmp)
    lines = [l for l in err.splitlines() if l.strip()]
    named = [l for l in lines if token.lower() in l.lower() and not l.lstrip().startswith("--")]
    problems = []
    if rc is None:
        problems.append("still running after 20 s (killed)")
    elif rc < 0:
        problems.append("killed by signal %d" % -rc)
    elif rc not in codes:
        problems.append("exit %d, want %s" % (rc, "/".join(map(str, codes))))
    for m in CRASH_MARKS:
        if m in err:
            problems.append("stderr shows '%s'" % m)
    if not lines:
        problems.append("nothing on stderr")
    elif not named:
        problems.append("no stderr line names '%s'" % token)
    elif len(err) > 8000:
        problems.append("stderr is %d bytes" % len(err))
    if problems:
        print("FAIL %s %s: %s\n  stderr: %s" % (os.path.basename(path), args, "; ".join(problems),
              "\n          ".join(lines[:6])))
        return False
    print("ok   %s %s -> %d: %s" % (os.path.basename(path), args, rc, named[0].strip()[:100]))
    return True


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("server", "load", "c10k"):
        print("usage: test_args.py server|load|c10k PATH", file=sys.stderr)
        return 2
    kind, path = sys.argv[1], os.path.abspath(sys.argv[2])
    if not os.access(path, os.X_OK):
        print("test_args: %s not built: skip" % path)
        return 77
    tmp = tempfile.mkdtemp(prefix="c10k-args.")
    try:
        if kind == "server":
            name = os.path.basename(path).replace("c10k-server-", "")
            table = SERVER + EXTRA.get(name, [])
        elif kind == "load":
            table = LOAD
        else:
            table = c10k_cases(tmp)
        passed = sum(check(path, a, c, t, tmp) for a, c, t in table)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s: %d/%d argument cases passed" % (os.path.basename(path), passed, len(table)))
    return 0 if passed == len(table) else 1


if __name__ == "__main__":
    sys.exit(main())
