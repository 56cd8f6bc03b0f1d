#!/usr/bin/env bash
# test-bad-flags: every verb refuses a bad flag or value with exit 2 and a
# usage on stderr.   try: tests/harness/test-bad-flags.sh build/harness/c10k
. "$(dirname "$0")/lib.sh"
expect2() {
  local rc=0
  "$C10K" "$@" > "$TMP/out" 2> "$TMP/err" || rc=$?
  [ "$rc" = 2 ] || fail "c10k $* exited $rc, not 2"
  grep -q usage "$TMP/err" || fail "c10k $*: no usage on stderr"
}
expect2 nosuchverb
expect2 models --bogus
expect2 env --bogus
expect2 run --bogus
expect2 run --model epoll
expect2 run --connections 10
expect2 run --model nosuchmodel -c 10
expect2 run --model fake-ok -c 0
expect2 run --model fake-ok -c 10 --duration 5parsecs
expect2 run --model fake-ok -c 10 --server-cpus x
expect2 run --model fake-ok -c 10 --path noslash
expect2 sweep --connections 10,abc
expect2 sweep --rates -5
expect2 sweep --scenario nopath
expect2 sweep --trials 0
expect2 sweep --models fake-ok extra-arg
mkdir -p "$TMP/used" && echo '{}' > "$TMP/used/manifest.json"
rc=0; "$C10K" sweep --models fake-ok --out "$TMP/used" > /dev/null 2> "$TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "already holds a run" "$TMP/err" || fail "sweep into a used folder: exit $rc"
"$C10K" sweep --help | grep -q -- --resume || fail "sweep --help misses --resume"
"$C10K" run --help | grep -q "default 1)" || fail "run --help shows no defaults"
echo ok
