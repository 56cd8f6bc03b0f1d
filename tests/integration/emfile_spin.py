"""emfile_spin: an event-loop server out of file descriptors (RLIMIT_NOFILE 64)
while 200 clients connect: it keeps serving the connections it has, counts
and reports the others (stderr line, stats rejected=N with reason EMFILE)
without spinning on the listener (under 20 CPU ticks in 1 s at the limit: a
level-triggered listener that keeps failing with EMFILE would burn them all),
and serves again once fds are free. Any event-loop model (meson runs it for
every row of model_table with class event-loop, nginx the reference excepted):
  python3 tests/integration/emfile_spin.py build/models/libuv/c10k-server-libuv"""
import resource
import signal
import socket
import subprocess
import sys
import time

CLIENTS = 200
LIMIT = 64


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def get(s):
    s.sendall(b"GET / HTTP/1.1\r\n\r\n")
    return b"200 OK" in s.recv(4096)


def main():
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))

    srv = subprocess.Popen([sys.argv[1], "--port", "0"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, preexec_fn=limit)
    socks = []
    try:
        line = srv.stdout.readline().decode()
        if not line and srv.wait(timeout=5) == 77:
            print("skip: the server cannot run here (exit 77)")
            return 77
        port = int(line.split()[1].rsplit(":", 1)[1])
        for _ in range(CLIENTS):
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", port))
                socks.append(s)
            except OSError:
                s.close()
        served = 0
        for s in socks:
            try:
                served += get(s)
            except OSError:
                pass
        t0 = cpu_ticks(srv.pid)
        time.sleep(1.0)
        spin = cpu_ticks(srv.pid) - t0
        for s in socks:
            s.close()
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            again = get(s)
        srv.send_signal(signal.SIGTERM)
        out, err = srv.communicate(timeout=5)
        out, err = out.decode(), err.decode()
        print(f"served {served} of {len(socks)}, cpu ticks in 1 s at the limit {spin}, "
              f"served after fds freed {again}, exit {srv.returncode}\n{out}{err[:300]}")
        rejected = int(out.split("rejected=")[1].split()[0]) if "rejected=" in out else 0
        ok = (0 < served < len(socks) and spin < 20 and again and srv.returncode == 0
              and "reason=EMFILE" in out and rejected >= len(socks) - served
              and "cannot take connection: EMFILE" in err)
        print("ok" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        for s in socks:
            s.close()
        if srv.poll() is None:
            srv.kill()
            srv.wait()


if __name__ == "__main__":
    sys.exit(main())
