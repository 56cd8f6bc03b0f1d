#!/usr/bin/env bash
# ci-compare.sh: did this change make a server slower, its tail longer or its
# memory larger than BASE_REV? Builds BASE_REV in a git worktree beside this
# tree and this tree, runs both on this machine in alternating single-trial
# sweeps (A B B A A B ...), then `c10k compare --format md base new`. Also
# writes DIR/compare.json, the markdown table to $GITHUB_STEP_SUMMARY when set,
# and DIR/benchmark-{smaller,bigger}.json for github-action-benchmark.
#   scripts/ci-compare.sh origin/main
#   scripts/ci-compare.sh --rounds 8 HEAD~1 -- --models epoll,threads --connections 100,1000
set -euo pipefail

usage() {
  cat <<USAGE
usage: scripts/ci-compare.sh [options] BASE_REV [--] [c10k sweep options]
  --rounds N         trials per side, one single-trial sweep each, interleaved
                     ABBA so a drifting machine hits both sides alike (default: 6)
  --max-rounds M     while flagged trials leave compare with "too few trials",
                     run more rounds, up to M in all (default: rounds + rounds/2)
  --out DIR          results: DIR/base/<k>, DIR/new/<k>, DIR/compare.md
                     (default: results/ci-<UTC time>)
  --build DIR        build folder of this tree (default: build-ci)
  --format FMT       md | text | json for the final comparison (default: md)
  --compare ARG      pass ARG on to c10k compare (repeatable), e.g.
                     --compare --threshold --compare p99=20% --compare --assert --compare 'errors==0'
  --keep-worktree    do not remove the BASE_REV worktree at the end
  --report DIR       no build, no sweep: compare DIR/base with DIR/new again
                     (a folder this script wrote) and write the outputs below,
                     with the c10k of --build
  -h, --help         this help
outputs in DIR: compare.<format> (also printed), compare.json, compare.md,
  benchmark-smaller.json and benchmark-bigger.json (github-action-benchmark
  customSmallerIsBetter / customBiggerIsBetter: NEW's median of every compared
  metric; the direction from c10k compare --list-metrics); the markdown table
  is appended to \$GITHUB_STEP_SUMMARY when that is set (GitHub Actions).
sweep options (default: $DEFAULT_SWEEP)
  are given to every c10k sweep of both sides; --trials and --out are set here.
exit: that of c10k compare (0 no regression, 1 regression, 2 error); 2 when a
build or a sweep fails.
USAGE
}

DEFAULT_SWEEP="--models epoll --connections 100 --duration 3s --warmup 1s"
rounds=6 max_rounds="" out="" build=build-ci format=md keep=0 base_rev="" report=""
compare_args=() sweep_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a number}"; shift ;;
    --max-rounds) max_rounds="${2:?--max-rounds needs a number}"; shift ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    --build) build="${2:?--build needs a folder}"; shift ;;
    --format) format="${2:?--format needs md, text or json}"; shift ;;
    --compare) compare_args+=("${2:?--compare needs an argument}"); shift ;;
    --keep-worktree) keep=1 ;;
    --report) report="${2:?--report needs a folder}"; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; sweep_args+=("$@"); break ;;
    -*) if [ -n "$base_rev" ]; then sweep_args+=("$@"); break; fi
        echo "ci-compare.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) if [ -z "$base_rev" ]; then base_rev="$1"; else sweep_args+=("$1"); fi ;;
  esac
  shift
done
[ -n "$base_rev" ] || [ -n "$report" ] || { echo "ci-compare.sh: BASE_REV is missing" >&2; usage >&2; exit 2; }
[[ "$rounds" =~ ^[0-9]+$ ]] && [ "$rounds" -ge 1 ] && [ "$rounds" -le 100 ] ||
  { echo "ci-compare.sh: --rounds must be 1..100" >&2; exit 2; }
max_rounds=${max_rounds:-$((rounds + rounds / 2))}
[[ "$max_rounds" =~ ^[0-9]+$ ]] && [ "$max_rounds" -ge "$rounds" ] && [ "$max_rounds" -le 200 ] ||
  { echo "ci-compare.sh: --max-rounds must be rounds..200" >&2; exit 2; }
