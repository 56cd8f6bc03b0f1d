# lib.sh: shared by the harness test scripts: a temp folder, fake models
# registered through C10K_MODELS_EXTRA, the fake load generator, and a check
# that no process a fake server created is left behind. Source it; $1 = c10k.
set -u
C10K="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d /tmp/c10k-hn-test.XXXXXX)"
export FAKE_PIDS="$TMP/pids"
: > "$FAKE_PIDS"
for mode in ok crash noready ignoreterm child; do
  printf '#!/bin/sh\nexec python3 %s/fake-server.py %s\n' "$HERE" "$mode" > "$TMP/fake-$mode"
  chmod +x "$TMP/fake-$mode"
done
export C10K_MODELS_EXTRA="fake-ok=$TMP/fake-ok,fake-ok2=$TMP/fake-ok,fake-crash=$TMP/fake-crash,fake-noready=$TMP/fake-noready,fake-ignoreterm=$TMP/fake-ignoreterm,fake-child=$TMP/fake-child"
export C10K_LOAD="$HERE/fake-load.py"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Kills what a fake server left (so a failing test leaves nothing) and says
# whether anything was left.
leftovers() {
  local left=0 p
  for p in $(cat "$FAKE_PIDS"); do
    if kill -0 "$p" 2>/dev/null && ! grep -q zombie "/proc/$p/status" 2>/dev/null \
       && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; then
      echo "left behind: pid $p ($(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null))" >&2
      kill -9 "$p" 2>/dev/null
      left=1
    fi
  done
  return $left
}

cleanup() { leftovers >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT

# jq-like check with python: jcheck FILE 'python expression over d'
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
