#!/usr/bin/env python3
"""memcg-study: which kernel objects of a loopback connection this kernel
charges to the memory cgroup of the side that owns it (docs/methodology.md,
"What the group misses"). A server model in one v1/v2 memory group, c10k-load
--idle in another; /proc/slabinfo, the groups and /proc/meminfo read before
and while N connections are held silent.
  try: sudo bench/memcg-study.py --model epoll -c 4000   (root; >5000: under
       flock /tmp/c10k-big.lock)"""
import argparse, os, re, signal, subprocess, sys, time

ROOT = os.environ.get("C10K_CGROUP_ROOT", "/sys/fs/cgroup")
KSTACK = 16384


def own_v1():
    for line in open("/proc/self/cgroup"):
        _, ctl, path = line.rstrip("\n").split(":", 2)
        if "memory" in ctl.split(","):
            return path.rstrip("/")
    return ""


def parent_dir():
    if os.path.exists(ROOT + "/cgroup.controllers"):
        return "v2", ROOT + "/c10k"
    return "v1", ROOT + "/memory" + own_v1() + "/c10k"


def slabinfo():
    out = {}
    for line in open("/proc/slabinfo").read().splitlines()[2:]:
        f = line.split()
        out[f[0]] = (int(f[1]), int(f[3]))  # active objects, object size
    return out


def meminfo():
    return {m.group(1): int(m.group(2)) * 1024
            for m in re.finditer(r"^(\w+):\s+(\d+) kB", open("/proc/meminfo").read(), re.M)}


def rd(d, f):
    try:
        return open(os.path.join(d, f)).read()
    except OSError:
        return ""


def group(ver, d):
    st = dict(l.split() for l in rd(d, "memory.stat").splitlines() if len(l.split()) == 2)
    st = {k: int(v) for k, v in st.items()}
    pids = [int(p) for p in rd(d, "cgroup.procs").split()]
    pte = 0
    for p in pids:
        m = re.search(r"VmPTE:\s+(\d+) kB", rd("/proc/%d" % p, "status"))
        pte += int(m.group(1)) * 1024 if m else 0
    if ver == "v2":
        return dict(total=int(rd(d, "memory.current")), user=st["anon"] + st["file"],
                    kernel=st.get("kernel", 0), kstack=st["kernel_stack"], pte=st["pagetables"],
                    slab=st["slab_reclaimable"] + st["slab_unreclaimable"], sock=st["sock"])
    tcp = int(rd(d, "memory.kmem.tcp.usage_in_bytes") or 0)
    threads = len(rd(d, "tasks").split())
    kmem = int(rd(d, "memory.kmem.usage_in_bytes"))
    return dict(total=int(rd(d, "memory.usage_in_bytes")) + tcp, user=st["rss"] + st["cache"],
                kernel=kmem, kstack=threads * KSTACK, pte=pte, slab=kmem - threads * KSTACK - pte,
                sock=tcp, threads=threads)


def spawn(argv, procs, **kw):
    return subprocess.Popen(["sh", "-c", 'echo $$ > "$0"/cgroup.procs && exec "$@"'] + argv, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="epoll")
    ap.add_argument("-c", type=int, default=4000)
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    a = ap.parse_args()
    ver, par = parent_dir()
    srv_g, lg_g = par + "/study-srv-%d" % os.getpid(), par + "/study-lg-%d" % os.getpid()
    made, procs = [], []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        for d in (par, srv_g, lg_g):
            if not os.path.isdir(d):
                os.mkdir(d)
                made.append(d)
            if ver == "v1":
                open(d + "/memory.kmem.tcp.limit_in_bytes", "w").write("-1")
        srv = subprocess.Popen(["sh", "-c", 'echo $$ > "$0"/cgroup.procs && exec "$1" --port 0',
                                srv_g, "%s/models/%s/c10k-server-%s" % (a.build, a.model, a.model)],
                               stdout=subprocess.PIPE, text=True)
        procs.append(srv)
        port = re.search(r":(\d+) ", srv.stdout.readline()).group(1)
        time.sleep(0.5)
        s0, m0, g0, c0 = slabinfo(), meminfo(), group(ver, srv_g), group(ver, lg_g)
        lg = subprocess.Popen(["sh", "-c", 'echo $$ > "$0"/cgroup.procs && exec "$@"', lg_g,
                               a.build + "/loadgen/c10k-load", "--idle", "-c", str(a.c), "-d", "6s",
                               "-q", "http://127.0.0.1:%s/" % port])
        procs.append(lg)
        time.sleep(4)
        s1, m1, g1, c1 = slabinfo(), meminfo(), group(ver, srv_g), group(ver, lg_g)
        lg.wait()
        n = a.c
        print("model %s, %d idle connections, memory cgroup %s; bytes per connection" % (a.model, n, ver))
        rows = []
        for k in s1:
            o0 = s0.get(k, (0, s1[k][1]))[0]
            d = (s1[k][0] - o0) * s1[k][1] / n
            if abs(d) >= 8:
                rows.append((d, k, (s1[k][0] - o0) / n, s1[k][1]))
        slab_sum = 0
        print("%-22s %8s %8s %9s" % ("slab cache", "objsize", "obj/conn", "B/conn"))
        for d, k, o, sz in sorted(rows, reverse=True):
            slab_sum += d
            print("%-22s %8d %8.2f %9.0f" % (k, sz, o, d))
        print("%-22s %27.0f" % ("sum of those", slab_sum))
        for name, x0, x1 in (("server", g0, g1), ("client", c0, c1)):
            print(name, " ".join("%s %.0f" % (k, (x1[k] - x0[k]) / n) for k in x1))
        print("MemFree %.0f  MemAvailable %.0f  Slab %.0f  KernelStack %.0f  PageTables %.0f" % tuple(
            (m0[k] - m1[k]) / n if k.startswith("Mem") else (m1[k] - m0[k]) / n
            for k in ("MemFree", "MemAvailable", "Slab", "KernelStack", "PageTables")))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for d in reversed(made):
            for _ in range(100):
                try:
                    os.rmdir(d)
                    break
                except OSError:
                    time.sleep(0.02)


if __name__ == "__main__":
    main()
