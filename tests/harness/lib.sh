# lib.sh: what the harness test scripts share: the helpers of tests/lib/lib.sh
# ($TMP, fail, jcheck, leftovers), fake models registered through
# C10K_MODELS_EXTRA and the fake load generator. Source it; $1 = c10k.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lib.sh"
C10K="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FAKE_PIDS="$TMP/pids"
: > "$FAKE_PIDS"
for mode in ok crash noready ignoreterm child pool; do
  fake_server "fake-$mode" "$mode"
done
export C10K_MODELS_EXTRA="fake-ok=$TMP/fake-ok,fake-ok2=$TMP/fake-ok,fake-crash=$TMP/fake-crash,fake-noready=$TMP/fake-noready,fake-ignoreterm=$TMP/fake-ignoreterm,fake-child=$TMP/fake-child,fake-pool=$TMP/fake-pool"
export C10K_LOAD="$HERE/fake-load.py"
