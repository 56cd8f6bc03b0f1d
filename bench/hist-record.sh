#!/usr/bin/env bash
# hist-record: instructions per hist_record under callgrind (the xorshift that
# makes the values is included: about 9 instructions). Builds with gcc -O2.
#   bench/hist-record.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/c10k-hist.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
gcc -std=gnu11 -O2 -D_GNU_SOURCE -Ilib/hist bench/hist_record.c lib/hist/hist.c -lm -o "$tmp/hr"
ir() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1" "$tmp/hr" "$1" >/dev/null 2>"$tmp/log.$1"
  awk '/Collected/{print $NF}' "$tmp/log.$1"
}
a=$(ir 1000000) b=$(ir 2000000)
awk -v a="$a" -v b="$b" 'BEGIN {printf "hist_record: %.1f instructions per record (callgrind, 1M vs 2M records, loop and xorshift included)\n", (b-a)/1e6}'
