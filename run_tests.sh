#!/usr/bin/env bash
# run_tests.sh: the c10k test suite from a fresh clone. Installs missing Debian
# packages (as root; otherwise says what to install), builds, runs meson test,
# and ends with the line "N passed, N failed, N skipped".
#   ./run_tests.sh                      the whole suite in build/
#   ./run_tests.sh --sanitize           the same under ASan+UBSan in build-asan/
#   ./run_tests.sh --fuzz               the protocol fuzzer for 60 s (clang, build-fuzz/)
#   ./run_tests.sh --suite protocol     one suite (meson test --suite)
set -uo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<USAGE
usage: ./run_tests.sh [--sanitize | --fuzz] [--build DIR] [--suite NAME]... [--list]
  --sanitize     build with -Db_sanitize=address,undefined into build-asan/
  --fuzz         build the libFuzzer targets with clang into build-fuzz/ and run
                 the fuzz suite (60 s of libFuzzer on the protocol parser)
  --build DIR    build folder (default: build, or build-asan with --sanitize)
  --suite NAME   run only this meson test suite (repeatable)
  --list         list the tests and exit
USAGE
}

build="" sanitize=0 fuzz=0 list=0 suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    --build) build="${2:?--build needs a folder}"; shift ;;
    --suite) suites+=(--suite "${2:?--suite needs a name}"); shift ;;
    --list) list=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_tests.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

scripts/deps.sh || exit 1
setup_args=()
if [ "$sanitize" = 1 ]; then
  build=${build:-build-asan}
  setup_args+=(-Db_sanitize=address,undefined -Db_lundef=false)
fi
if [ "$fuzz" = 1 ]; then
  build=${build:-build-fuzz}
  export CC=clang
  setup_args+=(-Dfuzz=true)
  [ ${#suites[@]} -gt 0 ] || suites=(--suite fuzz)
fi
build=${build:-build}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "${setup_args[@]}" >/dev/null || { echo "meson setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if ! meson compile -C "$build" >"$build/compile.log" 2>&1; then
  tail -n 40 "$build/compile.log"
  echo "build failed (full log: $build/compile.log)"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ "$list" = 1 ]; then
  meson test -C "$build" --list "${suites[@]}"
  exit 0
fi

# ASan's leak checker needs ptrace-free exit; halt on UBSan reports.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
meson test -C "$build" --print-errorlogs --num-processes 2 "${suites[@]}"
rc=$?

log="$build/meson-logs/testlog.json"
if [ ! -f "$log" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$(grep -c '"result": "OK"' "$log")
skipped=$(grep -c '"result": "SKIP"' "$log")
failed=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log")
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
