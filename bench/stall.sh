#!/usr/bin/env bash
# stall: SIGSTOP the server for --stop D in the middle of an open-loop run and
# print corrected vs uncorrected p99 (coordinated omission made visible), plus
# connections established and errors. Server: --server PATH (a c10k-server-<model>).
#   bench/stall.sh --server build/models/epoll/c10k-server-epoll [-c 100] [-R 20000] [-d 10] [--stop 1]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

build=build server="" conns=100 rate=20000 dur=10 stop=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --server) server=$2; shift ;;
    -c) conns=$2; shift ;;
    -R) rate=$2; shift ;;
    -d) dur=$2; shift ;;
    --stop) stop=$2; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$server" ] || { echo "--server PATH is required" >&2; exit 2; }
lg="$build/loadgen/c10k-load"
tmp=$(mktemp -d /tmp/c10k-stall.XXXXXX)
trap 'kill -CONT "${SRV_PID:-0}" 2>/dev/null; epoll_stop; rm -rf "$tmp"' EXIT
epoll_start 0 "$server"
taskset -c 1 "$lg" -t 1 -c "$conns" -R "$rate" -d "${dur}s" -q --json "$tmp/o.json" "$SRV_URL" &
lgpid=$!
# the ramp takes a moment; stop the server in the middle of the window
sleep "$(awk -v d="$dur" 'BEGIN {print d/2}')"
kill -STOP "$SRV_PID"
sleep "$stop"
kill -CONT "$SRV_PID"
wait "$lgpid"
jget "$tmp/o.json" '"-c %d -R %d, server stopped %ss: established %d/%d, errors %d, corrected p99 %.1f ms, uncorrected p99 %.1f ms, lateness p99 %.1f ms, rps %.0f" % (j["config"]["connections"], j["config"]["rate_rps"], "'"$stop"'", j["connections"]["established"], j["connections"]["target"], sum(v for v in j["errors"].values() if isinstance(v, int)) + j["requests"]["timeouts"], j["latency_us"]["p99"]/1e3, j["latency_uncorrected_us"]["p99"]/1e3, j["lateness_us"]["p99"]/1e3, j["throughput_rps"])'
