#!/usr/bin/env bash
# run_all.sh: the main job. Checks/installs the Debian packages (scripts/deps.sh),
# builds (meson, build/), sweeps every available server model over 100..10,000
# connections in three scenarios (idle, max, delay), draws the charts (c10k plot) and writes the report
# (c10k report): DIR/report.html and DIR/report.md. Between the sweep and the
# charts it runs the asyncio guides' N-waits experiment (c10k waits: DIR/waits.json).
#   ./run_all.sh            the default run (under 15 minutes on 2 cores, docs/report.md)
#   ./run_all.sh --quick    a short version (under 2 minutes)
#   ./run_all.sh --resume results/<run>   finishes an interrupted run, then plots and reports
set -uo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<USAGE
usage: ./run_all.sh [--quick] [--models LIST] [--connections LIST] [--duration D]
                    [--warmup D] [--idle-duration D] [--timeout D] [--trials K] [--max-trials K]
                    [--rate R] [--out DIR] [--resume DIR] [--waits LIST] [--wait D]
                    [--build DIR] [--help]
  --quick             connections 100,1000, 1 trial of 500ms after 200ms, waits
                      5,10,20 of 500ms (under 2 minutes on 2 cores)
  --models LIST       comma-separated models (default: every available model,
                      from 'c10k models')
  --connections LIST  connection counts (default: 100,1000,5000,10000)
  --duration D        measured time per trial (default: 1s; quick: 500ms)
  --warmup D          warm-up per trial (default: 300ms; quick: 200ms)
  --idle-duration D   measured time of an idle trial, no warm-up: its figure
                      is the memory of the connections held (default: 500ms)
  --timeout D         c10k-load's per-request timeout; its ramp gives up after
                      2 x D (default: 5s; healthy points answer within 2.5 s)
  --trials K          trials per point (default: 2)
  --max-trials K      a point whose throughput varies by more than 5% over its
                      trials gets more, up to K (default: trials + 1; quick: 1)
  --rate R            the open-loop rate of the delay scenario, requests/s
                      (default: 2000; scenario delay=/?delay_us=10000@R)
  --waits LIST        the N of the asyncio guides' experiment (c10k waits: N requests
                      answered after --wait each, by every client; default:
                      5,10,20,50,100, the guide's; 0 = skip it)
  --wait D            how long each of those requests waits (default: 1s, the
                      guide's; the sequential client at N=100 takes 100 x D)
  --out DIR           results folder, must not exist (default: results/<UTC time>)
  --resume DIR        finish the interrupted run in DIR (its own configuration),
                      then plot and report
  --build DIR         meson build folder (default: build)
  --help              this help
Scenarios: idle (every connection answered once, then held silent: memory per
connection, the report's headline), max=/ (closed loop, maximum throughput) and
delay=/?delay_us=10000@R (open loop at R requests/s, each request waits 10 ms
like a backend call).
An interrupted run (Ctrl-C) keeps its finished points: resume it with --resume DIR.
USAGE
}

die_usage() { echo "run_all.sh: $1" >&2; usage >&2; exit 2; }

quick=0 models="" conns="" duration="" warmup="" trials="" rate=2000 out="" resume=""
max_trials="" idle_duration="500ms" timeout="5s"
waits="" wait=""
build=build
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --quick) quick=1 ;;
    --models) models="${2:?}"; shift ;;
    --connections) conns="${2:?}"; shift ;;
    --duration) duration="${2:?}"; shift ;;
    --warmup) warmup="${2:?}"; shift ;;
    --idle-duration) idle_duration="${2:?}"; shift ;;
    --timeout) timeout="${2:?}"; shift ;;
    --trials) trials="${2:?}"; shift ;;
    --max-trials) max_trials="${2:?}"; shift ;;
    --rate) rate="${2:?}"; shift ;;
    --out) out="${2:?}"; shift ;;
    --waits) waits="${2:?}"; shift ;;
    --wait) wait="${2:?}"; shift ;;
    --resume) resume="${2:?}"; shift ;;
    --build) build="${2:?}"; shift ;;
    *) die_usage "unknown option '$1'" ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  : "${conns:=100,1000}" "${trials:=1}" "${duration:=500ms}" "${warmup:=200ms}"
  : "${waits:=5,10,20}" "${wait:=500ms}"
else
  : "${conns:=100,1000,5000,10000}" "${trials:=2}" "${duration:=1s}" "${warmup:=300ms}"
  : "${waits:=5,10,20,50,100}" "${wait:=1s}"
fi
[[ "$waits" =~ ^[0-9,]+$ ]] || die_usage "--waits: a comma-separated list of N, got '$waits'"
[[ "$trials" =~ ^[1-9][0-9]*$ ]] || die_usage "--trials: a positive count, got '$trials'"
if [ -z "$max_trials" ]; then
  if [ "$quick" = 1 ]; then max_trials=$trials; else max_trials=$((trials + 1)); fi
fi
[[ "$max_trials" =~ ^[1-9][0-9]*$ ]] || die_usage "--max-trials: a positive count, got '$max_trials'"
[[ "$rate" =~ ^[1-9][0-9]*$ ]] || die_usage "--rate: requests/s as a positive number, got '$rate'"
[[ "$conns" =~ ^[0-9kK,]+$ ]] || die_usage "--connections: a comma-separated list, got '$conns'"
if [ -n "$resume" ] && [ ! -f "$resume/manifest.json" ]; then
  die_usage "--resume: no manifest.json in '$resume'"
