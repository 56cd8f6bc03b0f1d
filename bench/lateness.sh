#!/usr/bin/env bash
# lateness: how late c10k-load's own open-loop sends leave vs their schedule
# (goal: p99 < 100 us at -R 50000 -c 10000), and its memory per connection at
# 10k connections (max RSS at -c 10000 minus at -c 100, over 9,900). Server:
# nginx (one worker) on CPU 0, or --server PATH for a c10k-server-<model>;
# c10k-load on CPU 1. Runs each measurement --runs times, prints medians.
#   bench/lateness.sh [--build DIR] [--runs N] [--rate R] [--conns C] [--duration D] [--server PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

build=build runs=2 rate=50000 conns=10000 duration=10s server=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --rate) rate=$2; shift ;;
    --conns) conns=$2; shift ;;
    --duration) duration=$2; shift ;;
    --server) server=$2; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
lg="$build/loadgen/c10k-load"
[ -x "$lg" ] || { echo "no $lg" >&2; exit 2; }
tmp=$(mktemp -d /tmp/c10k-lateness.XXXXXX)
trap 'nginx_stop; epoll_stop; rm -rf "$tmp"' EXIT
if [ -n "$server" ]; then epoll_start 0 "$server"; url=$SRV_URL; else nginx_start 0; url=$NGINX_URL; fi

late=() delay=() rss_big=() rss_small=() busy=() errs=()
for i in $(seq "$runs"); do
  taskset -c 1 "$lg" -t 1 -c "$conns" -R "$rate" -d "$duration" -q --json "$tmp/big.json" "$url"
  late+=("$(jget "$tmp/big.json" 'j["lateness_us"]["p99"]')")
  delay+=("$(jget "$tmp/big.json" 'j["send_delay_us"]["p99"]')")
  rss_big+=("$(jget "$tmp/big.json" 'j["memory"]["max_rss_bytes"]')")
  busy+=("$(jget "$tmp/big.json" 'j["cpu"]["busiest_thread_fraction"]')")
  errs+=("$(jget "$tmp/big.json" 'sum(v for v in j["errors"].values() if isinstance(v, int)) + j["requests"]["timeouts"]')")
  printf '  run %d: -R %s -c %s: established %s, lateness p50 %s us p99 %s us p999 %s us, send delay p99 %s us, corrected p99 %s us, rps %s, busiest thread %s, errors %s\n' \
    "$i" "$rate" "$conns" "$(jget "$tmp/big.json" 'j["connections"]["established"]')" \
    "$(jget "$tmp/big.json" 'j["lateness_us"]["p50"]')" "${late[-1]}" \
    "$(jget "$tmp/big.json" 'j["lateness_us"]["p999"]')" "${delay[-1]}" \
    "$(jget "$tmp/big.json" 'j["latency_us"]["p99"]')" \
    "$(jget "$tmp/big.json" 'round(j["throughput_rps"])')" "${busy[-1]}" "${errs[-1]}"
  taskset -c 1 "$lg" -t 1 -c 100 -R 1000 -d 2s -q --json "$tmp/small.json" "$url"
  rss_small+=("$(jget "$tmp/small.json" 'j["memory"]["max_rss_bytes"]')")
done
ml=$(median "${late[@]}") mb=$(median "${rss_big[@]}") ms=$(median "${rss_small[@]}")
echo "median lateness p99 at -R $rate -c $conns: $ml us (goal < 100 us); send delay p99 $(median "${delay[@]}") us"
awk -v b="$mb" -v s="$ms" -v c="$conns" 'BEGIN {printf "c10k-load max RSS: %.1f MiB at -c %d, %.1f MiB at -c 100: %.0f bytes per connection\n", b/1048576, c, s/1048576, (b-s)/(c-100)}'
