#!/usr/bin/env bash
# models-wrk: every server model against wrk -t1 (default: the available ones
# of `c10k models`, binaries from its --json), next to nginx (one worker) measured
# the same way in the same run. Server pinned to CPU 0, wrk to CPU 1, rounds
# alternate the models (A B C A B C) so drift favours none; prints each run's
# req/s, the medians and the ratio to nginx.
#   bench/models-wrk.sh [--build DIR] [--models "nginx epoll threads"] [--conns "100 1000"]
#                       [--runs N] [--duration D]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

build=build runs=2 duration=5s conns="100 1000" models=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --models) models=$2; shift ;;
    --conns) conns=$2; shift ;;
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "models-wrk: unknown option '$1'" >&2; sed -n '7,8p' "$0" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { echo "models-wrk: wrk is not installed" >&2; exit 2; }

c10k="$build/harness/c10k"
[ -x "$c10k" ] || { echo "models-wrk: no $c10k: build first" >&2; exit 2; }
[ -n "$models" ] ||
  models=$("$c10k" models | awk 'NR > 1 && $2 == "available" && $1 != "c10k-load" { print $1 }')
models_json=$("$c10k" models --json)
bin_of() { # model -> its binary or launcher (the model table's, via c10k models --json)
  python3 -c 'import json, sys
print(next((m["path"] for m in json.loads(sys.argv[1]) if m["name"] == sys.argv[2]), "-"))' \
    "$models_json" "$1"
}
for m in $models; do
  [ -x "$(bin_of "$m")" ] || { echo "models-wrk: no $(bin_of "$m"): build first" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/c10k-models-wrk.XXXXXX)
trap 'epoll_stop; rm -rf "$tmp"' EXIT

run_one() { # model conns -> prints req/s (0 when wrk saw socket errors: shown apart)
  epoll_start 0 "$(bin_of "$1")"
  taskset -c 1 wrk -t 1 -c "$2" -d "$duration" "$SRV_URL" >"$tmp/wrk.txt" 2>&1 || true
  epoll_stop
  local rps err
  rps=$(awk '/^Requests\/sec:/{print $2}' "$tmp/wrk.txt")
  err=$(awk '/Socket errors|Non-2xx/{print}' "$tmp/wrk.txt" | tr '\n' ' ')
  echo "${rps:-0}${err:+ ($err)}"
}

declare -A res
for c in $conns; do
  for r in $(seq "$runs"); do
    for m in $models; do
      out=$(run_one "$m" "$c")
      printf '%-11s -c%-5s run %d: %s req/s\n' "$m" "$c" "$r" "$out"
      res[$m,$c]+="${out%% *} "
    done
  done
done

echo
printf '%-11s' model
for c in $conns; do printf ' %14s %8s' "-c$c req/s" "x nginx"; done
echo
for m in $models; do
  printf '%-11s' "$m"
  for c in $conns; do
    # shellcheck disable=SC2086
    med=$(median ${res[$m,$c]})
    ref=""
    [[ " $models " == *" nginx "* ]] && ref=$(median ${res[nginx,$c]})
    ratio=$([ -n "$ref" ] && awk -v a="$med" -v b="$ref" 'BEGIN{printf "%.2f", (b > 0) ? a / b : 0}' || echo "-")
    printf ' %14.0f %8s' "$med" "$ratio"
  done
  echo
done
echo "(medians of $runs runs, wrk -t1 -d$duration, server on CPU 0, wrk on CPU 1)"
