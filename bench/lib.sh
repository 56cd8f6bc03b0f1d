# bench/lib.sh: helpers shared by the load benchmarks (sourced, not run):
# a throw-away nginx (one worker) on a free loopback port, medians, JSON fields.
# BENCH_NICE (the scripts' --nice N, default 0) is the nice value of the
# servers and load tools they start: -20 shields a run from the other jobs of
# a shared machine (CFS weight 88761 against 1024), as a quiet machine would.

# free_port: prints a free loopback TCP port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# nginx_start CPU: starts nginx with one worker pinned to CPU on a free port;
# sets NGINX_PID, NGINX_DIR, NGINX_URL.
nginx_start() {
  local cpu=$1 port
  port=$(free_port)
  NGINX_DIR=$(mktemp -d /tmp/c10k-bench-nginx.XXXXXX)
  cat >"$NGINX_DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
worker_rlimit_nofile 20000;
events { worker_connections 19000; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  keepalive_requests 1000000000;
  keepalive_timeout 600s;
  server {
    listen 127.0.0.1:$port backlog=16384;
    location / { return 200 "Hello, World!"; }
  }
}
CONF
  nice -n "${BENCH_NICE:-0}" taskset -c "$cpu" nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" &
  NGINX_PID=$!
  NGINX_URL="http://127.0.0.1:$port/"
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nginx did not start" >&2
  return 1
}

nginx_stop() {
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "${NGINX_DIR:-}" ] && rm -rf "$NGINX_DIR"
  NGINX_PID=""
}

# epoll_start CPU SERVER: starts the project's epoll server; sets SRV_PID, SRV_URL.
epoll_start() {
  local cpu=$1 bin=$2 out
  out=$(mktemp /tmp/c10k-bench-srv.XXXXXX)
  nice -n "${BENCH_NICE:-0}" taskset -c "$cpu" "$bin" --port 0 >"$out" 2>/dev/null &
  SRV_PID=$!
  for _ in $(seq 50); do
    grep -q '^ready ' "$out" && break
    sleep 0.1
  done
  SRV_URL="http://$(awk '/^ready /{print $2}' "$out")/"
  rm -f "$out"
}

epoll_stop() {
  [ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
  SRV_PID=""
}

# median NUMBERS...: prints the median.
median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# jget FILE EXPR: a field of a JSON file (python expression on j).
jget() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

# tree_cpu_s PID: CPU seconds (user + system) used so far by PID and its
# children (nginx's worker is its master's child).
tree_cpu_s() {
  local t=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f\n", t / hz}'
}

# watch_rq PID OUT: until PID exits, keeps in OUT the last schedstat line of
# each of its threads ("tid cpu_ns run_queue_wait_ns timeslices"); the load
# thread is the one with the most CPU. No fork but one sleep a second: the
# watcher must not be what the load thread waits behind.
watch_rq() {
  local pid=$1 out=$2 f tid a b c lines
  while kill -0 "$pid" 2>/dev/null; do
    lines=""
    for f in /proc/"$pid"/task/*/schedstat; do
      tid=${f%/schedstat} tid=${tid##*/}
      # a thread may end between the glob and the read: no line for it
      { read -r a b c <"$f"; } 2>/dev/null || continue
      lines+="$tid $a $b $c"$'\n'
    done
    [ -z "$lines" ] || printf '%s' "$lines" >"$out"
    sleep 1
  done
}

# server_start CPU WHICH BUILD: WHICH is nginx (one worker), epoll (the lab's
# c10k-server-epoll, one process) or the path of a c10k-server-<model>; sets
# SERVER_URL and SERVER_PID (for tree_cpu_s). Stop with server_stop.
server_start() {
  local cpu=$1 which=$2 build=$3
  if [ "$which" = nginx ]; then
    nginx_start "$cpu"; SERVER_URL=$NGINX_URL SERVER_PID=$NGINX_PID
    return
  fi
  [ "$which" = epoll ] && which="$build/models/epoll/c10k-server-epoll"
  [ -x "$which" ] || { echo "no server $which" >&2; return 1; }
  epoll_start "$cpu" "$which"; SERVER_URL=$SRV_URL SERVER_PID=$SRV_PID
}

server_stop() {
  nginx_stop
  epoll_stop
}
