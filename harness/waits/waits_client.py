#!/usr/bin/python3
"""waits_client: the Python clients of `c10k waits` (the asyncio guides' N-waits
experiment): fetch N URLs that each answer after a wait, one after another
(sequential), with asyncio.gather (one connection per request), or through
loop.run_in_executor with a ThreadPoolExecutor or a ProcessPoolExecutor.

Protocol with c10k waits: warm up (one request without a wait), print "ready",
wait for SIGUSR1 ("go"), fetch, print one JSON line {"wall_s", "cpu_s", "ok",
"errors", "pool_start_s"} and exit 0.
Try: waits_client.py --mode asyncio --port 8080 --path '/?delay_us=1000000' -n 10 --now
"""
import argparse
import asyncio
import concurrent.futures
import json
import multiprocessing
import os
import resource
import signal
import socket
import sys
import time

HOST = "127.0.0.1"


def request_bytes(path):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, HOST)).encode()


def answered_ok(data):
    return data.startswith(b"HTTP/1.1 200 ")


def fetch(port, path, timeout):
    """One blocking request on its own connection: True when it got a 200."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(request_bytes(path))
            chunks = []
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        return answered_ok(b"".join(chunks))
    except OSError:
        return False


async def fetch_async(port, path, timeout):
    """The same with asyncio streams (what the guides show)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
        writer.write(request_bytes(path))
        data = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
        return answered_ok(data)
    except (OSError, asyncio.TimeoutError):
        return False


def run_sequential(a):
    return [fetch(a.port, a.path, a.timeout) for _ in range(a.n)]


async def gather_asyncio(a):
    return await asyncio.gather(*(fetch_async(a.port, a.path, a.timeout) for _ in range(a.n)))


async def gather_executor(a, pool, marks):
    loop = asyncio.get_running_loop()
    # the pool's own start-up, timed apart: a fork pool starts all its
    # workers on the first submit (and the barrier of run_pool holds them
    # until every one runs), a thread pool one thread per submit
    await loop.run_in_executor(pool, int)
    marks["pool_start_s"] = time.monotonic() - marks["t0"]
    return await asyncio.gather(
        *(loop.run_in_executor(pool, fetch, a.port, a.path, a.timeout) for _ in range(a.n)))


def run_pool(a, cls, marks):
    # max_workers=N: the pools' defaults (cores + 4 threads, cores processes)
    # would queue the waits instead of overlapping them
    kw = {}
    if cls is concurrent.futures.ProcessPoolExecutor:
        kw["initializer"] = multiprocessing.Barrier(a.n).wait
    with cls(max_workers=a.n, **kw) as pool:
        return asyncio.run(gather_executor(a, pool, marks))


def run_mode(a, marks):
    if a.mode == "sequential":
        return run_sequential(a)
    if a.mode == "asyncio":
        return asyncio.run(gather_asyncio(a))
    if a.mode == "threads":
        return run_pool(a, concurrent.futures.ThreadPoolExecutor, marks)
    return run_pool(a, concurrent.futures.ProcessPoolExecutor, marks)


def warm_up(a):
    """One request without a wait through the same code, before "ready": what
    the first request costs once (imports, loop, buffers) stays out of the
    per-request memory."""
    w = argparse.Namespace(**vars(a))
    w.n, w.path = 1, "/"
    run_mode(w, {"t0": time.monotonic()})


def cpu_now():
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def main():
    p = argparse.ArgumentParser(description="a Python client of c10k waits")
    p.add_argument("--mode", required=True,
                   choices=["sequential", "asyncio", "threads", "processes"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", required=True)
    p.add_argument("-n", type=int, required=True)
    p.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    p.add_argument("--now", action="store_true", help="start at once (no ready/SIGUSR1)")
    a = p.parse_args()
    if a.n < 1:
        p.error("-n: at least 1")
    warm_up(a)
    if not a.now:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        print("ready", flush=True)
        signal.sigwait({signal.SIGUSR1})
    cpu0, t0 = cpu_now(), time.monotonic()
    marks = {"t0": t0, "pool_start_s": 0.0}
    results = run_mode(a, marks)
    wall = time.monotonic() - t0
    ok = sum(1 for r in results if r)
    print(json.dumps({"wall_s": wall, "cpu_s": cpu_now() - cpu0, "ok": ok,
                      "errors": a.n - ok, "pool_start_s": marks["pool_start_s"]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