case "$format" in md|text|json) ;; *) echo "ci-compare.sh: bad --format '$format'" >&2; exit 2 ;; esac
[ ${#sweep_args[@]} -gt 0 ] || read -r -a sweep_args <<<"$DEFAULT_SWEEP"

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
say() { echo "ci-compare.sh: $*" >&2; }

# The outputs of a finished comparison: compare.FORMAT (printed), compare.json,
# compare.md, the step summary and the github-action-benchmark files.
publish() { # C10K
  local rc=0 c10k=$1
  "$c10k" compare --format "$format" "${compare_args[@]}" "$out/base" "$out/new" \
    >"$out/compare.$format" || rc=$?
  [ "$format" = json ] || "$c10k" compare --format json "${compare_args[@]}" "$out/base" \
    "$out/new" >"$out/compare.json" 2>/dev/null || true
  [ "$format" = md ] || "$c10k" compare --format md "${compare_args[@]}" "$out/base" \
    "$out/new" >"$out/compare.md" 2>/dev/null || true
  cat "$out/compare.$format"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { printf '## c10k: performance against the base\n\n'; cat "$out/compare.md"; echo; } \
      >>"$GITHUB_STEP_SUMMARY" && say "markdown table appended to \$GITHUB_STEP_SUMMARY"
  fi
  if "$c10k" compare --list-metrics >"$out/metrics.txt" 2>/dev/null && [ -s "$out/compare.json" ]; then
    python3 "$root/scripts/ci-benchmark.py" "$out/compare.json" "$out/metrics.txt" "$out" ||
      say "could not write the github-action-benchmark files"
  else
    say "no metric table or no compare.json: no github-action-benchmark files"
  fi
  say "comparison in $out/compare.$format (exit $rc)"
  return "$rc"
}

if [ -n "$report" ]; then
  [ -d "$report/base" ] && [ -d "$report/new" ] ||
    { say "--report: '$report' has no base/ and new/ folders"; exit 2; }
  out=$(cd "$report" && pwd)
  [ -x "$build/harness/c10k" ] || { say "no $build/harness/c10k: build first or give --build"; exit 2; }
  rc=0
  publish "$build/harness/c10k" || rc=$?
  exit "$rc"
fi
base_sha=$(git rev-parse --verify --quiet "$base_rev^{commit}") ||
  { echo "ci-compare.sh: '$base_rev' is not a commit here" >&2; exit 2; }
out=${out:-results/ci-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out/base" "$out/new"
out=$(cd "$out" && pwd)
wt=$(mktemp -d "$(dirname "$root")/c10k-base-XXXXXX")

cleanup() {
  if [ "$keep" = 0 ]; then
    git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
    git -C "$root" worktree prune >/dev/null 2>&1 || true
  else
    echo "ci-compare.sh: BASE worktree kept at $wt" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_tree() { # TREE BUILD_DIR LOG
  if [ ! -f "$2/build.ninja" ]; then
    meson setup "$2" "$1" -Dtests=disabled >"$3" 2>&1 || { tail -n 20 "$3" >&2; return 1; }
  fi
  meson compile -C "$2" >>"$3" 2>&1 || { tail -n 20 "$3" >&2; return 1; }
  [ -x "$2/harness/c10k" ] || { say "$2/harness/c10k was not built"; return 1; }
}

sweep() { # SIDE TREE C10K ROUND
  local dir="$out/$1/$(printf %03d "$4")"
  say "round $4 (of $rounds, up to $max_rounds): $1"
  (cd "$2" && "$3" sweep "${sweep_args[@]}" --trials 1 --out "$dir") >"$dir.log" 2>&1 || true
  [ -f "$dir/manifest.json" ] || { say "the $1 sweep wrote no results (see $dir.log)"; tail -n 5 "$dir.log" >&2; return 1; }
}

say "BASE $base_rev ($base_sha) in $wt; NEW $(git rev-parse --short HEAD) (+ uncommitted changes) in $root"
git worktree add --detach "$wt" "$base_sha" >/dev/null 2>&1 || { say "git worktree add failed"; exit 2; }
build_tree "$wt" "$wt/build-ci" "$out/build-base.log" || { say "BASE build failed"; exit 2; }
build_tree "$root" "$build" "$out/build-new.log" || { say "NEW build failed"; exit 2; }
base_c10k="$wt/build-ci/harness/c10k" new_c10k="$(cd "$build" && pwd)/harness/c10k"

round() { # K: one sweep per side, ABBA order
  local order=base\ new side
  (($1 % 2)) || order=new\ base
  for side in $order; do
    if [ "$side" = base ]; then sweep base "$wt" "$base_c10k" "$1" || return 1
    else sweep new "$root" "$new_c10k" "$1" || return 1; fi
  done
}

too_few() { # does compare still lack trials somewhere? (counts, not outcomes: no p-hacking)
  "$new_c10k" compare --format json "${compare_args[@]}" "$out/base" "$out/new" 2>/dev/null |
    grep -q '"verdict": "too_few"'
}

for ((k = 1; k <= rounds; k++)); do round "$k" || exit 2; done
while ((k <= max_rounds)) && too_few; do
  say "flagged trials left too few to decide: one more round"
  round "$k" || exit 2
  k=$((k + 1))
done

rc=0
publish "$new_c10k" || rc=$?
exit "$rc"
