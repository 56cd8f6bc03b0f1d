#!/usr/bin/env bash
# test-multihost6: in a lab, a trial whose server host and load hosts are
# addressed by their IPv6 (ULA) addresses (ssh://root@[fd00:...]), the server
# host's descriptor limit lowered so that an event-loop model needs two
# processes: the server runs with --processes 2 there, every connection is
# served over IPv6, the merge is exact (hdr_check.py).
#   try: tests/hosts/test-multihost6.sh build/harness/c10k scripts/netns-lab.sh
C10K="$1"
. "$(dirname "$0")/lab.sh" "$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
"$C10K" models | grep -q '^epoll  *available' || { echo "epoll not built: skip"; exit 77; }
lab_up --load-hosts 2
mapfile -t H6 < <("$LAB_SH" hosts --ipv6 --name "$LAB_NAME")
[ "${#H6[@]}" = 3 ] || fail "hosts --ipv6: ${H6[*]}"
[[ ${H6[0]} == "ssh://root@[fd"*"]" ]] || fail "not a ULA IPv6 URL: ${H6[0]}"

# the server host's sessions may hold 1,500 descriptors (its sshd's hard
# limit, which every session inherits): 2,000 connections need two processes
prlimit --pid "$(cat "$C10K_LAB_ROOT/$LAB_NAME/sshd-srv.pid")" --nofile=1500:1500 \
  || fail "prlimit on the server host's sshd"
a6=${H6[0]#ssh://root@[}
lim=$(ssh -F "$C10K_SSH_CONFIG" "${a6%]}" 'ulimit -Hn') || true
[ "$lim" = 1500 ] || fail "the server host's limit is '$lim', want 1500"

OUT="$TMP/run6"
"$C10K" run --model epoll -c 2000 --duration 1s --warmup 200ms --trials 1 --out "$OUT" \
  --server-host "${H6[0]}" --load-hosts "${H6[1]},${H6[2]}" > "$TMP/out" 2> "$TMP/err" \
  || fail "run exited $?: $(cat "$TMP/err")"
P="$OUT/points/epoll-c2000-r0-max.json"
python3 - "$P" <<'PY' || fail "point: $(head -c 3000 "$P")"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["trials"][0]
assert d["status"] in ("ok", "flagged"), (d["status"], d.get("reason"))
assert t["load"]["url"].startswith("http://[fd00:"), t["load"]["url"]  # served over IPv6
assert t["metrics"]["connections_established"] == 2000, t["metrics"]["connections_established"]
assert t["server"]["processes"] == 2, t["server"]["processes"]
assert t["metrics"]["server_processes"] == 2
assert t["server"]["stats"]["accepted"] >= 2000, t["server"]["stats"]
PY
python3 "$HERE/hdr_check.py" "$P" || fail "merged results differ from the hosts' own"
echo ok
