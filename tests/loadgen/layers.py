#!/usr/bin/env python3
"""layers: c10k-load's files call each other one way (no circle such as
sched.c -> conn.c -> sched.c): the graph of which file calls a function
defined in which other file is acyclic. Try: python3 layers.py loadgen/"""
import os
import re
import sys

DEF = re.compile(r"^[a-z][\w \*]*?\b(lg_\w+)\(", re.M)
CALL = re.compile(r"\b(lg_\w+)\(")


def graph(src):
    files = sorted(f for f in os.listdir(src) if f.endswith(".c"))
    text = {f: open(os.path.join(src, f)).read() for f in files}
    owner = {name: f for f in files for name in DEF.findall(text[f])}
    return {f: {owner[n] for n in CALL.findall(text[f]) if n in owner and owner[n] != f} for f in files}


def cycle(g):
    state = {}

    def visit(f, path):
        state[f] = 1
        for d in sorted(g[f]):
            if state.get(d) == 1:
                return path + [f, d]
            if d not in state:
                c = visit(d, path + [f])
                if c:
                    return c
        state[f] = 2
        return None
    for f in sorted(g):
        if f not in state:
            c = visit(f, [])
            if c:
                return c
    return None


def main():
    g = graph(sys.argv[1])
    for f in sorted(g):
        print("%s -> %s" % (f, ", ".join(sorted(g[f])) or "-"))
    c = cycle(g)
    if c:
        print("FAIL: circle " + " -> ".join(c))
        sys.exit(1)
    if "sched.c" in g and g["sched.c"]:
        print("FAIL: sched.c calls %s" % sorted(g["sched.c"]))
        sys.exit(1)
    print("ok: no circle between c10k-load's files")


main()
