# tests/lib/lib.sh: the shell helpers of the harness tests (tests/harness/lib.sh,
# tests/hostile/test-faults.sh). Source it: a temp folder $TMP removed on exit,
# a mark that every process started from here on inherits, fail, jcheck,
# leftovers, and fake_server to make a stand-in model (tests/lib/fake-server.py).
set -u
TEST_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d /tmp/c10k-test.XXXXXX)"
# every process started from here on (c10k, its servers and their children,
# c10k-load) inherits this mark, real server binaries included
export C10K_TEST_TAG="$TMP"

fail() { echo "FAIL: ${CASE:+$CASE: }$*" >&2; exit 1; }

# Processes carrying the mark in their environment or $TMP in their command
# line: none may outlive the harness. Kills them (so a failing test leaves
# nothing) and says whether there were any. One grep reads every process's
# environment (a loop of pipelines took 30 s with 1,000 processes).
leftovers() {
  local left=0 f p seen=" $$ "
  for f in $(grep -l -z -x -- "C10K_TEST_TAG=$TMP" /proc/[0-9]*/environ 2>/dev/null
             grep -l -z -F -- "$TMP/" /proc/[0-9]*/cmdline 2>/dev/null); do
    p=${f#/proc/}
    p=${p%%/*}
    # seen once, or gone (the grep's own subshell), or a zombie: not a leftover
    [[ $seen == *" $p "* ]] && continue
    seen+="$p "
    [ -d "/proc/$p" ] || continue
    grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && continue
    echo "left behind: $p $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)" >&2
    kill -9 "$p" 2>/dev/null
    left=1
  done
  return $left
}
cleanup() { leftovers >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT

# jcheck FILE EXPR: EXPR, Python over d = the JSON in FILE, holds (fails if unreadable)
jcheck() {
  python3 - "$1" "$2" <<'PY' || fail "check failed on $1: $2"
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print(json.dumps(d, indent=1)[:3000], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

# fake_server NAME MODE: $TMP/NAME, a server binary running fake-server.py MODE
fake_server() {
  printf '#!/bin/sh\nexec python3 %s/fake-server.py %s "$@"\n' "$TEST_LIB" "$2" > "$TMP/$1"
  chmod +x "$TMP/$1"
}
