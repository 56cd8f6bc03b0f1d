#!/usr/bin/env bash
# loadgen-vs-wrk: c10k-load against wrk, each pinned to CPU 1, against nginx
# (one worker) on CPU 0, alternating runs; prints every run's req/s, the
# medians and the ratio. With --strace, also syscalls per request (strace -c -f).
#   bench/loadgen-vs-wrk.sh [--build DIR] [--runs N] [--duration D] [--conns "100 1000"] [--strace]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

build=build runs=2 duration=5s conns="100 1000" do_strace=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --conns) conns=$2; shift ;;
    --strace) do_strace=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
lg="$build/loadgen/c10k-load"
[ -x "$lg" ] || { echo "no $lg: build it first (meson compile -C $build c10k-load)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
tmp=$(mktemp -d /tmp/c10k-lgvswrk.XXXXXX)
trap 'nginx_stop; rm -rf "$tmp"' EXIT
nginx_start 0

# Each run prints "req/s cpu_us_per_request" (CPU of the whole process, user +
# system, from /usr/bin/time, over the requests it completed).
run_lg() { # conns
  /usr/bin/time -f "%U %S" -o "$tmp/time" taskset -c 1 "$lg" -t 1 -c "$1" -d "$duration" -q \
    --json "$tmp/lg.json" "$NGINX_URL" >/dev/null
  local rps n
  rps=$(jget "$tmp/lg.json" 'round(j["throughput_rps"], 1)')
  n=$(jget "$tmp/lg.json" 'j["requests"]["completed"]')
  awk -v r="$rps" -v n="$n" '{printf "%s %.2f\n", r, ($1+$2)*1e6/n}' "$tmp/time"
}
run_wrk() { # conns
  /usr/bin/time -f "%U %S" -o "$tmp/time" taskset -c 1 wrk -t 1 -c "$1" -d "$duration" \
    "$NGINX_URL" >"$tmp/wrk.txt"
  local rps n
  rps=$(awk '/^Requests\/sec:/{print $2}' "$tmp/wrk.txt")
  n=$(awk '/requests in/{print $1}' "$tmp/wrk.txt")
  awk -v r="$rps" -v n="$n" '{printf "%s %.2f\n", r, ($1+$2)*1e6/n}' "$tmp/time"
}

# syscalls per request: strace -c -f over a short run of each tool.
strace_one() { # name conns
  local out="$tmp/strace.txt" reqs calls
  if [ "$1" = c10k-load ]; then
    strace -c -f -o "$out" taskset -c 1 "$lg" -t 1 -c "$2" -d 2s -q --json "$tmp/s.json" "$NGINX_URL" >/dev/null
    reqs=$(jget "$tmp/s.json" 'j["requests"]["completed"]')
  else
    strace -c -f -o "$out" taskset -c 1 wrk -t 1 -c "$2" -d 2s "$NGINX_URL" >"$tmp/wrk.txt"
    reqs=$(awk '/requests in/{print $1}' "$tmp/wrk.txt")
  fi
  calls=$(awk '$NF=="total"{print $4}' "$out")
  awk -v n="$1" -v c="$2" -v s="$calls" -v r="$reqs" \
    'BEGIN {printf "  %-9s -c %-5s %d syscalls / %d requests = %.2f per request\n", n, c, s, r, s/r}'
  grep -E ' (read|write|epoll_wait|epoll_pwait2|epoll_ctl|recvfrom|sendto|ioctl)$' "$out" |
    awk '{printf "      %-14s %s\n", $NF, $4}'
}

echo "nginx (1 worker) on CPU 0 at $NGINX_URL; load on CPU 1; $runs runs of $duration each"
for c in $conns; do
  lgv=() wrkv=() lgc=() wrkc=()
  for i in $(seq "$runs"); do
    read -r a ac < <(run_lg "$c"); lgv+=("$a"); lgc+=("$ac")
    read -r b bc < <(run_wrk "$c"); wrkv+=("$b"); wrkc+=("$bc")
    printf '  -c %-5s run %d: c10k-load %10s req/s (%s us CPU/req)   wrk %10s req/s (%s us CPU/req)\n' \
      "$c" "$i" "$a" "$ac" "$b" "$bc"
  done
  ml=$(median "${lgv[@]}") mw=$(median "${wrkv[@]}")
  mlc=$(median "${lgc[@]}") mwc=$(median "${wrkc[@]}")
  awk -v c="$c" -v l="$ml" -v w="$mw" -v lc="$mlc" -v wc="$mwc" \
    'BEGIN {printf "-c %-5s median: c10k-load %.0f req/s, wrk %.0f req/s, ratio %.3f; CPU/request: c10k-load %.2f us, wrk %.2f us\n", c, l, w, l/w, lc, wc}'
done
if [ "$do_strace" = 1 ]; then
  echo "syscalls per request (strace -c -f, 2 s runs; strace slows both tools alike):"
  for c in $conns; do
    strace_one c10k-load "$c"
    strace_one wrk "$c"
  done
fi
