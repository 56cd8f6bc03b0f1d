#!/usr/bin/env bash
# test-env-models: `c10k env --json` holds every field the manifest relies on,
# and `c10k models` tells available models from unavailable ones with a reason
# (a fake model whose binary is missing).   try: tests/harness/test-env-models.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
"$C10K" env --json > "$TMP/env.json" || fail "env --json failed"
jcheck "$TMP/env.json" 'd["schema"] == "c10k-env/1" and all(k in d for k in ("git", "build", "libs", "kernel", "cpu", "sysctl", "ulimit", "cgroup", "loadavg", "time"))'
jcheck "$TMP/env.json" 'd["cpu"]["online"] >= 1 and d["ulimit"]["nofile_hard"] >= d["ulimit"]["nofile_soft"] > 0 and d["sysctl"]["pid_max"]'
jcheck "$TMP/env.json" 'all(k in d["sysctl"] for k in ("aslr", "thp", "somaxconn", "ip_local_port_range", "tcp_rmem", "tcp_wmem", "max_map_count", "threads_max"))'
"$C10K" env | grep -q '^kernel ' || fail "env text has no kernel line"
export C10K_MODELS_EXTRA="$C10K_MODELS_EXTRA,fake-missing=$TMP/no-such-binary"
"$C10K" models --json > "$TMP/models.json" || fail "models --json failed"
jcheck "$TMP/models.json" 'any(m["name"] == "fake-ok" and m["available"] for m in d)'
jcheck "$TMP/models.json" 'any(m["name"] == "fake-missing" and not m["available"] and "binary missing" in m["reason"] for m in d)'
# the models of the table carry their class and language; the extra ones have none
jcheck "$TMP/models.json" 'all(m["class"] in ("thread", "process", "event-loop") and m["language"] for m in d if not m["name"].startswith("fake-"))'
jcheck "$TMP/models.json" 'all(m["class"] is None and not m["reference"] for m in d if m["name"].startswith("fake-"))'
"$C10K" models | grep -q '^fake-missing .*unavailable.*binary missing' || fail "models text: no reason"
# a run of an unavailable model records it and exits 1 without running anything
rc=0; "$C10K" run --model fake-missing -c 5 --out "$TMP/miss" > /dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "run of an unavailable model exited $rc, want 1"
jcheck "$TMP/miss/manifest.json" 'd["points"][0]["status"] == "unavailable" and "binary missing" in d["points"][0]["reason"]'
echo ok
