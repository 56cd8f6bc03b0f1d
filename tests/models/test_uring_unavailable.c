/* test_uring_unavailable: c10k-server-uring where io_uring is forbidden (a seccomp
 * filter makes io_uring_setup fail with EPERM, then ENOSYS, as
 * kernel.io_uring_disabled or a container profile would): it must print
 * "c10k-server-uring: io_uring unavailable: ..." and exit 77, never "ready".
 *   build/tests/models/test_uring_unavailable build/models/uring/c10k-server-uring   (0 pass, 77 skip) */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TU_SKIP 77
#define TU_NO_FILTER (-2) /* tu_run: the seccomp filter could not be installed */

static int tu_forbid_io_uring(int err)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -errno;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return -errno;
    return 0;
}

/* Runs the server under the filter; returns its exit status, TU_NO_FILTER
 * when the filter cannot be installed, -1 on a harness failure. out gets stdout+stderr. */
static int tu_run(const char *server, int err, char *out, size_t cap)
{
    int p[2];
    if (pipe(p) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        int rc = tu_forbid_io_uring(err);
        if (rc != 0) {
            fprintf(stderr, "seccomp: %s\n", strerror(-rc));
            _exit(100);
        }
        alarm(10);
        execl(server, server, "--port", "0", (char *)NULL);
        _exit(101);
    }
    close(p[1]);
    size_t len = 0;
    ssize_t n;
    while (len + 1 < cap && (n = read(p[0], out + len, cap - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(p[0]);
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st) == 100 ? TU_NO_FILTER : WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_uring_unavailable SERVER\n");
        return 2;
    }
    const int errs[] = {EPERM, ENOSYS};
    for (size_t i = 0; i < 2; i++) {
        char out[4096];
        int rc = tu_run(argv[1], errs[i], out, sizeof(out));
        if (rc == TU_NO_FILTER) {
            printf("SKIP: cannot install a seccomp filter here: %s", out);
            return TU_SKIP;
        }
        int ok = rc == 77 && strstr(out, "c10k-server-uring: io_uring unavailable: ") &&
                 !strstr(out, "ready ");
        printf("%s: io_uring_setup -> %s: exit %d, output: %s", ok ? "ok" : "FAIL",
               strerror(errs[i]), rc, out);
        if (!ok) return 1;
    }
    return 0;
}