fi
if [ -z "$resume" ] && [ -n "$out" ] && [ -e "$out" ]; then
  die_usage "--out '$out' exists: use --resume '$out' to finish it, or another folder"
fi

# seconds of a duration given as 2s / 300ms / 2
secs() {
  case "$1" in
    *ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;;
    *s) echo "${1%s}" ;;
    *m) awk -v v="${1%m}" 'BEGIN { print v * 60 }' ;;
    *) echo "$1" ;;
  esac
}

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
t0=$(date +%s)

step "dependencies (scripts/deps.sh)"
if ! scripts/deps.sh; then
  echo "run_all.sh: missing Debian packages (see above); install them and run again" >&2
  exit 1
fi

step "build ($build)"
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized || { echo "run_all.sh: meson setup failed" >&2; exit 1; }
fi
meson compile -C "$build" || { echo "run_all.sh: build failed" >&2; exit 1; }
c10k="$build/harness/c10k"

step "models"
"$c10k" models || { echo "run_all.sh: c10k models failed" >&2; exit 1; }

if [ -n "$resume" ]; then
  out="$resume"
  step "resuming $out"
  "$c10k" sweep --resume "$out"
  sweep_rc=$?
else
  if [ -z "$models" ]; then
    models=$("$c10k" models | awk 'NR > 1 && $2 == "available" && $1 != "c10k-load" { print $1 }' | paste -sd, -)
  fi
  [ -n "$models" ] || { echo "run_all.sh: no model is available (see c10k models)" >&2; exit 1; }
  : "${out:=results/$(date -u +%Y%m%dT%H%M%SZ)}"
  nm=$(echo "$models" | tr ',' '\n' | grep -c .)
  nc=$(echo "$conns" | tr ',' '\n' | grep -c .)
  step "sweep: $nm models x $nc connection counts x 3 scenarios x $trials trial(s) (its ETA below)"
  echo "models: $models"
  echo "results: $out (if interrupted: ./run_all.sh --resume $out)"
  mkdir -p "$out"
  if [ "$waits" != 0 ]; then
    # the guide's sequential clients only wait (one request at a time, no CPU
    # to speak of): they run beside the sweep, the others after it (--merge);
    # in a folder of their own until then, so that a resumed run measures all
    mkdir -p "$out/waits-sequential"
    "$c10k" waits --n "$waits" --wait "$wait" --clients sequential --quiet \
      --out "$out/waits-sequential" >"$out/waits-sequential/log" 2>&1 &
    waits_pid=$!
  fi
  "$c10k" sweep --models "$models" --connections "$conns" \
    --scenario max=/ --scenario "delay=/?delay_us=10000@$rate" --scenario idle \
    --duration "$duration" --warmup "$warmup" --idle-duration "$idle_duration" \
    --timeout "$timeout" --trials "$trials" --max-trials "$max_trials" \
    --out "$out"
  sweep_rc=$?
fi
# the sequential clients beside an interrupted or failed sweep (a background
# job ignores the terminal's SIGINT)
stop_waits() { [ -z "${waits_pid:-}" ] || kill -TERM "$waits_pid" 2>/dev/null; }
if [ "$sweep_rc" = 130 ]; then
  stop_waits
  echo "run_all.sh: interrupted; the finished points are kept. Resume with:" >&2
  echo "  ./run_all.sh --resume $out" >&2
  exit 130
fi
if [ ! -f "$out/manifest.json" ]; then
  echo "run_all.sh: the sweep wrote no results (exit $sweep_rc)" >&2
  stop_waits
  [ "$sweep_rc" = 0 ] && exit 1
  exit "$sweep_rc"
fi
[ "$sweep_rc" = 0 ] || echo "run_all.sh: c10k sweep exited $sweep_rc; plotting and reporting what was measured" >&2

rc=0
merge=()
if [ -n "${waits_pid:-}" ]; then
  if wait "$waits_pid" && cp "$out/waits-sequential/waits.json" "$out/waits.json"; then
    merge=(--merge --clients asyncio,threads,processes,c-threads,c-epoll)
  else
    echo "run_all.sh: the sequential clients beside the sweep failed ($out/waits-sequential/log): measuring them again" >&2
    rm -f "$out/waits.json"
  fi
fi
if [ "$waits" != 0 ] && { [ ${#merge[@]} -gt 0 ] || [ ! -f "$out/waits.json" ]; }; then
  step "the asyncio guides' N waits (c10k waits --n $waits --wait $wait ${merge[*]})"
  "$c10k" waits --n "$waits" --wait "$wait" "${merge[@]}" --out "$out" || {
    echo "run_all.sh: c10k waits failed: the report says so" >&2
    rc=1
  }
fi
step "charts (c10k plot)"
if ! "$c10k" plot "$out"; then
  echo "run_all.sh: c10k plot failed: the report is written without charts" >&2
  rc=1
fi
step "report (c10k report)"
"$c10k" report --quiet "$out" || { echo "run_all.sh: c10k report failed" >&2; exit 1; }
[ "$sweep_rc" = 0 ] || rc=1

t1=$(date +%s)
printf '\n== done in %d min %02d s\n' $(((t1 - t0) / 60)) $(((t1 - t0) % 60))
echo "report: $out/report.html"
echo "report: $out/report.md"
exit $rc
