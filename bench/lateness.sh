#!/usr/bin/env bash
# lateness: how late c10k-load's own open-loop sends leave vs their schedule
# (goal: p99 < 100 us at -R 50000 -c 10000), and its memory per connection
# (max RSS at -c 10000 minus at -c 100, both at -R 10000 for 2 s, over 9,900:
# medians of the runs). Server on CPU 0: --server epoll (default: the lab's
# c10k-server-epoll, one process), nginx (one worker), or a PATH to a
# c10k-server-<model>; c10k-load on CPU 1.
# Per run it also prints what decides the figure: whether the server kept up
# (req/s done, its CPU share of CPU 0) and how long the load thread waited on
# CPU 1's run queue behind other processes (/proc/PID/task/TID/schedstat).
#   bench/lateness.sh [--build DIR] [--runs N] [--rate R] [--conns C] [--duration D] [--server epoll|nginx|PATH] [--nice N]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

build=build runs=3 rate=50000 conns=10000 duration=10s server=epoll
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --rate) rate=$2; shift ;;
    --conns) conns=$2; shift ;;
    --duration) duration=$2; shift ;;
    --server) server=$2; shift ;;
    --nice) export BENCH_NICE=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
lg="$build/loadgen/c10k-load"
[ -x "$lg" ] || { echo "no $lg" >&2; exit 2; }
tmp=$(mktemp -d /tmp/c10k-lateness.XXXXXX)
trap 'server_stop; rm -rf "$tmp"' EXIT
server_start 0 "$server" "$build"
url=$SERVER_URL srv_pid=$SERVER_PID
echo "server $server on CPU 0 at $url; c10k-load -t 1 on CPU 1; nice ${BENCH_NICE:-0}; $(uptime)"

# one_run CONNS JSON: a run at -R $rate; prints "server_cpu_s rq_wait_ms load_cpu_ms wall_s"
one_run() {
  local c0 c1 t0 t1 pid
  taskset -cp 0 "$BASHPID" >/dev/null # this watcher stays off the load's CPU
  c0=$(tree_cpu_s "$srv_pid") t0=$(date +%s.%N)
  nice -n "${BENCH_NICE:-0}" taskset -c 1 "$lg" -t 1 -c "$1" -R "$rate" -d "$duration" -q --json "$2" "$url" &
  pid=$!
  watch_rq "$pid" "$tmp/rq"
  wait "$pid"
  c1=$(tree_cpu_s "$srv_pid") t1=$(date +%s.%N)
  sort -k2 -n "$tmp/rq" | tail -n 1 |
    awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" \
      '{printf "%.3f %.1f %.1f %.2f\n", c1 - c0, $3 / 1e6, $2 / 1e6, t1 - t0}'
}

late=() delay=() rss_big=() rss_small=()
for i in $(seq "$runs"); do
  read -r scpu rq lcpu wall < <(one_run "$conns" "$tmp/big.json") ||
    { echo "run $i failed (c10k-load exit status, or no sample of its threads)" >&2; exit 1; }
  j=$tmp/big.json
  late+=("$(jget "$j" 'j["lateness_us"]["p99"]')")
  delay+=("$(jget "$j" 'j["send_delay_us"]["p99"]')")
  printf '  run %d: -R %s -c %s: established %s, errors %s; lateness p50 %s us p99 %s us p999 %s us; send delay p99 %s us; corrected p99 %s us\n' \
    "$i" "$rate" "$conns" "$(jget "$j" 'j["connections"]["established"]')" \
    "$(jget "$j" 'sum(v for v in j["errors"].values() if isinstance(v, int)) + j["requests"]["timeouts"]')" \
    "$(jget "$j" 'j["lateness_us"]["p50"]')" "${late[-1]}" "$(jget "$j" 'j["lateness_us"]["p999"]')" \
    "${delay[-1]}" "$(jget "$j" 'j["latency_us"]["p99"]')"
  printf '         server did %s req/s using %.2f of CPU 0; load thread %s busy, waited %s ms on the run queue in %s s\n' \
    "$(jget "$j" 'round(j["throughput_rps"])')" "$(awk -v c="$scpu" -v w="$wall" 'BEGIN {print c / w}')" \
    "$(jget "$j" 'round(j["cpu"]["busiest_thread_fraction"], 3)')" "$rq" "$wall"
  # memory: a pair of short runs at one rate, so that the histograms (6 x
  # 147 KiB, touched page by page as values spread) weigh alike in both; 2 s
  # at 10,000 req/s has every one of 10,000 slots send (slot i first sends
  # at i/R), so that every slot's pages are touched
  for c in "$conns" 100; do
    taskset -c 1 "$lg" -t 1 -c "$c" -R 10000 -d 2s -q --json "$tmp/mem$c.json" "$url"
  done
  rss_big+=("$(jget "$tmp/mem$conns.json" 'j["memory"]["max_rss_bytes"]')")
  rss_small+=("$(jget "$tmp/mem100.json" 'j["memory"]["max_rss_bytes"]')")
done
ml=$(median "${late[@]}") mb=$(median "${rss_big[@]}") ms=$(median "${rss_small[@]}")
echo "median lateness p99 at -R $rate -c $conns: $ml us (goal < 100 us; runs: ${late[*]}); send delay p99 $(median "${delay[@]}") us"
awk -v b="$mb" -v s="$ms" -v c="$conns" 'BEGIN {printf "c10k-load max RSS: %.2f MiB at -c %d, %.2f MiB at -c 100: %.0f bytes per connection\n", b/1048576, c, s/1048576, (b-s)/(c-100)}'
echo "  (max RSS at -c $conns: ${rss_big[*]}; at -c 100: ${rss_small[*]})"
echo "$(uptime)"
