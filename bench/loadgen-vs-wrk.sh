#!/usr/bin/env bash
# loadgen-vs-wrk: c10k-load against wrk, each pinned to CPU 1, against a
# server on CPU 0 (--server nginx, one worker, the default; epoll, the lab's
# c10k-server-epoll; or a PATH), alternating runs; prints every run's req/s, the CPU
# the tool used (user + system over its wall time, /usr/bin/time) and req/s
# per load core = req/s / (CPU seconds / wall second), then the medians and
# the ratios. With --strace, also system calls per request (strace -c -f).
#   bench/loadgen-vs-wrk.sh [--build DIR] [--runs N] [--duration D] [--conns "100 1000"] [--server nginx|epoll|PATH] [--nice N] [--strace]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

build=build runs=3 duration=5s conns="100 1000" do_strace=0 server=nginx
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --conns) conns=$2; shift ;;
    --server) server=$2; shift ;;
    --nice) export BENCH_NICE=$2; shift ;;
    --strace) do_strace=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
lg="$build/loadgen/c10k-load"
[ -x "$lg" ] || { echo "no $lg: build it first (meson compile -C $build c10k-load)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
tmp=$(mktemp -d /tmp/c10k-lgvswrk.XXXXXX)
trap 'server_stop; rm -rf "$tmp"' EXIT
server_start 0 "$server" "$build"

# Each run prints "req/s cores per_core": cores = CPU seconds (user + system
# of the whole process, /usr/bin/time) per wall second of the process,
# per_core = req/s / cores.
per_core() { # rps
  awk -v r="$1" '{c = ($2 + $3) / $1; printf "%s %.3f %.0f\n", r, c, r / c}' "$tmp/time"
}
run_lg() { # conns
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" nice -n "${BENCH_NICE:-0}" taskset -c 1 "$lg" -t 1 -c "$1" -d "$duration" -q \
    --json "$tmp/lg.json" "$SERVER_URL" >/dev/null
  per_core "$(jget "$tmp/lg.json" 'round(j["throughput_rps"], 1)')"
}
run_wrk() { # conns
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" nice -n "${BENCH_NICE:-0}" taskset -c 1 wrk -t 1 -c "$1" -d "$duration" \
    "$SERVER_URL" >"$tmp/wrk.txt"
  per_core "$(awk '/^Requests\/sec:/{print $2}' "$tmp/wrk.txt")"
}

# syscalls per request: strace -c -f over a short run of each tool.
strace_one() { # name conns
  local out="$tmp/strace.txt" reqs calls
  if [ "$1" = c10k-load ]; then
    strace -c -f -o "$out" taskset -c 1 "$lg" -t 1 -c "$2" -d 2s -q --json "$tmp/s.json" "$SERVER_URL" >/dev/null
    reqs=$(jget "$tmp/s.json" 'j["requests"]["completed"]')
  else
    strace -c -f -o "$out" taskset -c 1 wrk -t 1 -c "$2" -d 2s "$SERVER_URL" >"$tmp/wrk.txt"
    reqs=$(awk '/requests in/{print $1}' "$tmp/wrk.txt")
  fi
  calls=$(awk '$NF=="total"{print $4}' "$out")
  awk -v n="$1" -v c="$2" -v s="$calls" -v r="$reqs" \
    'BEGIN {printf "  %-9s -c %-5s %d syscalls / %d requests = %.2f per request\n", n, c, s, r, s/r}'
  grep -E ' (read|write|epoll_wait|epoll_pwait2|epoll_ctl|recvfrom|sendto|ioctl)$' "$out" |
    awk '{printf "      %-14s %s\n", $NF, $4}'
}

echo "server $server on CPU 0 at $SERVER_URL; load on CPU 1; nice ${BENCH_NICE:-0}; $runs runs of $duration each; $(uptime)"
for c in $conns; do
  lgv=() wrkv=() lgp=() wrkp=()
  for i in $(seq "$runs"); do
    read -r a ac ap < <(run_lg "$c"); lgv+=("$a"); lgp+=("$ap")
    read -r b bc bp < <(run_wrk "$c"); wrkv+=("$b"); wrkp+=("$bp")
    printf '  -c %-5s run %d: c10k-load %9.0f req/s on %.3f cores = %7s per core   wrk %9.0f req/s on %.3f cores = %7s per core\n' \
      "$c" "$i" "$a" "$ac" "$ap" "$b" "$bc" "$bp"
  done
  ml=$(median "${lgv[@]}") mw=$(median "${wrkv[@]}") mlp=$(median "${lgp[@]}") mwp=$(median "${wrkp[@]}")
  awk -v c="$c" -v l="$ml" -v w="$mw" -v lp="$mlp" -v wp="$mwp" \
    'BEGIN {printf "-c %-5s median req/s per load core: c10k-load %.0f, wrk %.0f, ratio %.3f (goal >= 1.5); median req/s: %.0f vs %.0f (%.3f)\n", c, lp, wp, lp/wp, l, w, l/w}'
done
echo "$(uptime)"
if [ "$do_strace" = 1 ]; then
  echo "syscalls per request (strace -c -f, 2 s runs; strace slows both tools alike):"
  for c in $conns; do
    strace_one c10k-load "$c"
    strace_one wrk "$c"
  done
fi
