# lab.sh: sourced by the tests of suite hosts: skips (77) when not root or
# without `ip netns`, brings up a lab of its own (a server host and two load
# hosts, scripts/netns-lab.sh) and takes it down on exit.
# Sets LAB_SH, LAB_NAME, HOSTS[] (server first), C10K_SSH_CONFIG, and the
# helpers of tests/lib/lib.sh ($TMP, fail, jcheck, leftovers).
# Source it with $1 = scripts/netns-lab.sh.
LAB_SH="$1"
[ "$(id -u)" = 0 ] || { echo "not root: skip"; exit 77; }
ip netns list >/dev/null 2>&1 || { echo "no ip netns: skip"; exit 77; }
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lib.sh"
LAB_NAME="t$$"
LAB_NAME=${LAB_NAME:0:6}
C10K_LAB_ROOT="$TMP/lab"
export C10K_LAB_ROOT
lab_cleanup() { "$LAB_SH" down --name "$LAB_NAME" >/dev/null 2>&1; cleanup; }
trap lab_cleanup EXIT
lab_up() { # lab_up [netns-lab.sh up options]
  "$LAB_SH" up --name "$LAB_NAME" "$@" > "$TMP/hosts" || fail "lab up failed"
  mapfile -t HOSTS < "$TMP/hosts"
  C10K_SSH_CONFIG=$("$LAB_SH" config --name "$LAB_NAME")
  export C10K_SSH_CONFIG
}
