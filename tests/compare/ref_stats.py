#!/usr/bin/env python3
"""ref_stats.py: independent reference values for tests/compare/test_stats_*.c.

Run at dev time (python3 tests/compare/ref_stats.py); the numbers it prints are
committed in the C tests. It shares no code with lib/stats: the Mann-Whitney
p-values come from brute-force enumeration of every assignment of the pooled
values to the two groups (itertools.combinations, Fractions: exact), the
binomial CI ranks from exact binomial sums, Holm from its textbook definition.
"""
from fractions import Fraction
from itertools import combinations
from math import comb, erfc, sqrt


def midranks(pooled):
    order = sorted(range(len(pooled)), key=lambda i: pooled[i])
    ranks = [0] * len(pooled)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and pooled[order[j + 1]] == pooled[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = Fraction(i + 1 + j + 1, 2)
        i = j + 1
    return ranks


def mwu_exact(a, b):
    pooled = list(a) + list(b)
    r = midranks(pooled)
    n, na = len(pooled), len(a)
    mean = Fraction(na * (n + 1), 2)
    obs = sum(r[:na])
    hit = total = 0
    for c in combinations(range(n), na):
        s = sum(r[i] for i in c)
        total += 1
        if abs(s - mean) >= abs(obs - mean):
            hit += 1
    return Fraction(hit, total)


def mwu_normal(a, b):
    pooled = list(a) + list(b)
    r = midranks(pooled)
    na, nb, n = len(a), len(b), len(pooled)
    u = float(sum(r[:na])) - na * (na + 1) / 2
    counts = {}
    for v in pooled:
        counts[v] = counts.get(v, 0) + 1
    ties = sum(t ** 3 - t for t in counts.values())
    var = na * nb / 12 * ((n + 1) - ties / (n * (n - 1)))
    z = max(0.0, (abs(u - na * nb / 2) - 0.5) / sqrt(var))
    return erfc(z / sqrt(2))


def ci_rank(n, conf):
    tail = Fraction(1) - Fraction(conf).limit_denominator(1000)
    tail /= 2
    k = 0
    while k + 1 <= n // 2 and Fraction(sum(comb(n, i) for i in range(k + 1)), 2 ** n) <= tail:
        k += 1
    return k


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    run = 0.0
    for j, i in enumerate(order):
        run = max(run, min(1.0, (m - j) * p[i]))
        out[i] = run
    return out


CASES = {
    "separated_4v4": ([1, 2, 3, 4], [5, 6, 7, 8]),
    "interleaved_5v5": ([1.1, 2.5, 3.3, 4.8, 6.0], [2.0, 3.0, 5.5, 7.1, 8.2]),
    "ties_4v5": ([10, 10, 12, 15], [10, 12, 12, 16, 18]),
    "shift_6v7": ([100, 104, 98, 101, 99, 103], [120, 118, 124, 101, 119, 122, 121]),
    "all_equal_3v3": ([5, 5, 5], [5, 5, 5]),
    "one_each": ([1], [2]),
    "ties_8v9": ([3, 5, 5, 7, 7, 7, 9, 12], [5, 7, 9, 9, 11, 12, 12, 14, 15]),
}

if __name__ == "__main__":
    for name, (a, b) in CASES.items():
        print(f"mwu exact {name}: {float(mwu_exact(a, b)):.12g}  ({mwu_exact(a, b)})")
    big_a = [i * 1.0 for i in range(40)]
    big_b = [i * 1.0 + 7.5 for i in range(40)]
    print(f"mwu normal big_40v40 shift 7.5: {mwu_normal(big_a, big_b):.12g}")
    tied_a = [i // 3 for i in range(50)]
    tied_b = [i // 3 + 2 for i in range(45)]
    print(f"mwu normal tied_50v45: {mwu_normal(tied_a, tied_b):.12g}")
    for n in (5, 6, 10, 20, 100):
        print(f"ci rank n={n} conf=0.95: {ci_rank(n, 0.95)}  conf=0.99: {ci_rank(n, 0.99)}")
    for na, nb in ((2, 2), (3, 3), (4, 4), (3, 5), (7, 7)):
        print(f"min p {na}v{nb}: {2 / comb(na + nb, na):.12g}")
    print("holm", holm([0.01, 0.04, 0.03, 0.005, 0.5]))
