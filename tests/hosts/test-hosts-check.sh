#!/usr/bin/env bash
# test-hosts-check: in a lab, `c10k hosts check` says what each host has;
# `c10k run` with a host that is unreachable, lacks the model's binary, or is
# not a host URL fails with one line naming it, before anything is measured
# (no results folder), leaving no ssh process behind.
#   try: tests/hosts/test-hosts-check.sh build/harness/c10k scripts/netns-lab.sh
C10K="$1"
. "$(dirname "$0")/lab.sh" "$2"
lab_up --load-hosts 2
net=${HOSTS[0]#ssh://root@}
net=${net%.*}

"$C10K" hosts check "${HOSTS[@]}" > "$TMP/check" || fail "hosts check exited $?: $(cat "$TMP/check")"
[ "$(grep -c '  ok  cpus=' "$TMP/check")" = 3 ] || fail "want 3 ok lines: $(cat "$TMP/check")"
"$C10K" hosts check --json "${HOSTS[0]}" > "$TMP/check.json" || fail "hosts check --json failed"
python3 - "$TMP/check.json" <<'PY' || fail "hosts check --json: $(cat "$TMP/check.json")"
import json, sys
f = json.load(open(sys.argv[1]))[0]
assert f["cpus"] >= 1 and f["cpus_online"] >= f["cpus"] and f["kernel"] and f["cgroup"]
assert f["binaries"]["c10k-load"].startswith("c10k-load ") and f["binaries"]["epoll"]
PY
"$C10K" hosts check "ssh://root@$net.2:2" > "$TMP/check" && fail "a closed port passed the check"
grep -q "^ssh://root@$net.2:2  unreachable  .*refused" "$TMP/check" || fail "unclear: $(cat "$TMP/check")"

# run: each failure is one line naming the host, exit 1, nothing measured
expect_fail() { # expect_fail WANT_RC PATTERN run-args...
  local want=$1 pat=$2 rc
  shift 2
  "$C10K" run --model "${MODEL:-epoll}" -c 10 --duration 1s --out "$TMP/out" "$@" \
    > /dev/null 2> "$TMP/err"
  rc=$?
  [ "$rc" = "$want" ] || fail "run $* exited $rc, want $want: $(cat "$TMP/err")"
  grep -q "$pat" "$TMP/err" || fail "run $*: no line '$pat' in: $(cat "$TMP/err")"
  [ -e "$TMP/out" ] && fail "run $* created its results folder"
  return 0
}
expect_fail 1 "host ssh://root@$net.2:2 is unreachable: .*refused" \
  --server-host "ssh://root@$net.2:2" --load-hosts "${HOSTS[1]}"
expect_fail 1 "host ssh://root@$net.250 is unreachable" \
  --server-host "${HOSTS[0]}" --load-hosts "${HOSTS[1]},ssh://root@$net.250"
MODEL=nobin C10K_MODELS_EXTRA="nobin=$TMP/no-such-server" \
  expect_fail 1 "host ${HOSTS[0]} lacks nobin: not there" --server-host "${HOSTS[0]}"
expect_fail 2 "bad value for --load-hosts" --load-hosts "ssh://-oProxyCommand=x"
expect_fail 2 "bad value for --server-host" --server-host "http://$net.2"
# no ControlMaster left running, no socket folder left
pgrep -f "ControlPath=/tmp/c10k-ssh" >/dev/null && fail "an ssh ControlMaster is left"
echo ok
